/**
 * Who may see a programme on the desk: asked on every request, through the same check every
 * coordinator command makes (coordinatorAccess), so a role taken away closes the desk at once.
 */
import { coordinatorAccess } from '../coordinator/access';
import type { Core } from '../core';
import { getPerson, type Person } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';

/** The programmes the person coordinates, in the order they were created. */
export function coordinatedProgrammes(core: Core, personId: number): Programme[] {
  const rows = core.db.prepare("SELECT programme_id AS id FROM participants WHERE person_id = ? AND role = 'coordinator' ORDER BY programme_id").all(personId) as { id: number }[];
  return rows.map((r) => getProgramme(core, r.id));
}

export type DeskAccess = { ok: true; person: Person; programme: Programme; programmes: Programme[] } | { ok: false; person: Person | null; why: string };

/**
 * The programme the person may work on: the one asked for (by id) if they coordinate it, else
 * their first. A refusal says why, in the person's language, as chat says it.
 */
export function deskAccess(core: Core, personId: number, programmeId: number | null): DeskAccess {
  const person = getPerson(core, personId);
  if (!person) return { ok: false, person: null, why: '' };
  const programmes = coordinatedProgrammes(core, personId);
  const wanted = programmeId === null ? programmes[0] : core.db.prepare('SELECT 1 FROM programmes WHERE id = ?').get(programmeId) ? getProgramme(core, programmeId) : undefined;
  // The same check as every coordinator command, named by the programme's name.
  const access = coordinatorAccess(core, person, 'desk', wanted ? [wanted.name] : programmeId === null ? [] : [`#${programmeId}`]);
  if (!access.ok) return { ok: false, person, why: access.reply.text };
  return { ok: true, person, programme: access.programme, programmes };
}
