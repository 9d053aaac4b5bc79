/**
 * The next season from the last: a programme created from an earlier one takes its settings (the
 * contacts among them), its language and zone unless given, and its coordinators; the earlier
 * season's mentors are asked at once (at the next allowed moment) whether they join the new one.
 * A yes adds them as mentors with their profile from the earlier season (and the welcome follows);
 * a no is thanked. Asking at creation gives the coordinator the answers before matching.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { InputError } from '../errors';
import { createProgramme, findProgrammeByName, getProgramme, type NewProgramme, type Programme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { inTransaction } from '../store/database';
import { DAY } from '../time';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, type FormSpec } from './form';
import { plan } from './plan';
import { joinProgramme } from './season';

export const REJOIN = 'season.rejoin';

const ANSWER_DAYS = 21;

const isParticipant = (core: Core, programmeId: number, personId: number, role: string) =>
  !!core.db.prepare('SELECT 1 FROM participants WHERE programme_id = ? AND person_id = ? AND role = ?').get(programmeId, personId, role);

const programmeStatus = (core: Core, id: number) => (core.db.prepare('SELECT status FROM programmes WHERE id = ?').get(id) as { status: string } | undefined)?.status;

const rejoinForm: FormSpec = {
  name: REJOIN,
  steps: { join: { kind: 'choice', options: ['yes', 'no'] } },
  vars(ctx) {
    const s = ctx.dialogue.state as { programmeId: number; fromId: number };
    const next = getProgramme(ctx.core, s.programmeId);
    return { programme: next.name, earlier: getProgramme(ctx.core, s.fromId).name, start: next.startsOn };
  },
  stillValid: (ctx) => programmeStatus(ctx.core, ctx.dialogue.state.programmeId as number) !== 'closed',
  finish(ctx, answers) {
    const { core, person } = ctx;
    const s = ctx.dialogue.state as { programmeId: number; fromId: number };
    const vars = rejoinForm.vars!(ctx);
    if (answers.join !== 'yes') return [{ text: core.text.t(person.locale, 'season.rejoin.thanks', vars) }];
    const row = core.db.prepare("SELECT profile FROM participants WHERE programme_id = ? AND person_id = ? AND role = 'mentor'").get(s.fromId, person.id) as { profile: string } | undefined;
    if (!isParticipant(core, s.programmeId, person.id, 'mentor')) joinProgramme(core, s.programmeId, person.id, 'mentor', row ? (JSON.parse(row.profile) as Record<string, unknown>) : {});
    return [{ text: core.text.t(person.locale, 'season.rejoin.welcome', vars) }];
  },
};

export const rejoinFlow = formFlow(rejoinForm);

const payload = z.object({ programmeId: z.number().int(), fromId: z.number().int() });

export const rejoinTask: NudgeTask<z.infer<typeof payload>> = {
  kind: REJOIN,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    if (programmeStatus(core, payload.programmeId) === 'closed') return { drop: 'the new programme is closed' };
    if (isParticipant(core, payload.programmeId, person.id, 'mentor')) return { drop: 'already a mentor of the new programme' };
    const next = getProgramme(core, payload.programmeId);
    const vars = { programme: next.name, earlier: getProgramme(core, payload.fromId).name, start: next.startsOn };
    return formNudge(rejoinForm, core, person, { state: payload }, core.text.t(person.locale, 'season.rejoin.intro', vars), core.text.t(person.locale, 'season.rejoin.why', vars));
  },
  delivered({ core, payload, person }) {
    openForm(rejoinForm, core, person, { state: payload, expiresAt: core.clock.now() + ANSWER_DAYS * DAY });
  },
};

/**
 * Creates `input` from the programme called `fromName`: its settings (given ones win), language and
 * zone unless given, its coordinators; and asks the earlier mentors whether they join. One transaction.
 */
export function createNextSeason(core: Core, input: NewProgramme, fromName: string): { programme: Programme; from: Programme; asked: number } {
  const from = findProgrammeByName(core, fromName);
  if (!from) {
    const names = (core.db.prepare('SELECT name FROM programmes ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    throw new InputError(`there is no programme called "${fromName}" to copy from; ${names.length ? `there are: ${names.join(', ')}` : 'create the programme without --from'}`);
  }
  return inTransaction(core.db, () => {
    const programme = createProgramme(core, {
      ...input,
      locale: input.locale ?? from.locale,
      timezone: input.timezone ?? from.timezone,
      settings: { ...from.settings, ...input.settings, contacts: { ...from.settings.contacts, ...input.settings?.contacts } },
    });
    const coordinators = core.db.prepare("SELECT person_id AS id, profile FROM participants WHERE programme_id = ? AND role = 'coordinator'").all(from.id) as { id: number; profile: string }[];
    for (const c of coordinators) joinProgramme(core, programme.id, c.id, 'coordinator', JSON.parse(c.profile) as Record<string, unknown>);
    const mentors = core.db.prepare("SELECT person_id AS id FROM participants WHERE programme_id = ? AND role = 'mentor' ORDER BY person_id").all(from.id) as { id: number }[];
    for (const m of mentors) {
      plan(core, { key: `${REJOIN}:${programme.id}:${m.id}`, kind: REJOIN, personId: m.id, subject: `programme:${programme.id}`, payload: { programmeId: programme.id, fromId: from.id }, dueAt: core.clock.now() });
    }
    core.wake();
    return { programme, from, asked: mentors.length };
  });
}

export const nextSeasonDefinition: FlowDefinition = {
  name: 'next-season',
  dialogues: [rejoinFlow],
  tasks: [rejoinTask],
  stores: ['participants'],
};
