/**
 * After the meeting: a few hours after its end the mentee is asked whether it took place. If it
 * did: the main points, the steps each of them takes, and the next date (the programme's rule is
 * to book the next one before parting). The summary goes to the mentor. If it did not: a new time.
 * `summary` starts it early; `actions` lists the steps agreed.
 */
import { z } from 'zod';
import { actionsCommand } from '../commands/actions';
import type { Command } from '../commands/command';
import { firstName } from '../people';
import type { Core } from '../core';
import { bookMeeting, meetingSubject, nextMeeting, setMeetingOutcome } from '../meetings';
import type { Message } from '../message';
import { activePairsOf } from '../pairs';
import { seasonEndsAt } from '../programme/programmes';
import type { NudgeTask } from '../scheduler/task';
import { MINUTE } from '../time';
import type { FlowDefinition } from './definition';
import { formFlow, formNudge, openForm, startForm, type Answers, type FormContext, type FormSpec } from './form';
import { meetingContext, meetingWhen, withMeeting, type MeetingContext } from './meeting-context';
import { dayAt, plan } from './plan';
import { BOOK_NEXT } from './booking/form';
import { SUMMARY_REVIEW } from './summary-review';

export const AFTER_ASK = 'after.ask';

const lines = (text: string | null) =>
  (text ?? '')
    .split(/\n|;/)
    .map((l) => l.replace(/^\s*[-•*\d.)]+\s*/, '').trim())
    .filter(Boolean)
    .slice(0, 20);

function context(ctx: FormContext): MeetingContext | null {
  return ctx.dialogue.meetingId === null ? null : meetingContext(ctx.core, ctx.dialogue.meetingId);
}

/** Asks the mentee to book when nothing is booked (dropped if something is by then). */
export function planBookNext(core: Core, m: MeetingContext): void {
  plan(core, {
    key: `${BOOK_NEXT}:${m.meeting.id}`,
    kind: BOOK_NEXT,
    personId: m.mentee.id,
    subject: `pair:${m.pair.id}`,
    payload: { pairId: m.pair.id, reason: 'next' },
    dueAt: dayAt(core.clock.now(), 1, m.programme.settings.nudgeHour, m.mentee.timezone),
    expiresAt: seasonEndsAt(m.programme, m.mentee.timezone),
  });
}

