/**
 * Roles are per programme. Every coordinator command asks here first: is this person a
 * coordinator, and of which programme? A refusal says why.
 */
import type { Core } from '../core';
import { PermissionDeniedError } from '../errors';
import type { Message } from '../message';
import type { Person } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';

export type Access = { ok: true; programme: Programme; args: string[] } | { ok: false; reply: Message };

export function coordinatorAccess(core: Core, person: Person, command: string, args: string[]): Access {
  const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
  const programmes = (core.db.prepare("SELECT programme_id AS id FROM participants WHERE person_id = ? AND role = 'coordinator' ORDER BY programme_id").all(person.id) as { id: number }[]).map((r) =>
    getProgramme(core, r.id),
  );
  if (programmes.length === 0) {
    const roles = core.db
      .prepare('SELECT pa.role, g.name FROM participants pa JOIN programmes g ON g.id = pa.programme_id WHERE pa.person_id = ?')
      .all(person.id) as { role: string; name: string }[];
    const why = roles.length === 0 ? t('coordinator.refused.none') : t('coordinator.refused.roles', { roles: roles.map((r) => `${t(`common.role.${r.role}`)} (${r.name})`).join(', ') });
    return { ok: false, reply: { text: t('coordinator.refused', { command, roles: why }) } };
  }
  // A programme may be named after the command ("status Demo 2026"); @references and flags are not part of the name.
  const words = args.filter((a) => !a.startsWith('@') && !a.startsWith('<@') && !/^(at-risk|apply)$/i.test(a));
  const named = words.join(' ').trim();
  if (named) {
    const programme = programmes.find((p) => p.name.toLowerCase() === named.toLowerCase());
    if (programme) return { ok: true, programme, args: args.filter((a) => !words.includes(a)) };
    if (programmes.length > 1 || !args.some((a) => a.startsWith('@') || a.startsWith('<@'))) {
      return { ok: false, reply: { text: t('coordinator.unknownProgramme', { name: named, names: programmes.map((p) => p.name).join(', ') }) } };
    }
  }
  if (programmes.length > 1) {
    return { ok: false, reply: { text: t('coordinator.whichProgramme', { names: programmes.map((p) => p.name).join(', '), command, first: programmes[0]!.name }) } };
  }
  return { ok: true, programme: programmes[0]!, args };
}

/** Throws PermissionDeniedError unless the person is a coordinator of this programme; checked on every call. */
export function requireCoordinator(core: Core, personId: number, programmeId: number): void {
  const row = core.db.prepare("SELECT 1 FROM participants WHERE person_id = ? AND programme_id = ? AND role = 'coordinator'").get(personId, programmeId);
  if (!row) throw new PermissionDeniedError(`person ${personId} is not a coordinator of programme ${programmeId}: only its coordinators may do this`, 'coordinator', programmeId);
}
