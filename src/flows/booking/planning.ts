/**
 * Equal partners in planning. Whoever books a meeting (mostly the mentee), the partner gets it as a
 * question: works for me / suggest another time / can't make it.
 *
 * - Works for me: the booker is told the meeting stands.
 * - Another time: the partner types a time (read like every booked date, confirmed when doubtful).
 *   While the booker decides, the meeting's own nudges (prep prompt, reminders, the questions after
 *   it) are held back, since its time is in question; the booker is asked to accept (the meeting
 *   moves: the invitations follow as a move) or to choose another time (the booking form moves it,
 *   and the partner is asked again). Unanswered until two hours before the first time, the meeting
 *   lapses: it is cancelled, and a later "yes" books the suggested time anew.
 * - Can't make it: the meeting is cancelled (both get the cancellation for their calendars), and the
 *   booker is asked for another time (the booking form, keeping length and place).
 *
 * Each question is about one version of the meeting (its sequence); its buttons carry that version.
 * An answer about an older version, typed late or from an old button, is told kindly what changed
 * and asked about the time as it is now. Nothing here is free text: only choices and times.
 */
import { z } from 'zod';
import type { Core } from '../../core';
import { closeDialogue, getDialogue, moveDialogue, type Dialogue } from '../../dialogues';
import { bookMeeting, cancelMeeting, meetingSubject, moveMeeting, nextMeeting } from '../../meetings';
import type { Message } from '../../message';
import { firstName, type Person } from '../../people';
import { cancelNudges } from '../../scheduler/nudges';
import type { NudgeTask } from '../../scheduler/task';
import { HOUR } from '../../time';
import type { Vars } from '../../text/catalog';
import { formatWhen } from '../datetime';
import type { Flow, ReplyContext } from '../flow';
import { askFormStep, formFlow, formNudge, openForm, startForm, type Answers, type FormContext, type FormSpec } from '../form';
import { isUpcoming, meetingContext, meetingWhen, type MeetingContext, upcomingMeetingContext } from '../meeting-context';
import { plan, planLatest, withdrawPending } from '../plan';
import { bookForm } from './form';
import { markInviteAgreed, noticeDueAt } from './notices';

export const PLANNING_ASK = 'planning.ask';
export const PLANNING_CONFIRMED = 'planning.confirmed';
export const PLANNING_PROPOSAL = 'planning.proposal';
export const PLANNING_REBOOK = 'planning.rebook';
export const PLANNING_LAPSE = 'planning.lapse';

/** A suggestion left unanswered this long before the meeting's first time lets the meeting lapse. */
const LAPSE_BEFORE = 2 * HOUR;

/** What a planning question is about: one version of the meeting, and for the booker the time suggested. */
interface Asked {
  sequence: number;
  startsAt: number;
  proposedAt?: number;
}

const askedSchema = z.object({ sequence: z.number().int(), startsAt: z.number().int(), proposedAt: z.number().int().optional() });

function askedOf(d: Pick<Dialogue, 'state'>): Asked | null {
  const parsed = askedSchema.safeParse(d.state);
  return parsed.success ? parsed.data : null;
}

const otherOf = (m: MeetingContext, person: Pick<Person, 'id'>): Person => (person.id === m.mentee.id ? m.mentor : m.mentee);

/** The partner of whoever acted, when that was one of the pair (not the system or a coordinator). */
function partnerOf(m: MeetingContext, by: number | null): Person | null {
  if (by === m.mentee.id) return m.mentor;
  if (by === m.mentor.id) return m.mentee;
  return null;
}

/** One question slot per meeting and person: a move replaces a question still waiting to go out. */
export const askSlot = (meetingId: number, personId: number) => `${PLANNING_ASK}:${meetingId}:${personId}`;

const when = (core: Core, at: number, reader: Person) => formatWhen(at, reader.timezone, reader.locale, core.clock.now());

// ---- the questions ---------------------------------------------------------------------------

/**
 * One form for both sides: the partner starts at `answer` (then `when` for another time), the booker
 * at `proposal`. Each person has at most one about a meeting (its subject is the meeting).
 */
