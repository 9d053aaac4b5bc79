/**
 * Meetings of a pair. Booking, moving, cancelling a meeting or recording its outcome announces the
 * event (core.announce), and the flows plan what follows, in the same transaction; moving or
 * cancelling first cancels every nudge tied to the meeting. This module imports no flow.
 */
import { z } from 'zod';
import type { Core } from './core';
import { InputError } from './errors';
import { getPair } from './pairs';
import { cancelNudges } from './scheduler/nudges';
import { inTransaction } from './store/database';
import { cachedRead } from './store/read-cache';

export interface Meeting {
  id: number;
  pairId: number;
  startsAt: number;
  durationMin: number;
  place: string | null;
  /** Where the meeting is held online (a Teams, Zoom or Meet link), if anywhere. */
  onlineUrl: string | null;
  status: 'booked' | 'held' | 'cancelled' | 'missed';
  sequence: number;
}

export type { MeetingEvent, MeetingEventType } from './events';

const columns = 'id, pair_id AS pairId, starts_at AS startsAt, duration_min AS durationMin, place, online_url AS onlineUrl, status, sequence';

export const meetingSubject = (meetingId: number) => `meeting:${meetingId}`;

/** An online-meeting link: a whole http(s) URL ("www.…" is read as https://www.…). */
export const meetingLinkSchema = z
  .string()
  .trim()
  .max(2000, 'the link is longer than 2000 characters')
  .transform((s) => (/^www\./i.test(s) ? `https://${s}` : s))
  .pipe(z.httpUrl('the link must be a whole web address starting with https://'));

const bookingSchema = z.object({
  pairId: z.number().int().positive(),
  startsAt: z.number().int(),
  durationMin: z.number().int().min(15, 'a meeting lasts at least 15 minutes').max(480, 'a meeting lasts at most 8 hours'),
  place: z.string().trim().max(200, 'the place is longer than 200 characters').nullable().optional(),
  onlineUrl: meetingLinkSchema.nullable().optional(),
  bookedBy: z.number().int().positive().optional(),
});

export function getMeeting(core: Core, id: number): Meeting | null {
  return cachedRead(core.db, 'meeting', ['meetings'], id, () => (core.db.prepare(`SELECT ${columns} FROM meetings WHERE id = ?`).get(id) as Meeting | undefined) ?? null);
}

export function bookMeeting(core: Core, input: z.input<typeof bookingSchema>): Meeting {
  const parsed = bookingSchema.safeParse(input);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => i.message).join('; '));
  const b = parsed.data;
  return inTransaction(core.db, () => {
    const pair = getPair(core, b.pairId);
    if (!pair || pair.status !== 'active') throw new InputError('that pair is not active', { textKey: 'talk.error.pairEnded' });
    if (b.startsAt <= core.clock.now()) throw new InputError('the meeting must be in the future', { textKey: 'talk.error.meetingPast' });
    const { lastInsertRowid } = core.db
      .prepare('INSERT INTO meetings (pair_id, starts_at, duration_min, place, online_url, booked_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(b.pairId, b.startsAt, b.durationMin, b.place ?? null, b.onlineUrl ?? null, b.bookedBy ?? null, core.clock.now());
    const meeting = getMeeting(core, Number(lastInsertRowid))!;
    core.announce({ type: 'meeting.booked', meeting, by: b.bookedBy ?? null });
    return meeting;
  });
}

export function moveMeeting(core: Core, meetingId: number, startsAt: number, movedBy: number | null = null): Meeting {
  return inTransaction(core.db, () => {
    const meeting = getMeeting(core, meetingId);
    if (!meeting || meeting.status !== 'booked') throw new InputError('that meeting is not booked', { textKey: 'talk.error.notBooked' });
    if (startsAt <= core.clock.now()) throw new InputError('the meeting must be in the future', { textKey: 'talk.error.meetingPast' });
    core.db.prepare('UPDATE meetings SET starts_at = ?, sequence = sequence + 1 WHERE id = ?').run(startsAt, meetingId);
    cancelNudges(core.db, meetingSubject(meetingId));
    const moved = getMeeting(core, meetingId)!;
    core.announce({ type: 'meeting.moved', meeting: moved, by: movedBy });
    return moved;
  });
}

export function cancelMeeting(core: Core, meetingId: number, cancelledBy: number | null = null): void {
  inTransaction(core.db, () => {
    const meeting = getMeeting(core, meetingId);
    if (!meeting || meeting.status !== 'booked') throw new InputError('that meeting is not booked', { textKey: 'talk.error.notBooked' });
    core.db.prepare("UPDATE meetings SET status = 'cancelled' WHERE id = ?").run(meetingId);
    cancelNudges(core.db, meetingSubject(meetingId));
    core.announce({ type: 'meeting.cancelled', meeting: { ...meeting, status: 'cancelled' }, by: cancelledBy });
  });
}

/** Records whether a meeting took place ('held') or not ('missed'). */
export function setMeetingOutcome(core: Core, meetingId: number, status: 'held' | 'missed', by: number | null = null): void {
  core.db.prepare('UPDATE meetings SET status = ? WHERE id = ?').run(status, meetingId);
  const meeting = getMeeting(core, meetingId);
  if (meeting) core.announce({ type: status === 'held' ? 'meeting.held' : 'meeting.missed', meeting, by });
}

/** The pair's next booked meeting that has not started yet. */
export function nextMeeting(core: Core, pairId: number): Meeting | null {
  return (
    (core.db
      .prepare(`SELECT ${columns} FROM meetings WHERE pair_id = ? AND status = 'booked' AND starts_at > ? ORDER BY starts_at LIMIT 1`)
      .get(pairId, core.clock.now()) as Meeting | undefined) ?? null
  );
}

/** The pair's latest meeting that has started and was not cancelled or missed. */
export function lastMeeting(core: Core, pairId: number): Meeting | null {
  return (
    (core.db
      .prepare(`SELECT ${columns} FROM meetings WHERE pair_id = ? AND status IN ('booked', 'held') AND starts_at <= ? ORDER BY starts_at DESC LIMIT 1`)
      .get(pairId, core.clock.now()) as Meeting | undefined) ?? null
  );
}

export function heldMeetingCount(core: Core, pairId: number): number {
  return (core.db.prepare("SELECT count(*) AS n FROM meetings WHERE pair_id = ? AND status = 'held'").get(pairId) as { n: number }).n;
}
