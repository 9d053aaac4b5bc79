/** A meeting with its pair, both people and the programme: what most flows need to speak about it. */
import type { Core } from '../core';
import { getMeeting, type Meeting } from '../meetings';
import { getPair, type Pair } from '../pairs';
import { requirePerson, type Person } from '../people';
import { getProgramme, type Programme } from '../programme/programmes';
import { formatLocal } from '../time';

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

/** The meeting's time as the reader sees it, in their zone and language. */
export function meetingWhen(meeting: Meeting, reader: Person): string {
  return formatLocal(meeting.startsAt, reader.timezone, reader.locale);
}

/** True while the meeting is booked and has not started. */
export function isUpcoming(core: Core, meeting: Meeting): boolean {
  return meeting.status === 'booked' && meeting.startsAt > core.clock.now();
}