export const planningForm: FormSpec = {
  name: 'planning',
  steps: {
    answer: { kind: 'choice', options: ['works', 'propose', 'cant'], skippable: true },
    when: { kind: 'datetime' },
    proposal: { kind: 'choice', options: ['accept', 'other'] },
  },
  next: (step, answer) => (step === 'answer' && answer === 'propose' ? 'when' : null),
  vars(ctx) {
    const m = ctx.dialogue.meetingId ? meetingContext(ctx.core, ctx.dialogue.meetingId) : null;
    if (!m) return { other: '', when: '', proposed: '' };
    const asked = askedOf(ctx.dialogue);
    return {
      other: firstName(otherOf(m, ctx.person).name),
      when: when(ctx.core, asked?.startsAt ?? m.meeting.startsAt, ctx.person),
      proposed: asked?.proposedAt ? when(ctx.core, asked.proposedAt, ctx.person) : '',
    };
  },
  season(ctx) {
    return ctx.dialogue.meetingId ? (meetingContext(ctx.core, ctx.dialogue.meetingId)?.programme ?? null) : null;
  },
  finish(ctx, a) {
    const m = meetingContext(ctx.core, ctx.dialogue.meetingId!)!;
    const asked = askedOf(ctx.dialogue)!;
    return a.proposal !== undefined ? finishProposal(ctx, m, asked, a.proposal as string) : finishAnswer(ctx, m, a);
  },
};

/** The partner's answer: the meeting stands, another time goes to the booker, or the meeting is off. */
function finishAnswer(ctx: FormContext, m: MeetingContext, a: Answers): Message[] {
  const { core, person } = ctx;
  const booker = otherOf(m, person);
  const t = (key: string, vars: Vars = {}) => core.text.t(person.locale, key, { other: firstName(booker.name), when: meetingWhen(core, m.meeting, person), ...vars });
  switch (a.answer) {
    case 'works':
      planConfirmed(core, m, booker);
      return [{ text: t('planning.reply.works') }];
    case 'propose': {
      const proposedAt = a.when as number;
      if (proposedAt === m.meeting.startsAt) {
        planConfirmed(core, m, booker);
        return [{ text: t('planning.reply.sameTime') }];
      }
      propose(core, m, booker, proposedAt);
      return [{ text: t('planning.reply.proposed', { proposed: when(core, proposedAt, person) }) }];
    }
    case 'cant':
      cancelMeeting(core, m.meeting.id, person.id);
      plan(core, {
        key: `${PLANNING_REBOOK}:${m.meeting.id}:${booker.id}`,
        kind: PLANNING_REBOOK,
        personId: booker.id,
        payload: { meetingId: m.meeting.id },
        dueAt: core.clock.now(),
      });
      core.wake();
      return [{ text: t('planning.reply.declined') }];
    default: // skipped: the meeting stands as booked, and nobody is told anything new
      return [{ text: t('planning.reply.kept') }];
  }
}

/** Another time suggested: the meeting's own nudges wait, the booker is asked, and the meeting lapses if nobody answers. */
function propose(core: Core, m: MeetingContext, booker: Person, proposedAt: number): void {
  const { meeting } = m;
  const now = core.clock.now();
  cancelNudges(core.db, meetingSubject(meeting.id));
  plan(core, {
    key: `${PLANNING_PROPOSAL}:${meeting.id}:${meeting.sequence}:${proposedAt}`,
    kind: PLANNING_PROPOSAL,
    personId: booker.id,
    payload: { meetingId: meeting.id, sequence: meeting.sequence, startsAt: meeting.startsAt, proposedAt },
    dueAt: now,
    expiresAt: proposedAt,
  });
  // Tied to the meeting: a move or a cancellation makes it moot.
  plan(core, {
    key: `${PLANNING_LAPSE}:${meeting.id}:${meeting.sequence}`,
    kind: PLANNING_LAPSE,
    personId: booker.id,
    subject: meetingSubject(meeting.id),
    payload: { meetingId: meeting.id, sequence: meeting.sequence },
    dueAt: Math.max(now, meeting.startsAt - LAPSE_BEFORE),
  });
  core.wake();
}

/** The booker's answer to a suggestion: take it (a move, or a new booking if the meeting lapsed), or choose another time. */
function finishProposal(ctx: FormContext, m: MeetingContext, asked: Asked, choice: string): Message[] {
  const { core, person } = ctx;
  const partner = otherOf(m, person);
  const stillBooked = m.meeting.status === 'booked' && m.meeting.sequence === asked.sequence;
  if (choice === 'other') {
    const state = stillBooked ? { pairId: m.pair.id, moveMeetingId: m.meeting.id } : { pairId: m.pair.id, fromMeetingId: m.meeting.id };
    return [startForm(bookForm, core, person, { state })];
  }
  const vars = { other: firstName(partner.name) };
  if (stillBooked) {
    const moved = moveMeeting(core, m.meeting.id, asked.proposedAt!, person.id);
    // The partner suggested this time: they are not asked about it again.
    withdrawPending(core, askSlot(moved.id, partner.id), 'the partner suggested this time');
    markInviteAgreed(core, moved.id, partner.id);
    return [{ text: core.text.t(person.locale, 'book.moved', { ...vars, when: meetingWhen(core, moved, person) }) }];
  }
  const { durationMin, place, onlineUrl } = m.meeting;
  const booked = bookMeeting(core, { pairId: m.pair.id, startsAt: asked.proposedAt!, durationMin, place, onlineUrl, bookedBy: person.id });
  withdrawPending(core, askSlot(booked.id, partner.id), 'the partner suggested this time');
  return [{ text: core.text.t(person.locale, 'planning.reply.bookedProposal', { ...vars, when: meetingWhen(core, booked, person) }) }];
}

