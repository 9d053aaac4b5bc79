/** Everything the flows plan when a meeting is booked or moved, and what follows a cancellation. */
import type { Core } from '../core';
import type { Meeting } from '../meetings';
import { planAfterMeeting } from './after-meeting';
import { planAlignment } from './alignment';
import { planCancellationNotices, planMeetingNotices } from './booking/notices';
import { meetingContext } from './meeting-context';
import { planPrep } from './prep/plan';
import { replanQuietCheck } from './quiet';
import { planReflection } from './reflection';

export function planMeetingNudges(core: Core, meeting: Meeting, event: { bookedBy: number | null; moved: boolean }): void {
  const m = meetingContext(core, meeting.id);
  if (!m) return;
  planMeetingNotices(core, m, event);
  planAlignment(core, m);
  planPrep(core, meeting);
  planAfterMeeting(core, m);
  planReflection(core, m);
  replanQuietCheck(core, m.pair.id);
}

export function meetingCancelled(core: Core, meeting: Meeting): void {
  planCancellationNotices(core, meeting);
  replanQuietCheck(core, meeting.pairId);
}
