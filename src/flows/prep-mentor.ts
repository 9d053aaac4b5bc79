/**
 * The mentor's side of preparing, a few days before a meeting (when the mentee's prep comes):
 * - before the first meeting, two get-to-know questions (what the mentor does and how they got
 *   there; what they are curious to hear about the mentee), then the mentor's choice whether the
 *   mentee may read the answers before the meeting (shared: sent to the mentee; otherwise private);
 * - before any meeting, the steps the mentor agreed to take at the last one: "did you do it?".
 * A meeting with neither gets no message. The mentee's own prep is prep/flow.ts.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { currentDialogue } from '../dialogues';
import { meetingSubject } from '../meetings';
import type { Message } from '../message';
import { firstName, type Person } from '../people';
import type { NudgeTask } from '../scheduler/task';
import { HOUR } from '../time';
import type { FlowDefinition } from './definition';
import { askFormStep, formFlow, openForm, type Answers, type FormContext, type FormSpec } from './form';
import { isUpcoming, meetingContext, meetingWhen, withMeeting, type MeetingContext, upcomingMeetingContext } from './meeting-context';
import { plan } from './plan';
import { parseTicks } from './prep/flow';
import { prepDueAt } from './prep/plan';

export const PREP_MENTOR_ASK = 'prepMentor.ask';
export const PREP_MENTOR_SHARED = 'prepMentor.shared';

/** The steps the mentor took on at earlier meetings and has not ticked off. */
export function openMentorSteps(core: Core, m: MeetingContext): { id: number; text: string }[] {
  return core.db
    .prepare('SELECT id, text FROM action_items WHERE pair_id = ? AND owner_id = ? AND done_at IS NULL ORDER BY created_at, id')
    .all(m.pair.id, m.mentor.id) as { id: number; text: string }[];
}

/** Before the pair's first meeting, when the mentor has not been through the get-to-know questions. */
function introductionDue(core: Core, m: MeetingContext): boolean {
  const earlier = core.db.prepare("SELECT 1 FROM meetings WHERE pair_id = ? AND id <> ? AND status IN ('booked', 'held') AND starts_at < ? LIMIT 1").get(m.pair.id, m.meeting.id, m.meeting.startsAt);
  if (earlier) return false;
  return !core.db.prepare('SELECT 1 FROM introductions WHERE pair_id = ? AND author_id = ?').get(m.pair.id, m.mentor.id);
}

const context = (ctx: FormContext) => (ctx.dialogue.meetingId === null ? null : meetingContext(ctx.core, ctx.dialogue.meetingId));
const stepsOf = (ctx: FormContext) => {
  const m = context(ctx);
  return m ? openMentorSteps(ctx.core, m) : [];
};
const afterIntroduction = (ctx: FormContext) => (stepsOf(ctx).length > 0 ? 'ticks' : null);

function saveIntroduction(ctx: FormContext, a: Answers, shared: boolean | null): void {
  const m = context(ctx)!;
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  ctx.core.db
    .prepare(
      `INSERT INTO introductions (pair_id, author_id, about, curious, shared, answered_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (pair_id, author_id) DO UPDATE SET about = excluded.about, curious = excluded.curious, shared = excluded.shared, answered_at = excluded.answered_at`,
    )
    .run(m.pair.id, m.mentor.id, text(a.about), text(a.curious), shared === null ? null : shared ? 1 : 0, ctx.core.clock.now());
}

const mentorPrepForm: FormSpec = {
  name: 'prepMentor',
  // The get-to-know answers stay the mentor's unless the mentor chooses to share them.
  audience: 'choice',
  steps: {
    about: { kind: 'text', skippable: true },
    curious: { kind: 'text', skippable: true },
    share: { kind: 'choice', options: ['yes', 'no'] },
    ticks: {
      kind: 'text',
      skippable: true,
      parse(ctx, raw) {
        const count = stepsOf(ctx).length;
        const ticked = parseTicks(ctx.core, raw, count);
        if (!ticked) return { ok: false, reply: { text: ctx.core.text.t(ctx.person.locale, 'prepMentor.ticks.usage', { count }) } };
        return { ok: true, value: ticked.join(' ') };
      },
    },
  },
  next(step, _answer, answers, ctx) {
    if (step === 'curious') return answers.about === null && answers.curious === null ? afterIntroduction(ctx) : 'share';
    if (step === 'share') return afterIntroduction(ctx);
    if (step === 'ticks') return null;
    return undefined;
  },
  vars(ctx) {
    const m = context(ctx);
    return { mentee: m ? firstName(m.mentee.name) : '', when: m ? meetingWhen(ctx.core, m.meeting, ctx.person) : '' };
  },
  preface(step, ctx) {
    const m = context(ctx);
    if (step !== 'ticks' || !m) return null;
    const items = openMentorSteps(ctx.core, m);
    return ctx.core.text.t(ctx.person.locale, 'prepMentor.items', { mentee: firstName(m.mentee.name), items: items.map((i, n) => `${n + 1}. ${i.text}`).join('\n') });
  },
  stillValid(ctx) {
    const m = context(ctx);
    return !!m && isUpcoming(ctx.core, m.meeting) && m.pair.status === 'active';
  },
  onAnswer(ctx, step, value) {
    if (step !== 'ticks' || value === null) return;
    const items = stepsOf(ctx);
    for (const n of String(value).split(' ').filter(Boolean).map(Number)) {
      ctx.core.db.prepare('UPDATE action_items SET done_at = ? WHERE id = ?').run(ctx.core.clock.now(), items[n - 1]!.id);
    }
  },
  keep(ctx, answers) {
    if ('about' in answers || 'curious' in answers) saveIntroduction(ctx, answers, null);
  },
  finish(ctx, a) {
    const { core, person } = ctx;
    const m = context(ctx)!;
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, { mentee: firstName(m.mentee.name), when: meetingWhen(core, m.meeting, person), ...vars });
    const texts: string[] = [];
    if ('about' in a) {
      const wrote = a.about !== null || a.curious !== null;
      const shared = wrote && a.share === 'yes';
      saveIntroduction(ctx, a, wrote ? shared : null);
      if (shared) planShared(core, m);
      if (wrote) texts.push(t(shared ? 'prepMentor.done.shared' : 'prepMentor.done.private'));
    }
    if (typeof a.ticks === 'string') texts.push(t(a.ticks === '' ? 'prepMentor.done.notTicked' : 'prepMentor.done.ticked'));
    if (texts.length === 0) texts.push(t('prepMentor.done'));
    return [{ text: texts.join('\n\n') }];
  },
};