function planConfirmed(core: Core, m: MeetingContext, booker: Person): void {
  plan(core, {
    key: `${PLANNING_CONFIRMED}:${m.meeting.id}:${m.meeting.sequence}:${booker.id}`,
    kind: PLANNING_CONFIRMED,
    personId: booker.id,
    payload: { meetingId: m.meeting.id, sequence: m.meeting.sequence },
    dueAt: core.clock.now(),
    expiresAt: m.meeting.startsAt,
  });
  core.wake();
}

// ---- answers about another version of the meeting ----------------------------------------------

/** Buttons carry the version they were asked about: `works@2`. */
const TAGGED = /^\s*([a-z]+)@(\d+)\s*$/;
const TAGGABLE = /^planning\.(answer|proposal)\.\d+$/;

function tag(message: Message, sequence: number | undefined): Message {
  const q = message.question;
  if (sequence === undefined || q?.kind !== 'choice' || !TAGGABLE.test(q.id)) return message;
  return { ...message, question: { ...q, options: q.options.map((o) => ({ ...o, value: `${o.value}@${sequence}` })) } };
}

const base = formFlow(planningForm);

/** The partner's question asked again about the meeting as it is now, after a line on what changed. */
function askAgain(rc: ReplyContext, d: Dialogue, m: MeetingContext): Message {
  const state = { sequence: m.meeting.sequence, startsAt: m.meeting.startsAt, answers: {} };
  moveDialogue(rc.core, d.id, 'answer', state);
  // Asked here and now: the question about the new time still waiting to go out is not needed.
  withdrawPending(rc.core, askSlot(m.meeting.id, rc.person.id), 'asked in the conversation');
  const ask = tag(base.ask(rc, { ...d, step: 'answer', state }), state.sequence);
  const changed = rc.core.text.t(rc.person.locale, 'planning.stale.moved', { when: meetingWhen(rc.core, m.meeting, rc.person) });
  return { ...ask, text: `${changed}\n\n${ask.text}` };
}

/** Why a suggestion can no longer be taken, as the booker reads it; null while it can. */
function proposalProblem(core: Core, m: MeetingContext, asked: Asked, reader: Person): string | null {
  const t = (key: string, vars: Vars = {}) => core.text.t(reader.locale, key, { other: firstName(otherOf(m, reader).name), ...vars });
  if (m.pair.status !== 'active') return core.text.t(reader.locale, 'talk.error.pairEnded');
  if (m.meeting.status === 'booked' && m.meeting.sequence !== asked.sequence) return t('planning.stale.proposalMoved', { when: meetingWhen(core, m.meeting, reader) });
  if (m.meeting.status !== 'booked') {
    // Lapsed or cancelled: the suggestion still stands, unless another meeting has been booked since.
    const next = nextMeeting(core, m.pair.id);
    if (next) return t('planning.stale.proposalBooked', { when: meetingWhen(core, next, reader) });
  }
  if (asked.proposedAt === undefined || asked.proposedAt <= core.clock.now()) return t('planning.stale.proposalPast');
  return null;
}

/** What to say to an answer whose question no longer fits the meeting, or null when it still does. */
function staleReply(rc: ReplyContext, d: Dialogue): Message[] | null {
  const { core, person } = rc;
  const m = d.meetingId ? meetingContext(core, d.meetingId) : null;
  const asked = askedOf(d);
  const close = (note: string, text: string) => {
    closeDialogue(core, d.id, 'stale', note);
    return [{ text }];
  };
  if (!m || !asked) return close('the meeting is gone', core.text.t(person.locale, 'talk.lostPoint', { title: base.title(rc, d) }));
  if (d.step === 'proposal') {
    const problem = proposalProblem(core, m, asked, person);
    return problem ? close('the suggestion no longer applies', problem) : null;
  }
  if (m.meeting.status === 'cancelled') return close('the meeting was cancelled', core.text.t(person.locale, 'planning.stale.cancelled', { when: meetingWhen(core, m.meeting, person) }));
  if (!isUpcoming(core, m.meeting) || m.pair.status !== 'active') return close('the meeting is no longer ahead', core.text.t(person.locale, 'talk.lostPoint', { title: base.title(rc, d) }));
  if (m.meeting.sequence !== asked.sequence) return [askAgain(rc, d, m)];
  return null;
}

