/**
 * What a coordinator does to a pair or a person: end a pair (both people are told, kindly, in their
 * own language), send a reminder now.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { closeDialoguesOfPair } from '../dialogues';
import { planCancellationNotices } from '../flows/booking/notices';
import { quietSubject, pairSubject, plan } from '../flows/plan';
import { getMeeting, meetingSubject, nextMeeting } from '../meetings';
import { meetingWhen } from '../flows/meeting-context';
import { getPair, type Pair } from '../pairs';
import { firstName, getPerson, type Person } from '../people';
import { getProgramme } from '../programme/programmes';
import { cancelNudges } from '../scheduler/nudges';
import type { NudgeTask } from '../scheduler/task';
import { inTransaction } from '../store/database';
import { DAY } from '../time';

export const COORDINATOR_NUDGE = 'coordinator.nudge';
export const PAIR_ENDED = 'pair.ended';


/**
 * Ends a pair at a coordinator's request: stops everything planned for it (about the pair and about
 * any of its meetings), cancels its booked meetings (each person gets the calendar cancellation) and
 * tells both people that the pair has ended.
 */
export function endPair(core: Core, pair: Pair): void {
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
        payload: { pairId: pair.id, cancelledMeetings: upcoming.length },
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

const endedPayload = z.object({ pairId: z.number().int(), cancelledMeetings: z.number().int().nonnegative() });

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
    const lines = [t(isMentee ? 'coordinator.ended.mentee' : 'coordinator.ended.mentor')];
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
