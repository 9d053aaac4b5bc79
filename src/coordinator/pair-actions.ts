/** What a coordinator does to a pair or a person: end a pair, send a reminder now. */
import { z } from 'zod';
import type { Core } from '../core';
import { quietSubject, pairSubject, plan } from '../flows/plan';
import { meetingSubject, nextMeeting } from '../meetings';
import { meetingWhen } from '../flows/meeting-context';
import { getPerson } from '../people';
import { cancelNudges } from '../scheduler/nudges';
import type { NudgeTask } from '../scheduler/task';
import { inTransaction } from '../store/database';
import type { Pair } from '../pairs';

export const COORDINATOR_NUDGE = 'coordinator.nudge';

/** Ends a pair and stops everything planned for it. */
export function endPair(core: Core, pair: Pair): void {
  inTransaction(core.db, () => {
    core.db.prepare("UPDATE pairs SET status = 'ended', ended_at = ? WHERE id = ?").run(core.clock.now(), pair.id);
    cancelNudges(core.db, pairSubject(pair.id));
    cancelNudges(core.db, quietSubject(pair.id));
    const upcoming = core.db.prepare("SELECT id FROM meetings WHERE pair_id = ? AND status = 'booked' AND starts_at > ?").all(pair.id, core.clock.now()) as { id: number }[];
    for (const m of upcoming) {
      core.db.prepare("UPDATE meetings SET status = 'cancelled' WHERE id = ?").run(m.id);
      cancelNudges(core.db, meetingSubject(m.id));
    }
    for (const personId of [pair.menteeId, pair.mentorId]) {
      core.db.prepare("DELETE FROM dialogues WHERE person_id = ? AND flow NOT IN ('surveyMentee', 'surveyMentor')").run(personId);
    }
  });
}

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
    const other = getPerson(core, isMentee ? pair.mentor_id : pair.mentee_id)!.name;
    const next = nextMeeting(core, payload.pairId);
    const key = !isMentee ? 'mentor' : next ? 'prep' : 'book';
    return {
      text: core.text.t(person.locale, `coordinator.nudge.message.${key}`, { coordinator: payload.coordinator, other, when: next ? meetingWhen(next, person) : '' }),
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
