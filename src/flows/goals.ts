/**
 * Goals that can be followed. What the mentee wants help with in the agreement becomes the pair's
 * goals, one row per line (alignment.ts calls syncGoals). At the check-in and at the end of the
 * season the mentee rates progress on each goal from 1 (not started) to 5 (reached), privately:
 * the mentor never sees the ratings, and the coordinator's report shows only how many ratings fell
 * on each point of the scale, for a group large enough (report.ts).
 */
import type { Core } from '../core';
import type { Message } from '../message';
import { getPair } from '../pairs';
import { firstName, getPerson, type Person } from '../people';
import { askGrowthAtEnd } from './baseline';
import type { FlowDefinition } from './definition';
import { formFlow, startForm, type FormContext, type FormSpec, type Step } from './form';

/** At most this many goals are followed (the first lines of the answer). */
export const MAX_GOALS = 5;
const MAX_GOAL_LENGTH = 300;

export type GoalMoment = 'mid' | 'end';

export interface Goal {
  id: number;
  text: string;
}

/** The goals in an answer: one per line (or per semicolon), without bullets or numbering. */
export function goalLines(text: string | null | undefined): string[] {
  const lines = (text ?? '')
    .split(/\r?\n|;/)
    .map((l) => l.replace(/^\s*(?:[-•*–]|\d{1,2}[.)])\s*/, '').trim())
    .filter(Boolean)
    .map((l) => (l.length > MAX_GOAL_LENGTH ? `${l.slice(0, MAX_GOAL_LENGTH - 1)}…` : l));
  return [...new Set(lines)].slice(0, MAX_GOALS);
}

/** The pair's goals as they stand (not taken out of the agreement), in their order. */
export function activeGoals(core: Core, pairId: number): Goal[] {
  return core.db.prepare("SELECT id, coalesce(text, '') AS text FROM goals WHERE pair_id = ? AND dropped_at IS NULL ORDER BY position, id").all(pairId) as Goal[];
}

/**
 * Makes the pair's goals the lines of `text`: a goal still there keeps its row (and its ratings), a
 * new line becomes a new goal, and a goal no longer there is dropped (its ratings still count).
 */
export function syncGoals(core: Core, pairId: number, text: string | null | undefined): void {
  const wanted = goalLines(text);
  const now = core.clock.now();
  const current = activeGoals(core, pairId);
  for (const goal of current) {
    if (!wanted.includes(goal.text)) core.db.prepare('UPDATE goals SET dropped_at = ? WHERE id = ?').run(now, goal.id);
  }
  wanted.forEach((line, i) => {
    const kept = current.find((g) => g.text === line);
    if (kept) core.db.prepare('UPDATE goals SET position = ? WHERE id = ?').run(i + 1, kept.id);
    else core.db.prepare('INSERT INTO goals (pair_id, position, text, created_at) VALUES (?, ?, ?, ?)').run(pairId, i + 1, line, now);
  });
}

const steps = Array.from({ length: MAX_GOALS }, (_, i) => `g${i + 1}`);
const progressStep: Step = { kind: 'rating', min: 1, max: 5, labels: 'goals.scale', skippable: true };

const goalsOf = (ctx: Pick<FormContext, 'dialogue'>) => (ctx.dialogue.state.goals as Goal[] | undefined) ?? [];
const momentOf = (ctx: Pick<FormContext, 'dialogue'>): GoalMoment => (ctx.dialogue.state.moment === 'end' ? 'end' : 'mid');

function mentorName(ctx: FormContext): string {
  const pair = getPair(ctx.core, ctx.dialogue.state.pairId as number);
  const mentor = pair && getPerson(ctx.core, pair.mentorId);
  return mentor ? firstName(mentor.name) : '';
}

const goalsForm: FormSpec = {
  name: 'goals',
  steps: Object.fromEntries(steps.map((s) => [s, progressStep])),
  next(step, _answer, _answers, ctx) {
    const i = steps.indexOf(step);
    return i + 1 < goalsOf(ctx).length ? steps[i + 1]! : null;
  },
  vars(ctx) {
    const goals = goalsOf(ctx);
    return { count: goals.length, ...Object.fromEntries(steps.map((s, i) => [`goal${i + 1}`, goals[i]?.text ?? ''])) };
  },
  preface(step, ctx) {
    if (step !== steps[0]) return null;
    const key = goalsOf(ctx).length === 1 ? `goals.intro.${momentOf(ctx)}.one` : `goals.intro.${momentOf(ctx)}`;
    return ctx.core.text.t(ctx.person.locale, key, { count: goalsOf(ctx).length, mentor: mentorName(ctx) });
  },
  // Each rating is saved as it is given; a skipped goal gets none.
  onAnswer(ctx, step, value) {
    const goal = goalsOf(ctx)[steps.indexOf(step)];
    if (!goal || value === null) return;
    ctx.core.db
      .prepare(
        `INSERT INTO goal_ratings (goal_id, moment, progress, answered_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (goal_id, moment) DO UPDATE SET progress = excluded.progress, answered_at = excluded.answered_at`,
      )
      .run(goal.id, momentOf(ctx), Number(value), ctx.core.clock.now());
  },
  keep() {},
  finish(ctx) {
    const { core, person } = ctx;
    if (momentOf(ctx) === 'mid') return [{ text: core.text.t(person.locale, 'goals.thanks') }];
    // At the end, the eight outcome statements follow if the mentee answered them at the start.
    const pair = getPair(core, ctx.dialogue.state.pairId as number);
    const next = pair && askGrowthAtEnd(core, person, pair.programmeId, (ctx.dialogue.state.closesAt as number | undefined) ?? null);
    return next ? [{ text: core.text.t(person.locale, 'goals.thanks') }, next] : [{ text: core.text.t(person.locale, 'survey.done') }];
  },
};

export const goalsFlow = formFlow(goalsForm);

/** The goals of the mentee's active pair in the programme that are still to be rated at `moment`. */
export function goalsToRate(core: Core, pairId: number, moment: GoalMoment): Goal[] {
  return activeGoals(core, pairId).filter((g) => !core.db.prepare('SELECT 1 FROM goal_ratings WHERE goal_id = ? AND moment = ?').get(g.id, moment));
}

/**
 * Opens the rating of the pair's goals for the mentee (as the current question) and returns its
 * first question; null when the person is not the pair's mentee or there is nothing to rate.
 */
export function askGoalRatings(
  core: Core,
  person: Person,
  pairId: number,
  moment: GoalMoment,
  o: { expiresAt?: number | null; state?: Record<string, unknown> } = {},
): Message | null {
  const pair = getPair(core, pairId);
  if (!pair || pair.status !== 'active' || pair.menteeId !== person.id) return null;
  const goals = goalsToRate(core, pairId, moment);
  if (goals.length === 0) return null;
  return startForm(goalsForm, core, person, { state: { ...o.state, pairId, moment, goals }, expiresAt: o.expiresAt ?? null });
}

export const goalsDefinition: FlowDefinition = {
  name: 'goals',
  dialogues: [goalsFlow],
  stores: ['goals', 'goal_ratings'],
};