/** The planning dialogue: the form, with answers checked against the meeting as it is now. */
export const planningFlow: Flow = {
  ...base,
  ask: (rc, d) => tag(base.ask(rc, d), askedOf(d)?.sequence),
  reply(rc, d, raw) {
    const stale = staleReply(rc, d);
    if (stale) return stale;
    const sequence = askedOf(d)!.sequence;
    const tagged = TAGGED.exec(raw);
    if (tagged && Number(tagged[2]) !== sequence) {
      // A button of an earlier question about this meeting: the time it asked about has changed.
      const m = meetingContext(rc.core, d.meetingId!)!;
      if (d.step === 'proposal') return [tag(base.ask(rc, d), sequence)];
      return [askAgain(rc, d, m)];
    }
    return base.reply(rc, d, tagged ? tagged[1]! : raw).map((r) => tag(r, sequence));
  },
};

// ---- what happens to the meeting -----------------------------------------------------------------

/** Asks the partner about the meeting as it now is, with the invitation (replacing a question still waiting). */
function planAsk(core: Core, m: MeetingContext, partner: Person): void {
  planLatest(core, askSlot(m.meeting.id, partner.id), m.meeting.sequence, {
    kind: PLANNING_ASK,
    personId: partner.id,
    payload: { meetingId: m.meeting.id, sequence: m.meeting.sequence },
    dueAt: noticeDueAt(core, m),
    expiresAt: m.meeting.startsAt,
  });
  core.wake();
}

/** The person's open planning questions about the meeting (the booker's suggestion among them when `sides` is 'all'). */
function openPlanning(core: Core, meetingId: number, sides: 'all' | 'partner', personId?: number): number[] {
  const rows = core.db
    .prepare(
      `SELECT id FROM dialogues WHERE status = 'open' AND flow = 'planning' AND meeting_id = @meetingId
         AND (@personId IS NULL OR person_id = @personId) AND (@sides = 'all' OR step <> 'proposal')`,
    )
    .all({ meetingId, personId: personId ?? null, sides }) as { id: number }[];
  return rows.map((r) => r.id);
}

export function planningOnBooked(core: Core, m: MeetingContext, by: number | null): void {
  const partner = partnerOf(m, by);
  if (partner) planAsk(core, m, partner);
}

export function planningOnMoved(core: Core, m: MeetingContext, by: number | null): void {
  const partner = partnerOf(m, by);
  if (!partner) return;
  // Whoever moved it has answered with that: their own questions about the meeting are done.
  for (const id of openPlanning(core, m.meeting.id, 'all', by!)) closeDialogue(core, id, 'stale', 'they moved the meeting themselves');
  planAsk(core, m, partner);
}

/** Nothing is left to ask about a cancelled meeting; a suggestion to the booker stays (it books anew). */
export function planningOnCancelled(core: Core, meetingId: number): void {
  const m = meetingContext(core, meetingId);
  if (!m) return;
  for (const person of [m.mentee, m.mentor]) withdrawPending(core, askSlot(meetingId, person.id), 'the meeting was cancelled');
  for (const id of openPlanning(core, meetingId, 'partner')) closeDialogue(core, id, 'stale', 'the meeting was cancelled');
}

// ---- the nudges ----------------------------------------------------------------------------------

const versionPayload = z.object({ meetingId: z.number().int(), sequence: z.number().int() });

/** The partner's open question about this very version of the meeting, if the conversation asked it already. */
function alreadyAsked(core: Core, personId: number, m: MeetingContext): boolean {
  return openPlanning(core, m.meeting.id, 'partner', personId).some((id) => askedOf(getDialogue(core, id)!)?.sequence === m.meeting.sequence);
}