/** The points and steps the mentee wrote (what was not answered counts as skipped). */
function saveSummary(ctx: FormContext, m: MeetingContext, a: Answers): void {
  const { core, person } = ctx;
  const now = core.clock.now();
  core.db
    .prepare(
      `INSERT INTO summaries (meeting_id, points, written_by, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (meeting_id) DO UPDATE SET points = excluded.points, confirmed_at = NULL, mentor_addition = NULL`,
    )
    .run(m.meeting.id, (a.points as string | null) ?? '', person.id, now);
  const item = core.db.prepare('INSERT INTO action_items (pair_id, meeting_id, owner_id, text, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const text of lines(a.mySteps as string | null)) item.run(m.pair.id, m.meeting.id, m.mentee.id, text, now);
  for (const text of lines(a.mentorSteps as string | null)) item.run(m.pair.id, m.meeting.id, m.mentor.id, text, now);
}

function recordHeld(ctx: FormContext, m: MeetingContext, a: Answers): Message[] {
  const { core, person } = ctx;
  const now = core.clock.now();
  saveSummary(ctx, m, a);
  plan(core, {
    key: `${SUMMARY_REVIEW}:${m.meeting.id}`,
    kind: SUMMARY_REVIEW,
    personId: m.mentor.id,
    subject: meetingSubject(m.meeting.id),
    payload: { meetingId: m.meeting.id },
    dueAt: now,
  });
  // Recorded last: what the flows plan on "held" (the early check-in) comes after the review.
  setMeetingOutcome(core, m.meeting.id, 'held', person.id);
  const replies = [{ text: core.text.t(person.locale, 'after.thanks', { mentor: firstName(m.mentor.name) }) }];
  replies.push(...bookNext(ctx, m, a.next as number | null));
  core.wake();
  return replies;
}

function bookNext(ctx: FormContext, m: MeetingContext, at: number | null): Message[] {
  const { core, person } = ctx;
  if (at === null) {
    if (!nextMeeting(core, m.pair.id)) planBookNext(core, m);
    return [{ text: core.text.t(person.locale, 'after.bookLater') }];
  }
  const booked = bookMeeting(core, { pairId: m.pair.id, startsAt: at, durationMin: m.meeting.durationMin, place: m.meeting.place, onlineUrl: m.meeting.onlineUrl, bookedBy: person.id });
  return [{ text: core.text.t(person.locale, 'after.booked', { when: meetingWhen(core, booked, person), mentor: firstName(m.mentor.name) }) }];
}

export const afterForm: FormSpec = {
  name: 'after',
  // The points and steps go to the mentor: said so whenever the mentee writes about a worry here.
  audience: 'partner',
  season: (ctx) => context(ctx)?.programme ?? null,
  steps: {
    tookPlace: { kind: 'choice', options: ['yes', 'no'] },
    points: { kind: 'text' },
    mySteps: { kind: 'text', skippable: true },
    mentorSteps: { kind: 'text', skippable: true },
    next: { kind: 'datetime', skippable: true },
    reschedule: { kind: 'datetime', skippable: true },
  },
  next(step, answer) {
    if (step === 'tookPlace') return answer === 'yes' ? 'points' : 'reschedule';
    if (step === 'next' || step === 'reschedule') return null;
    return undefined;
  },
  vars(ctx) {
    const m = context(ctx);
    return { mentor: m ? firstName(m.mentor.name) : '', when: m ? meetingWhen(ctx.core, m.meeting, ctx.person) : '' };
  },
  stillValid: (ctx) => !!context(ctx),
  /**
   * Stopped half-way: whether the meeting took place is recorded, and what the mentee wrote is kept
   * as the summary (the steps not reached count as skipped, as does booking the next meeting).
   */
  keep(ctx, a) {
    const m = context(ctx);
    if (!m || m.meeting.status !== 'booked') return;
    if (a.tookPlace === 'no') {
      setMeetingOutcome(ctx.core, m.meeting.id, 'missed', ctx.person.id);
      bookNext(ctx, m, null);
    } else if (a.tookPlace === 'yes' && typeof a.points === 'string' && a.points.trim() !== '') {
      recordHeld(ctx, m, { ...a, next: null });
    } else if (a.tookPlace === 'yes') {
      setMeetingOutcome(ctx.core, m.meeting.id, 'held', ctx.person.id);
    }
  },
  finish(ctx, a) {
    const m = context(ctx)!;
    if (a.tookPlace === 'yes') return recordHeld(ctx, m, a);
    setMeetingOutcome(ctx.core, m.meeting.id, 'missed', ctx.person.id);
    return bookNext(ctx, m, a.reschedule as number | null);
  },
};

export const afterFlow = formFlow(afterForm);

const payload = z.object({ meetingId: z.number().int() });

export const afterAskTask: NudgeTask<z.infer<typeof payload>> = {
  kind: AFTER_ASK,
  opensDialogue: true,
  payload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.meeting.status !== 'booked') return { drop: 'the meeting was cancelled or is recorded already' };
    if (m.pair.status !== 'active') return { drop: 'the pair has ended' };
    const t = (key: string, vars = {}) => core.text.t(person.locale, key, vars);
    return formNudge(afterForm, core, person, { meetingId: m.meeting.id }, t('after.intro', { name: firstName(person.name) }), t('after.why', { when: meetingWhen(core, m.meeting, person) }));
  },
  delivered({ core, payload, person }) {
    openForm(afterForm, core, person, { meetingId: payload.meetingId, expiresAt: null });
  },
};

export function planAfterMeeting(core: Core, m: MeetingContext): void {
  const { meeting } = m;
  plan(core, {
    key: `${AFTER_ASK}:${meeting.id}:${meeting.startsAt}`,
    kind: AFTER_ASK,
    personId: m.mentee.id,
    subject: meetingSubject(meeting.id),
    payload: { meetingId: meeting.id },
    dueAt: meeting.startsAt + meeting.durationMin * MINUTE + m.programme.settings.afterMeetingHours * 60 * MINUTE,
  });
}

/** `summary`: the mentee writes the summary of the latest meeting now, without waiting to be asked. */
export const summaryCommand: Command = {
  name: 'summary',
  for: ['mentee'],
  run({ core, person }) {
    const pair = activePairsOf(core, person.id).find((p) => p.menteeId === person.id);
    if (!pair) return [{ text: core.text.t(person.locale, activePairsOf(core, person.id).length ? 'after.notMentee' : 'common.notParticipant') }];
    const meeting = core.db
      .prepare(
        `SELECT m.id FROM meetings m LEFT JOIN summaries s ON s.meeting_id = m.id
          WHERE m.pair_id = ? AND m.status IN ('booked', 'held') AND m.starts_at <= ? AND s.meeting_id IS NULL
          ORDER BY m.starts_at DESC LIMIT 1`,
      )
      .get(pair.id, core.clock.now()) as { id: number } | undefined;
    if (!meeting) return [{ text: core.text.t(person.locale, 'after.nothingToSum') }];
    return [startForm(afterForm, core, person, { meetingId: meeting.id })];
  },
};

export const afterMeetingDefinition: FlowDefinition = {
  name: 'after',
  dialogues: [afterFlow],
  tasks: [afterAskTask],
  commands: [summaryCommand, actionsCommand],
  on: { 'meeting.booked': withMeeting(planAfterMeeting), 'meeting.moved': withMeeting(planAfterMeeting) },
  stores: ['meetings', 'summaries', 'action_items'],
};
