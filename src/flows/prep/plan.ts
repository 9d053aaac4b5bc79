/**
 * Plans the mentee's prep prompt for a meeting: `prepLeadDays` before it, at `prepHour` in the
 * mentee's zone, moved back to a weekday. A late booking gets it now (quiet hours still apply).
 */
import type { Core } from '../../core';
import { meetingSubject, type Meeting } from '../../meetings';
import { planNudge } from '../../scheduler/nudges';
import { atLocalTime, HOUR, previousWeekday, shiftLocalDate } from '../../time';
import { meetingContext } from '../meeting-context';

export const PREP_PROMPT = 'prep.prompt';
export const PREP_AGENDA = 'prep.agenda';

export function prepDueAt(meeting: Meeting, zone: string, leadDays: number, hour: number): number {
  const day = previousWeekday(shiftLocalDate(meeting.startsAt, -leadDays, zone));
  return atLocalTime(day, hour, 0, zone);
}

export function planPrep(core: Core, meeting: Meeting): void {
  const ctx = meetingContext(core, meeting.id);
  if (!ctx) return;
  const { prepLeadDays, prepHour } = ctx.programme.settings;
  const now = core.clock.now();
  const expiresAt = meeting.startsAt - HOUR;
  const dueAt = Math.max(now, prepDueAt(meeting, ctx.mentee.timezone, prepLeadDays, prepHour));
  if (dueAt >= expiresAt) return; // booked too close to the meeting for a prompt to help
  planNudge(
    core.db,
    {
      key: `${PREP_PROMPT}:${meeting.id}:${meeting.startsAt}`,
      kind: PREP_PROMPT,
      personId: ctx.mentee.id,
      subject: meetingSubject(meeting.id),
      payload: { meetingId: meeting.id },
      dueAt,
      expiresAt,
    },
    now,
  );
}
