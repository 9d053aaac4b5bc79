/** A meeting with its pair, both people and the programme: what most flows need to speak about it. */
import type { Core } from '../core';
import { getMeeting, type Meeting, type MeetingEvent } from '../meetings';
import { getPair, type Pair } from '../pairs';
import { requirePerson, type Person } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';
import { formatWhen } from '../time';

export interface MeetingContext {
  meeting: Meeting;
  pair: Pair;
  mentee: Person;
  mentor: Person;
  programme: Programme;
}

export function meetingContext(core: Core, meetingId: number): MeetingContext | null {
  const meeting = getMeeting(core, meetingId);
  if (!meeting) return null;
  const pair = getPair(core, meeting.pairId)!;
  return {
    meeting,
    pair,
    mentee: requirePerson(core, pair.menteeId),
    mentor: requirePerson(core, pair.mentorId),
    programme: getProgramme(core, pair.programmeId),
  };
}

/**
 * The meeting's time as the reader sees it, in their zone and language: weekday, date, the year
 * when it is not this year, and time ("tirsdag den 10. december kl. 16.00").
 */
export function meetingWhen(core: Core, meeting: Meeting, reader: Person): string {
  return formatWhen(meeting.startsAt, reader.timezone, reader.locale, core.clock.now());
}

/** True while the meeting is booked and has not started. */
export function isUpcoming(core: Core, meeting: Meeting): boolean {
  return meeting.status === 'booked' && meeting.startsAt > core.clock.now();
}

/** The meeting with its pair and people while it is still ahead (booked, not started); null otherwise. */
export function upcomingMeetingContext(core: Core, meetingId: number): MeetingContext | null {
  const m = meetingContext(core, meetingId);
  return m && isUpcoming(core, m.meeting) ? m : null;
}

/** A flow's reaction to a meeting event that needs the meeting with its pair and people (none if the meeting is gone). */
export function withMeeting(act: (core: Core, m: MeetingContext, event: MeetingEvent) => void): (core: Core, event: MeetingEvent) => void {
  return (core, event) => {
    const m = meetingContext(core, event.meeting.id);
    if (m) act(core, m, event);
  };
}
