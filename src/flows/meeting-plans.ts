/** Everything the flows plan when a meeting is booked or moved (moving cancels the old plans first). */
import type { Core } from '../core';
import type { Meeting } from '../meetings';
import { planPrep } from './prep/plan';

export function planMeetingNudges(core: Core, meeting: Meeting): void {
  planPrep(core, meeting);
}