export const mentorPrepFlow = formFlow(mentorPrepForm);

function planShared(core: Core, m: MeetingContext): void {
  plan(core, {
    key: `${PREP_MENTOR_SHARED}:${m.pair.id}:${core.clock.now()}`,
    kind: PREP_MENTOR_SHARED,
    personId: m.mentee.id,
    subject: meetingSubject(m.meeting.id),
    payload: { meetingId: m.meeting.id },
    dueAt: core.clock.now(),
    expiresAt: m.meeting.startsAt,
  });
  core.wake();
}

const payload = z.object({ meetingId: z.number().int().positive() });

/** What to ask the mentor before this meeting: the get-to-know questions, the steps, both, or nothing. */
function firstStep(core: Core, m: MeetingContext): 'about' | 'ticks' | null {
  if (introductionDue(core, m)) return 'about';
  return openMentorSteps(core, m).length > 0 ? 'ticks' : null;
}

export const mentorPrepTask: NudgeTask<z.infer<typeof payload>> = {
  kind: PREP_MENTOR_ASK,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    if (m.pair.status !== 'active') return { drop: 'the pair has ended' };
    const step = firstStep(core, m);
    if (!step) return { drop: 'nothing to ask the mentor before this meeting' };
    const open = currentDialogue(core, person.id);
    if (open?.flow === mentorPrepForm.name && open.meetingId === m.meeting.id) return { drop: 'already under way' };
    const vars = { mentee: firstName(m.mentee.name), when: meetingWhen(core, m.meeting, person) };
    const intro = core.text.t(person.locale, step === 'about' ? 'prepMentor.intro.first' : 'prepMentor.intro.steps', vars);
    const ask = askFormStep(mentorPrepForm, { core, person, dialogue: { meetingId: m.meeting.id, state: { pairId: m.pair.id, answers: {}, previous: {} } } }, step);
    return { ...ask, text: `${intro}\n\n${ask.text}`, why: core.text.t(person.locale, 'prepMentor.why', vars) };
  },
  delivered({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    const step = m && firstStep(core, m);
    if (m && step) openForm(mentorPrepForm, core, person, { meetingId: m.meeting.id, state: { pairId: m.pair.id }, step, expiresAt: m.meeting.startsAt });
  },
};

/** The mentor's get-to-know answers, to the mentee, when the mentor chose to share them. */
export const mentorSharedTask: NudgeTask<z.infer<typeof payload>> = {
  kind: PREP_MENTOR_SHARED,
  payload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    const row = core.db.prepare('SELECT about, curious, shared FROM introductions WHERE pair_id = ? AND author_id = ?').get(m.pair.id, m.mentor.id) as
      | { about: string | null; curious: string | null; shared: number | null }
      | undefined;
    if (!row || row.shared !== 1) return { drop: 'the mentor has not shared the answers' };
    return sharedMessage(core, person, m, row);
  },
};

function sharedMessage(core: Core, reader: Person, m: MeetingContext, row: { about: string | null; curious: string | null }): Message {
  const vars = { mentor: firstName(m.mentor.name), when: meetingWhen(core, m.meeting, reader) };
  const t = (key: string, more = {}) => core.text.t(reader.locale, key, { ...vars, ...more });
  const lines = [t('prepMentor.shared')];
  if (row.about) lines.push(t('prepMentor.shared.about', { answer: row.about }));
  if (row.curious) lines.push(t('prepMentor.shared.curious', { answer: row.curious }));
  return { text: lines.join('\n'), why: t('prepMentor.sharedWhy') };
}

/** For every meeting booked or moved: the mentor's questions at the time the mentee's prep comes (in the mentor's zone). */
export function planMentorPrep(core: Core, m: MeetingContext): void {
  const { prepLeadDays, prepHour } = m.programme.settings;
  const expiresAt = m.meeting.startsAt - HOUR;
  const dueAt = Math.max(core.clock.now(), prepDueAt(m.meeting, m.mentor.timezone, prepLeadDays, prepHour));
  if (dueAt >= expiresAt) return;
  plan(core, {
    key: `${PREP_MENTOR_ASK}:${m.meeting.id}:${m.meeting.startsAt}`,
    kind: PREP_MENTOR_ASK,
    personId: m.mentor.id,
    subject: meetingSubject(m.meeting.id),
    payload: { meetingId: m.meeting.id },
    dueAt,
    expiresAt,
  });
}

export const mentorPrepDefinition: FlowDefinition = {
  name: 'prepMentor',
  dialogues: [mentorPrepFlow],
  tasks: [mentorPrepTask, mentorSharedTask],
  on: { 'meeting.booked': withMeeting(planMentorPrep), 'meeting.moved': withMeeting(planMentorPrep) },
  stores: ['introductions', 'action_items'],
};
