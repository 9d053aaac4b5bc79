/**
 * End of season: the evaluation. Mentees answer the programme's eight outcome items on the
 * five-point agree scale (1 = strongly disagree … 5 = strongly agree, see survey-items.ts), the
 * match, their engagement and whether they did job shadowing; then they rate progress on their
 * goals (goals.ts) and, if they answered the baseline, say again where they stand on the eight
 * items (baseline.ts). Mentors answer the match, their engagement and what they learned about the
 * education (free text the coordinator reads, as the question says). One reminder, then the survey
 * closes; then thanks.
 */
import { z } from 'zod';
import type { Core } from '../core';
import type { Message } from '../message';
import { activePairsOf } from '../pairs';
import { requirePerson, type Person, type Role } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { atLocalTime, parseLocalDate, shiftLocalDate, DAY } from '../time';
import type { FlowDefinition } from './definition';
import { askGrowthAtEnd, growthDueAtEnd } from './baseline';
import { formFlow, formNudge, openForm, type Answers, type FormContext, type FormSpec, type Step } from './form';
import { askGoalRatings, goalsToRate } from './goals';
import { plan } from './plan';
import { agreeStep, outcomeItems } from './survey-items';

export { outcomeItems } from './survey-items';

export const SURVEY_ASK = 'survey.ask';
export const SEASON_THANKS = 'season.thanks';

const match: Step = { kind: 'rating', min: 1, max: 5, labels: 'survey.matchScale' };
const engagement: Step = { kind: 'rating', min: 1, max: 5, labels: 'survey.engagementScale' };

function save(ctx: FormContext, a: Answers, role: Role): void {
  const programmeId = ctx.dialogue.state.programmeId as number;
  const stmt = ctx.core.db.prepare(
    `INSERT INTO survey_responses (programme_id, person_id, role, item, value, text, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (programme_id, person_id, item) DO UPDATE SET value = excluded.value, text = excluded.text, answered_at = excluded.answered_at`,
  );
  for (const [item, answer] of Object.entries(a)) {
    if (answer === null) continue;
    const numeric = typeof answer === 'number' || /^\d$/.test(String(answer));
    stmt.run(programmeId, ctx.person.id, role, item, numeric ? Number(answer) : null, numeric ? null : String(answer), ctx.core.clock.now());
  }
  if (role === 'mentee' && (a.shadowing === 'yes' || a.shadowing === 'no')) {
    ctx.core.db
      .prepare("UPDATE pairs SET job_shadowing = ? WHERE programme_id = ? AND mentee_id = ? AND status = 'active'")
      .run(a.shadowing === 'yes' ? 'done' : 'no', programmeId, ctx.person.id);
  }
}

const menteeSurvey: FormSpec = {
  name: 'surveyMentee',
  steps: {
    ...Object.fromEntries(outcomeItems.map((item) => [item, agreeStep])),
    match,
    engagement,
    shadowing: { kind: 'choice', options: ['yes', 'no'] },
  },
  finish(ctx, a) {
    save(ctx, a, 'mentee');
    return afterMenteeSurvey(ctx.core, ctx.person, ctx.dialogue.state.programmeId as number, (ctx.dialogue.state.closesAt as number | undefined) ?? null);
  },
};

/** The mentee's active pair in the programme, if any. */
const menteePair = (core: Core, programmeId: number, personId: number) => activePairsOf(core, personId).find((p) => p.programmeId === programmeId && p.menteeId === personId) ?? null;

/** After the survey's own questions: the goals, then the eight items again; or the thanks, when neither is due. */
function afterMenteeSurvey(core: Core, person: Person, programmeId: number, closesAt: number | null): Message[] {
  const pair = menteePair(core, programmeId, person.id);
  const goals = pair && askGoalRatings(core, person, pair.id, 'end', { expiresAt: closesAt, state: { closesAt } });
  const next = goals ?? askGrowthAtEnd(core, person, programmeId, closesAt);
  return next ? [{ text: core.text.t(person.locale, 'survey.almostDone') }, next] : [{ text: core.text.t(person.locale, 'survey.done') }];
}

/** How many questions the mentee's survey has: its own, the goals to rate, and the eight items again after a baseline. */
function menteeQuestionCount(core: Core, programmeId: number, personId: number): number {
  const pair = menteePair(core, programmeId, personId);
  const goals = pair ? goalsToRate(core, pair.id, 'end').length : 0;
  return Object.keys(menteeSurvey.steps).length + goals + (growthDueAtEnd(core, programmeId, personId) ? outcomeItems.length : 0);
}

