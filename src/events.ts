/**
 * What happens in a season that flows react to: a participant joins, a pair is matched, a meeting is
 * booked, moved, cancelled, held or missed. The module that makes it happen announces it
 * (core.announce); every flow's definition says what it plans in reply, in the same transaction.
 */
import type { Meeting } from './meetings';
import type { Role } from './people';

export type MeetingEventType = 'meeting.booked' | 'meeting.moved' | 'meeting.cancelled' | 'meeting.held' | 'meeting.missed';

/** What happened to a meeting, and who did it (null: the system or someone unknown). */
export interface MeetingEvent {
  type: MeetingEventType;
  meeting: Meeting;
  by: number | null;
}

export interface JoinedEvent {
  type: 'participant.joined';
  programmeId: number;
  personId: number;
  role: Exclude<Role, 'coordinator'>;
}

export interface MatchedEvent {
  type: 'pair.matched';
  programmeId: number;
  pairId: number;
}

export type SeasonEvent = MeetingEvent | JoinedEvent | MatchedEvent;
export type SeasonEventType = SeasonEvent['type'];
export type EventOf<T extends SeasonEventType> = T extends MeetingEventType ? MeetingEvent : Extract<SeasonEvent, { type: T }>;
