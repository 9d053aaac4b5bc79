/**
 * What a coordinator does to a pair or a person: end a pair (both people are told, kindly, in their
 * own language), re-match a mentee (the old pair ends and the new one starts, in one go), send a
 * reminder now.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { closeDialoguesOfPair } from '../dialogues';
import { planCancellationNotices } from '../flows/booking/notices';
import { quietSubject, pairSubject, plan } from '../flows/plan';
import { getMeeting, meetingSubject, nextMeeting } from '../meetings';
import type { Message } from '../message';
import { meetingWhen } from '../flows/meeting-context';
import { getPair, type Pair } from '../pairs';
import { firstName, getPerson, type Person } from '../people';
import { getProgramme } from '../programme/programmes';
import { cancelNudges } from '../scheduler/nudges';
import type { NudgeTask } from '../scheduler/task';
import { inTransaction } from '../store/database';
import { DAY } from '../time';
import { confirmMatch, type MatchProblem } from './matching';

export const COORDINATOR_NUDGE = 'coordinator.nudge';
export const PAIR_ENDED = 'pair.ended';


/**
 * Ends a pair at a coordinator's request: stops everything planned for it (about the pair and about
 * any of its meetings), cancels its booked meetings (each person gets the calendar cancellation) and
 * tells both people that the pair has ended.
 */
export function endPair(core: Core, pair: Pair, options: { rematch?: boolean } = {}): void {
  inTransaction(core.db, () => {
    const now = core.clock.now();
    core.db.prepare("UPDATE pairs SET status = 'ended', ended_at = ? WHERE id = ?").run(now, pair.id);
    cancelNudges(core.db, pairSubject(pair.id));
    cancelNudges(core.db, quietSubject(pair.id));
    const meetings = core.db.prepare('SELECT id FROM meetings WHERE pair_id = ?').all(pair.id) as { id: number }[];
    for (const m of meetings) cancelNudges(core.db, meetingSubject(m.id));
    const upcoming = core.db.prepare("SELECT id FROM meetings WHERE pair_id = ? AND status = 'booked' AND starts_at > ?").all(pair.id, now) as { id: number }[];
    for (const personId of [pair.menteeId, pair.mentorId]) {
      plan(core, {
        key: `${PAIR_ENDED}:${pair.id}:${personId}`,
        kind: PAIR_ENDED,
        personId,
        payload: { pairId: pair.id, cancelledMeetings: upcoming.length, ...(options.rematch ? { rematch: true } : {}) },
        dueAt: now,
        expiresAt: now + 30 * DAY,
      });
    }
    for (const m of upcoming) {
      core.db.prepare("UPDATE meetings SET status = 'cancelled' WHERE id = ?").run(m.id);
      planCancellationNotices(core, getMeeting(core, m.id)!);
    }
    closeDialoguesOfPair(core, pair.id, 'the pair ended');
  });
  core.wake();
}

/** Thrown inside the re-match's transaction to undo the ended pair when the new match cannot be made. */
class RematchRefused extends Error {
  constructor(readonly problem: MatchProblem | 'same') {
    super(`the re-match was refused: ${problem}`);
  }
}

/**
 * Re-matches a mentee who has an active pair with another mentor, in one transaction: the old pair
 * ends as by `unmatch` (its planned nudges and dialogues stop, booked meetings are cancelled), both old
 * partners are told kindly in their own language with no reason given, and the new pair starts with
 * its introduction. Refused, changing nothing, when the mentor is the same or the match cannot be made.
 */
export function rematchMentee(
  core: Core,
  programmeId: number,
  current: Pair,
  mentorId: number,
  options: { allowRepeat?: boolean } = {},
): { ok: true; oldMentorId: number } | { ok: false; problem: MatchProblem | 'same' } {
  if (current.mentorId === mentorId) return { ok: false, problem: 'same' };
  try {
    inTransaction(core.db, () => {
      endPair(core, current, { rematch: true });
      const confirmed = confirmMatch(core, programmeId, current.menteeId, mentorId, options);
      if (!confirmed.ok) throw new RematchRefused(confirmed.problem);
    });
  } catch (error) {
    if (error instanceof RematchRefused) return { ok: false, problem: error.problem };
    throw error;
  }
  return { ok: true, oldMentorId: current.mentorId };
}