const mentorSurvey: FormSpec = {
  name: 'surveyMentor',
  steps: { match, engagement, learned: { kind: 'text', skippable: true } },
  finish(ctx, a) {
    save(ctx, a, 'mentor');
    return [{ text: ctx.core.text.t(ctx.person.locale, 'survey.done') }];
  },
};

export const surveyFlows = [formFlow(menteeSurvey), formFlow(mentorSurvey)];

const payload = z.object({ programmeId: z.number().int(), role: z.enum(['mentee', 'mentor']), reminder: z.boolean(), closesAt: z.number().int() });

const answered = (core: Core, programmeId: number, personId: number) =>
  !!core.db.prepare('SELECT 1 FROM survey_responses WHERE programme_id = ? AND person_id = ? LIMIT 1').get(programmeId, personId);

export const surveyTask: NudgeTask<z.infer<typeof payload>> = {
  kind: SURVEY_ASK,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    if (answered(core, payload.programmeId, person.id)) return { drop: 'already answered' };
    const form = payload.role === 'mentee' ? menteeSurvey : mentorSurvey;
    const intro = core.text.t(person.locale, payload.reminder ? 'survey.reminder' : `survey.intro.${payload.role}`, {
      programme: getProgramme(core, payload.programmeId).name,
      count: payload.role === 'mentee' ? menteeQuestionCount(core, payload.programmeId, person.id) : Object.keys(form.steps).length,
    });
    const state = { programmeId: payload.programmeId, closesAt: payload.closesAt };
    return formNudge(form, core, person, { state }, intro, core.text.t(person.locale, 'survey.why'));
  },
  delivered({ core, payload, person }) {
    const state = { programmeId: payload.programmeId, closesAt: payload.closesAt };
    openForm(payload.role === 'mentee' ? menteeSurvey : mentorSurvey, core, person, { state, expiresAt: payload.closesAt });
  },
};

const thanksPayload = z.object({ programmeId: z.number().int() });

export const seasonThanksTask: NudgeTask<z.infer<typeof thanksPayload>> = {
  kind: SEASON_THANKS,
  payload: thanksPayload,
  compose({ core, payload, person }) {
    const programme = getProgramme(core, payload.programmeId);
    return { text: core.text.t(person.locale, 'survey.thanks', { programme: programme.name }), why: core.text.t(person.locale, 'survey.thanksWhy') };
  },
};

export function surveyWindow(programme: Programme, zone: string): { opens: number; remind: number; closes: number } {
  const end = atLocalTime(parseLocalDate(programme.endsOn)!, 12, 0, zone);
  const s = programme.settings;
  const at = (days: number) => atLocalTime(shiftLocalDate(end, days, zone), s.nudgeHour, 0, zone);
  const opens = at(-s.surveyDaysBeforeEnd);
  return { opens, remind: opens + s.surveyReminderDays * DAY, closes: opens + s.surveyOpenDays * DAY };
}

/** At join: the survey, its one reminder, and the closing thanks, for a mentee or mentor. */
export function planSurvey(core: Core, programmeId: number, person: Person, role: 'mentee' | 'mentor'): void {
  const programme = getProgramme(core, programmeId);
  const w = surveyWindow(programme, person.timezone);
  const base = { personId: person.id, subject: `survey:${programmeId}` };
  plan(core, { ...base, key: `${SURVEY_ASK}:${programmeId}:${person.id}`, kind: SURVEY_ASK, payload: { programmeId, role, reminder: false, closesAt: w.closes }, dueAt: w.opens, expiresAt: w.remind });
  plan(core, { ...base, key: `${SURVEY_ASK}:${programmeId}:${person.id}:reminder`, kind: SURVEY_ASK, payload: { programmeId, role, reminder: true, closesAt: w.closes }, dueAt: w.remind, expiresAt: w.closes });
  plan(core, { ...base, key: `${SEASON_THANKS}:${programmeId}:${person.id}`, kind: SEASON_THANKS, payload: { programmeId }, dueAt: w.closes, expiresAt: w.closes + 7 * DAY });
}

export const surveyDefinition: FlowDefinition = {
  name: 'survey',
  dialogues: surveyFlows,
  tasks: [surveyTask, seasonThanksTask],
  on: { 'participant.joined': (core, e) => planSurvey(core, e.programmeId, requirePerson(core, e.personId), e.role) },
  stores: ['survey_responses'],
};
