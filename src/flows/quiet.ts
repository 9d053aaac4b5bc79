/**
 * Quiet pairs. When a pair has nothing booked and its last meeting (or its match) is older than
 * the rhythm plus a grace period, the mentee is nudged to book; after a while both are. The
 * coordinator sees the pair as quiet from its facts (src/coordinator/risk.ts), not from these nudges.
 * Booking anything stops it all.
 * One planned row per pair, moved whenever the pair books, moves or cancels: the tick never scans pairs.
 */
import { z } from 'zod';
import type { Core } from '../core';
import { lastMeeting, nextMeeting } from '../meetings';
import { getPair } from '../pairs';
import { firstName, requirePerson } from '../people';
import { getProgramme, seasonEndsAt } from '../programme/programmes';
import { cancelNudges } from '../scheduler/nudges';
import type { NudgeTask } from '../scheduler/task';
import type { FlowDefinition, MeetingEvent } from './definition';
import { formNudge, openForm } from './form';
import { bookForm } from './booking/form';
import { dayAt, plan, quietSubject } from './plan';

export const QUIET_CHECK = 'quiet.check';

const payload = z.object({ pairId: z.number().int(), stage: z.union([z.literal(1), z.literal(2), z.literal(3)]), since: z.number().int() });

/**
 * Plans a stage for the people it speaks to, each at the nudge hour of their own zone, `days` days
 * after the local date of `from` (where they are): a mentor in New York is not nudged at a
 * Copenhagen mentee's morning hour.
 */
function planStage(core: Core, pairId: number, stage: 1 | 2, since: number, from: number, days: number): void {
  const pair = getPair(core, pairId)!;
  const programme = getProgramme(core, pair.programmeId);
  const people = stage === 2 ? [pair.menteeId, pair.mentorId] : [pair.menteeId];
  for (const personId of people) {
    const zone = requirePerson(core, personId).timezone;
    const dueAt = dayAt(from, days, programme.settings.nudgeHour, zone);
    plan(core, { key: `${QUIET_CHECK}:${pairId}:${since}:${stage}:${personId}`, kind: QUIET_CHECK, personId, subject: quietSubject(pairId), payload: { pairId, stage, since }, dueAt, expiresAt: seasonEndsAt(programme, zone) });
  }
}

/** Plans the first quiet check anew from the pair's latest meeting, or from its match. */
export function replanQuietCheck(core: Core, pairId: number): void {
  cancelNudges(core.db, quietSubject(pairId));
  const pair = getPair(core, pairId);
  if (!pair || pair.status !== 'active') return;
  const settings = getProgramme(core, pair.programmeId).settings;
  const upcoming = nextMeeting(core, pairId);
  const from = upcoming?.startsAt ?? lastMeeting(core, pairId)?.startsAt ?? null;
  const matchedAt = (core.db.prepare('SELECT matched_at FROM pairs WHERE id = ?').get(pairId) as { matched_at: number }).matched_at;
  const since = from ?? matchedAt;
  const days = from === null ? settings.quietGraceDays : settings.rhythmDays + settings.quietGraceDays;
  planStage(core, pairId, 1, since, since, days);
}

export const quietCheckTask: NudgeTask<z.infer<typeof payload>> = {
  kind: QUIET_CHECK,
  payload,
  opensDialogue: true,
  compose({ core, payload, person }) {
    const pair = getPair(core, payload.pairId);
    if (!pair || pair.status !== 'active') return { drop: 'the pair has ended' };
    if (nextMeeting(core, pair.id)) return { drop: 'a meeting is booked' };
    // A third stage was planned by earlier versions to mark the pair; the flag comes from the facts now.
    if (payload.stage === 3) return { drop: 'quiet pairs are flagged from their facts (coordinator/risk.ts)' };
    const isMentee = person.id === pair.menteeId;
    const other = firstName(requirePerson(core, isMentee ? pair.mentorId : pair.menteeId).name);
    const neverMet = !lastMeeting(core, pair.id);
    const key = `quiet.stage${payload.stage}.${isMentee ? 'mentee' : 'mentor'}${neverMet ? '.first' : ''}`;
    const text = core.text.t(person.locale, key, { other });
    const why = core.text.t(person.locale, neverMet ? 'quiet.why.first' : 'quiet.why', { other });
    if (!isMentee) return { text, why };
    return formNudge(bookForm, core, person, { state: { pairId: pair.id } }, text, why);
  },
  delivered({ core, payload, person }) {
    const pair = getPair(core, payload.pairId)!;
    const settings = getProgramme(core, pair.programmeId).settings;
    if (person.id === pair.menteeId) {
      openForm(bookForm, core, person, { state: { pairId: pair.id } });
      if (payload.stage === 1) planStage(core, pair.id, 2, payload.since, core.clock.now(), settings.quietEscalateDays);
    }
  },
};

/** When a meeting is booked, moved, cancelled or missed, the pair's quiet check is planned anew from where it now stands. */
const replan = (core: Core, event: MeetingEvent) => replanQuietCheck(core, event.meeting.pairId);

export const quietDefinition: FlowDefinition = {
  name: 'quiet',
  tasks: [quietCheckTask],
  on: { 'pair.matched': (core, e) => replanQuietCheck(core, e.pairId), 'meeting.booked': replan, 'meeting.moved': replan, 'meeting.cancelled': replan, 'meeting.missed': replan },
  stores: ['pairs'],
};