export const planningAskTask: NudgeTask<z.infer<typeof versionPayload>> = {
  kind: PLANNING_ASK,
  opensDialogue: true,
  payload: versionPayload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || !isUpcoming(core, m.meeting) || m.pair.status !== 'active') return { drop: 'the meeting is no longer ahead' };
    if (m.meeting.sequence !== payload.sequence) return { drop: 'the meeting has moved again' };
    if (alreadyAsked(core, person.id, m)) return { drop: 'asked in the conversation already' };
    const dialogue = { meetingId: m.meeting.id, state: { sequence: m.meeting.sequence, startsAt: m.meeting.startsAt, answers: {} } };
    const ask = tag(askFormStep(planningForm, { core, person, dialogue }, 'answer'), m.meeting.sequence);
    return { ...ask, why: core.text.t(person.locale, 'planning.why.ask', { other: firstName(otherOf(m, person).name) }) };
  },
  delivered({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m) return;
    openForm(planningForm, core, person, {
      meetingId: m.meeting.id,
      state: { sequence: m.meeting.sequence, startsAt: m.meeting.startsAt },
      step: 'answer',
      expiresAt: m.meeting.startsAt,
    });
  },
};

const proposalPayload = versionPayload.extend({ startsAt: z.number().int(), proposedAt: z.number().int() });

export const planningProposalTask: NudgeTask<z.infer<typeof proposalPayload>> = {
  kind: PLANNING_PROPOSAL,
  opensDialogue: true,
  // The meeting lapses two hours before it unless the booker answers: not held back by another question.
  urgent: true,
  payload: proposalPayload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is gone' };
    const asked = { sequence: payload.sequence, startsAt: payload.startsAt, proposedAt: payload.proposedAt };
    const problem = proposalProblem(core, m, asked, person);
    if (problem) return { drop: 'the suggestion no longer applies' };
    const ask = askFormStep(planningForm, { core, person, dialogue: { meetingId: m.meeting.id, state: { ...asked, answers: {} } } }, 'proposal');
    return { ...tag(ask, payload.sequence), why: core.text.t(person.locale, 'planning.why.proposal', { other: firstName(otherOf(m, person).name) }) };
  },
  delivered({ core, payload, person }) {
    openForm(planningForm, core, person, {
      meetingId: payload.meetingId,
      state: { sequence: payload.sequence, startsAt: payload.startsAt, proposedAt: payload.proposedAt },
      step: 'proposal',
      expiresAt: payload.proposedAt,
    });
  },
};

const meetingPayload = z.object({ meetingId: z.number().int() });

/** After "can't make it": the booker is asked for another time, with the booking form's date question right there. */
export const planningRebookTask: NudgeTask<z.infer<typeof meetingPayload>> = {
  kind: PLANNING_REBOOK,
  opensDialogue: true,
  payload: meetingPayload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.pair.status !== 'active') return { drop: 'the pair has ended' };
    if (nextMeeting(core, m.pair.id)) return { drop: 'a meeting is booked' };
    const vars = { other: firstName(otherOf(m, person).name), when: meetingWhen(core, m.meeting, person) };
    const state = { pairId: m.pair.id, fromMeetingId: m.meeting.id };
    return formNudge(bookForm, core, person, { state }, core.text.t(person.locale, 'planning.rebook', vars), core.text.t(person.locale, 'planning.why.rebook', vars));
  },
  delivered({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (m) openForm(bookForm, core, person, { state: { pairId: m.pair.id, fromMeetingId: m.meeting.id } });
  },
};

export const planningConfirmedTask: NudgeTask<z.infer<typeof versionPayload>> = {
  kind: PLANNING_CONFIRMED,
  payload: versionPayload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    if (m.meeting.sequence !== payload.sequence) return { drop: 'the meeting has moved since' };
    const vars = { other: firstName(otherOf(m, person).name), when: meetingWhen(core, m.meeting, person) };
    return { text: core.text.t(person.locale, 'planning.confirmed', vars), why: core.text.t(person.locale, 'planning.why.confirmed') };
  },
};

/** A suggestion nobody took in time: the meeting at the first time will not happen, so it is cancelled. */
export const planningLapseTask: NudgeTask<z.infer<typeof versionPayload>> = {
  kind: PLANNING_LAPSE,
  payload: versionPayload,
  compose({ core, payload }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.meeting.status !== 'booked' || m.meeting.sequence !== payload.sequence) return { drop: 'the meeting has moved or was cancelled' };
    return { silent: 'the suggested time was not answered: the meeting lapses' };
  },
  delivered({ core, payload }) {
    const m = meetingContext(core, payload.meetingId);
    if (m && m.meeting.status === 'booked' && m.meeting.sequence === payload.sequence) cancelMeeting(core, m.meeting.id, null);
  },
};

export const planningTasks = [planningAskTask, planningProposalTask, planningRebookTask, planningConfirmedTask, planningLapseTask] as const;
