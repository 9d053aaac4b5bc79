/**
 * Growth measured: the programme's eight outcome items, said as where the mentee stands now ("I have
 * a clear idea of my career wishes and direction"), asked a few days after the season starts (the
 * baseline) and again at the end, right after the evaluation survey. Both answers sit in one row of
 * outcome_growth, so the report can show the change per item as an aggregate. Every item may be
 * skipped; nobody but the mentee sees the answers, and the report only what enough people answered.
 */
import { z } from 'zod';
import type { Core } from '../core';
import type { Message } from '../message';
import { getPair } from '../pairs';
import { requirePerson, type Person } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { atLocalTime, DAY, parseLocalDate } from '../time';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, startForm, type FormContext, type FormSpec } from './form';
import { dayAt, pairSubject, plan } from './plan';
import { agreeStep, outcomeItems } from './survey-items';

export const BASELINE_ASK = 'baseline.ask';

/** Days after the season's start (or the match, in a running season) that the baseline comes. */
const BASELINE_DAYS = 3;
/** How long the baseline stays open once asked. */
const OPEN_DAYS = 14;

type Moment = 'baseline' | 'end';

const momentOf = (ctx: Pick<FormContext, 'dialogue'>): Moment => (ctx.dialogue.state.moment === 'end' ? 'end' : 'baseline');

function save(ctx: FormContext, item: string, value: number): void {
  const { core, person } = ctx;
  const programmeId = ctx.dialogue.state.programmeId as number;
  const now = core.clock.now();
  const sql =
    momentOf(ctx) === 'end'
      ? `INSERT INTO outcome_growth (programme_id, person_id, item, final, final_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (programme_id, person_id, item) DO UPDATE SET final = excluded.final, final_at = excluded.final_at`
      : `INSERT INTO outcome_growth (programme_id, person_id, item, baseline, baseline_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (programme_id, person_id, item) DO UPDATE SET baseline = excluded.baseline, baseline_at = excluded.baseline_at`;
  core.db.prepare(sql).run(programmeId, person.id, item, value, now);
}

const growthForm: FormSpec = {
  name: 'baseline',
  steps: Object.fromEntries(outcomeItems.map((item) => [item, { ...agreeStep, skippable: true }])),
  preface(step, ctx) {
    if (step !== outcomeItems[0]) return null;
    return ctx.core.text.t(ctx.person.locale, momentOf(ctx) === 'end' ? 'baseline.again' : 'baseline.scale');
  },
  // Each answer is saved as it is given: stopping half-way keeps what was answered.
  onAnswer(ctx, step, value) {
    if (value !== null) save(ctx, step, Number(value));
  },
  keep() {},
  finish(ctx) {
    const { core, person } = ctx;
    return [{ text: core.text.t(person.locale, momentOf(ctx) === 'end' ? 'survey.done' : 'baseline.thanks') }];
  },
};

export const growthFlow = formFlow(growthForm);

/** Whether the person answered at least one item of the baseline in this programme. */
export function hasBaseline(core: Core, programmeId: number, personId: number): boolean {
  return !!core.db.prepare('SELECT 1 FROM outcome_growth WHERE programme_id = ? AND person_id = ? AND baseline IS NOT NULL LIMIT 1').get(programmeId, personId);
}

/** Whether the eight items still wait to be asked again at the end: there is a baseline, and no end answer yet. */
export function growthDueAtEnd(core: Core, programmeId: number, personId: number): boolean {
  if (!hasBaseline(core, programmeId, personId)) return false;
  return !core.db.prepare('SELECT 1 FROM outcome_growth WHERE programme_id = ? AND person_id = ? AND final_at IS NOT NULL LIMIT 1').get(programmeId, personId);
}

/** At the end of the season, after the survey: the eight items again (their first question), or null when there was no baseline. */
export function askGrowthAtEnd(core: Core, person: Person, programmeId: number, expiresAt: number | null = null): Message | null {
  if (!growthDueAtEnd(core, programmeId, person.id)) return null;
  return startForm(growthForm, core, person, { state: { programmeId, moment: 'end' }, expiresAt });
}

const payload = z.object({ programmeId: z.number().int(), pairId: z.number().int() });

export const baselineTask: NudgeTask<z.infer<typeof payload>> = {
  kind: BASELINE_ASK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    if (hasBaseline(core, payload.programmeId, person.id)) return { drop: 'already answered' };
    const t = (key: string) => core.text.t(person.locale, key, { programme: getProgramme(core, payload.programmeId).name });
    return formNudge(growthForm, core, person, { state: { programmeId: payload.programmeId, moment: 'baseline' } }, t('baseline.intro'), t('baseline.why'));
  },
  delivered({ core, payload, person }) {
    openForm(growthForm, core, person, { state: { programmeId: payload.programmeId, moment: 'baseline' }, expiresAt: core.clock.now() + OPEN_DAYS * DAY });
  },
};

/** The middle of the season: a baseline later than that would measure little growth. */
function seasonMiddle(programme: Programme, zone: string): number {
  const start = atLocalTime(parseLocalDate(programme.startsOn)!, 0, 0, zone);
  const end = atLocalTime(parseLocalDate(programme.endsOn)!, 0, 0, zone);
  return start + (end - start) / 2;
}

/** At match: the mentee's baseline a few days into the season (or after the match, in a running one). */
export function planBaseline(core: Core, pairId: number): void {
  const pair = getPair(core, pairId);
  if (!pair) return;
  const programme = getProgramme(core, pair.programmeId);
  const mentee = requirePerson(core, pair.menteeId);
  const zone = mentee.timezone;
  const from = Math.max(core.clock.now(), atLocalTime(parseLocalDate(programme.startsOn)!, 0, 0, zone));
  const dueAt = dayAt(from, BASELINE_DAYS, programme.settings.nudgeHour, zone);
  if (dueAt >= seasonMiddle(programme, zone)) return;
  plan(core, {
    // Per pair, so a mentee matched again before it came still gets it; dropped if answered already.
    key: `${BASELINE_ASK}:${programme.id}:${mentee.id}:${pairId}`,
    kind: BASELINE_ASK,
    personId: mentee.id,
    subject: pairSubject(pairId),
    payload: { programmeId: programme.id, pairId },
    dueAt,
    expiresAt: dueAt + OPEN_DAYS * DAY,
  });
}

export const baselineDefinition: FlowDefinition = {
  name: 'baseline',
  dialogues: [growthFlow],
  tasks: [baselineTask],
  on: { 'pair.matched': (core, e) => planBaseline(core, e.pairId) },
  stores: ['outcome_growth'],
};
