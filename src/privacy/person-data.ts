/**
 * The shape of everything Sparring holds about one person, grouped as `mydata` shows it and as
 * `export-person` prints it: stable English keys, times as ISO 8601 in UTC, other people by first
 * name only. Only the person's own data, and what was sent to them (a shared agenda, a summary).
 */
import type { Role } from '../people';

export type MeetingStatus = 'booked' | 'held' | 'missed' | 'cancelled' | 'unrecorded';

export interface PersonExport {
  exportedAt: string;
  person: {
    id: number;
    name: string;
    email: string | null;
    language: string;
    timeZone: string;
    createdAt: string;
    identities: {
      platform: string;
      platformId: string;
      reachable: boolean;
      workspace: string | null;
      teams?: { tenantId: string | null; aadObjectId: string | null; savedAt: string };
      slackQuestionWaiting?: string;
    }[];
  };
  roles: { programme: string; role: Role; since: string; details: Record<string, unknown> }[];
  pairs: {
    pairId: number;
    programme: string;
    yourRole: 'mentee' | 'mentor';
    partner: string;
    status: 'active' | 'ended';
    matchedAt: string;
    endedAt: string | null;
    jobShadowing: string | null;
  }[];
  meetings: {
    meetingId: number;
    pairId: number;
    partner: string;
    startsAt: string;
    durationMinutes: number;
    place: string | null;
    /** The online-meeting link given when it was booked, if any. */
    onlineUrl: string | null;
    /** booked: still ahead; unrecorded: its time has passed and nobody has said whether it was held. */
    status: MeetingStatus;
    past: boolean;
    bookedByYou: boolean;
  }[];
  preparations: {
    meetingId: number;
    meetingStartsAt: string;
    /** yours: the mentee's own; sharedWithYou: the agenda a mentee shared with you, their mentor. */
    whose: 'yours' | 'sharedWithYou';
    mentee: string;
    /** Whether the mentee chose to share it with the mentor; null: not decided yet. */
    shared: boolean | null;
    completedAt: string | null;
    answers: { question: string; answer: string | null; answeredAt: string }[];
  }[];
  summaries: {
    meetingId: number;
    meetingStartsAt: string;
    /** yours: you wrote it; sentToYou: your mentee wrote it and it was sent to you. */
    whose: 'yours' | 'sentToYou';
    writtenBy: string;
    points: string;
    steps: { owner: string; text: string }[];
    mentorAddition: string | null;
    confirmedAt: string | null;
    createdAt: string;
  }[];
  steps: { stepId: number; meetingId: number | null; meetingStartsAt: string | null; text: string; createdAt: string; doneAt: string | null }[];
  agreement: { pairId: number; partner: string; item: string; answer: string | null; answeredAt: string }[];
  reflections: { meetingId: number; meetingStartsAt: string; worked: string | null; didNotWork: string | null; createdAt: string }[];
  checkins: { pairId: number; partner: string; professional: number; personal: number; answeredAt: string }[];
  /** Get-to-know answers before a first meeting: yours (as a mentor), or those your mentor shared with you. */
  introductions: { pairId: number; partner: string; whose: 'yours' | 'sharedWithYou'; about: string | null; curious: string | null; shared: boolean | null; answeredAt: string }[];
  /** Your goals from the agreement (as a mentee), with your own progress ratings (1 = not started … 5 = reached). */
  goals: { pairId: number; partner: string; goal: string | null; createdAt: string; droppedAt: string | null; progress: { moment: 'mid' | 'end'; value: number; answeredAt: string }[] }[];
  /** Where you stood on the eight statements at the start and at the end (1 = strongly disagree … 5 = strongly agree). */
  growth: { programme: string; item: string; start: number | null; startedAt: string | null; end: number | null; endedAt: string | null }[];
  surveys: { programme: string; role: string; item: string; value: number | null; text: string | null; answeredAt: string }[];
  pauses: { pausedUntil: string; activeNow: boolean }[];
  conversation: {
    /** Questions the bot asked: status open (with the answers so far), answered, cancelled, expired or stale. */
    questions: {
      flow: string;
      step: string;
      status: string;
      meetingId: number | null;
      askedAt: string | null;
      expiresAt: string | null;
      closedAt: string | null;
      answersSoFar: Record<string, unknown>;
    }[];
    messages: { kind: string; status: string; dueAt: string; deliveredAt: string | null }[];
    localChat: { deliveredAt: string; text: string }[];
    /** What the person wrote privately to the coordinator (contact, a low check-in, the fit check); their own words. */
    toCoordinator: { programme: string; about: string; message: string | null; sentAt: string }[];
  };
}