/** The chat's `match @mentee @mentor` for a mentee who has a mentor already: the re-match, and what the coordinator reads. */
export function rematchReply(
  ctx: { core: Core; person: Person },
  programme: { id: number; name: string },
  current: Pair,
  mentee: { personId: number; name: string },
  mentor: { personId: number; name: string },
  allowRepeat = false,
): Message[] {
  const t = (key: string, vars = {}) => ctx.core.text.t(ctx.person.locale, key, vars);
  const oldMentor = getPerson(ctx.core, current.mentorId)?.name ?? '?';
  const done = rematchMentee(ctx.core, programme.id, current, mentor.personId, { allowRepeat });
  if (done.ok) return [{ text: t('fit.rematch.done', { mentee: mentee.name, mentor: mentor.name, oldMentor }) }];
  if (done.problem === 'same') return [{ text: t('fit.rematch.same', { mentee: mentee.name, mentor: mentor.name }) }];
  const first = (name: string) => name.split(' ')[0]!.toLowerCase();
  if (done.problem === 'repeat') return [{ text: t('season.match.repeat', { mentee: mentee.name, mentor: mentor.name, menteeFirst: first(mentee.name), mentorFirst: first(mentor.name) }) }];
  const who = done.problem === 'notMentor' || done.problem === 'full' ? mentor : mentee;
  return [{ text: t(`coordinator.match.${done.problem}`, { name: who.name, programme: programme.name, first: who.name.split(' ')[0]!.toLowerCase() }) }];
}

const endedPayload = z.object({ pairId: z.number().int(), cancelledMeetings: z.number().int().nonnegative(), rematch: z.boolean().optional() });

/** To each of the two, in their own language: the pair has ended, what stops, whom to ask. No blame. */
export const pairEndedTask: NudgeTask<z.infer<typeof endedPayload>> = {
  kind: PAIR_ENDED,
  payload: endedPayload,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'ended') return { drop: 'the pair has not ended' };
    const isMentee = person.id === pair.menteeId;
    const other = getPerson(core, isMentee ? pair.mentorId : pair.menteeId);
    if (!other) return { drop: 'the other person is gone' };
    const { contacts } = getProgramme(core, pair.programmeId).settings;
    const t = (key: string) =>
      core.text.t(person.locale, key, { name: firstName(person.name), other: firstName(other.name), contact: contacts.coordinator ?? core.text.t(person.locale, 'welcome.noContact') });
    // A re-match: the mentee hears that a new mentor follows; the old mentor is given no reason.
    const ended = payload.rematch ? (isMentee ? 'fit.ended.mentee' : 'fit.ended.mentor') : isMentee ? 'coordinator.ended.mentee' : 'coordinator.ended.mentor';
    const lines = [t(ended)];
    if (payload.cancelledMeetings > 0) lines.push(t('coordinator.ended.meetings'));
    return { text: lines.join('\n\n'), why: t('coordinator.ended.why') };
  },
};

const payload = z.object({ pairId: z.number().int(), coordinator: z.string() });

export const coordinatorNudgeTask: NudgeTask<z.infer<typeof payload>> = {
  kind: COORDINATOR_NUDGE,
  payload,
  compose({ core, payload, person }) {
    const pair = core.db.prepare("SELECT mentee_id, mentor_id FROM pairs WHERE id = ? AND status = 'active'").get(payload.pairId) as
      | { mentee_id: number; mentor_id: number }
      | undefined;
    if (!pair) return { drop: 'the pair has ended' };
    const isMentee = person.id === pair.mentee_id;
    const other = firstName((getPerson(core, isMentee ? pair.mentor_id : pair.mentee_id)!).name);
    const next = nextMeeting(core, payload.pairId);
    const key = !isMentee ? 'mentor' : next ? 'prep' : 'book';
    return {
      text: core.text.t(person.locale, `coordinator.nudge.message.${key}`, { coordinator: payload.coordinator, other, when: next ? meetingWhen(core, next, person) : '' }),
      why: core.text.t(person.locale, 'coordinator.nudge.why'),
    };
  },
};

/** A reminder now to the named person (or both in their pair). Still waits for quiet hours. */
export function nudgeNow(core: Core, pairId: number, personIds: number[], coordinator: string): void {
  for (const personId of personIds) {
    plan(core, {
      key: `${COORDINATOR_NUDGE}:${pairId}:${personId}:${core.clock.now()}`,
      kind: COORDINATOR_NUDGE,
      personId,
      subject: pairSubject(pairId),
      payload: { pairId, coordinator },
      dueAt: core.clock.now(),
      expiresAt: core.clock.now() + 3 * 24 * 3600_000,
    });
  }
  core.wake();
}
