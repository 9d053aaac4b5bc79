/**
 * What both people get about a meeting: the calendar invitation when it is booked or moved, the
 * cancellation when it is cancelled, and a reminder the day before.
 */
import { z } from 'zod';
import { buildIcs } from '../../calendar/ics';
import { firstName } from '../../people';
import type { Core } from '../../core';
import { meetingSubject, type Meeting } from '../../meetings';
import type { Attachment } from '../../message';
import type { Person } from '../../people';
import type { NudgeTask } from '../../scheduler/task';
import { HOUR, MINUTE } from '../../time';
import { isUpcoming, meetingContext, meetingWhen, type MeetingContext } from '../meeting-context';
import { dayAt, plan } from '../plan';

export const MEETING_INVITE = 'meeting.invite';
export const MEETING_CANCELLED = 'meeting.cancelled';
export const MEETING_REMINDER = 'meeting.reminder';

function other(m: MeetingContext, person: Person): Person {
  return person.id === m.mentee.id ? m.mentor : m.mentee;
}

function invitation(core: Core, m: MeetingContext, reader: Person, method: 'REQUEST' | 'CANCEL', sequence: number): Attachment {
  const t = (key: string) => core.text.t(reader.locale, key, { mentee: m.mentee.name, mentor: m.mentor.name });
  return {
    filename: 'mentormoede.ics',
    mediaType: 'text/calendar',
    content: buildIcs({
      uid: `meeting-${m.meeting.id}@sparring`,
      sequence,
      method,
      start: m.meeting.startsAt,
      end: m.meeting.startsAt + m.meeting.durationMin * MINUTE,
      stamp: core.clock.now(),
      summary: t('meeting.ics.summary'),
      location: m.meeting.place,
      description: t('meeting.ics.description'),
    }),
  };
}

const invitePayload = z.object({ meetingId: z.number().int(), sequence: z.number().int(), bookedBy: z.number().int().nullable(), moved: z.boolean() });

export const meetingInviteTask: NudgeTask<z.infer<typeof invitePayload>> = {
  kind: MEETING_INVITE,
  payload: invitePayload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || !isUpcoming(core, m.meeting)) return { drop: 'the meeting is no longer ahead' };
    if (m.meeting.sequence !== payload.sequence) return { drop: 'the meeting has moved again' };
    const byMe = payload.bookedBy === person.id;
    const key = payload.moved ? (byMe ? 'meeting.moved.self' : 'meeting.moved.other') : byMe ? 'meeting.booked.self' : 'meeting.booked.other';
    const vars = { other: firstName(other(m, person).name), when: meetingWhen(core, m.meeting, person), minutes: m.meeting.durationMin, place: m.meeting.place ?? '—' };
    return {
      text: core.text.t(person.locale, key, vars),
      why: core.text.t(person.locale, 'meeting.why.invite'),
      attachments: [invitation(core, m, person, 'REQUEST', m.meeting.sequence)],
    };
  },
};

const meetingPayload = z.object({ meetingId: z.number().int() });

export const meetingCancelledTask: NudgeTask<z.infer<typeof meetingPayload>> = {
  kind: MEETING_CANCELLED,
  payload: meetingPayload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || m.meeting.status !== 'cancelled') return { drop: 'the meeting is not cancelled' };
    return {
      text: core.text.t(person.locale, 'meeting.cancelled', { other: firstName(other(m, person).name), when: meetingWhen(core, m.meeting, person) }),
      why: core.text.t(person.locale, 'meeting.why.invite'),
      attachments: [invitation(core, m, person, 'CANCEL', m.meeting.sequence + 1)],
    };
  },
};

export const meetingReminderTask: NudgeTask<z.infer<typeof meetingPayload>> = {
  kind: MEETING_REMINDER,
  payload: meetingPayload,
  compose({ core, payload, person }) {
    const m = meetingContext(core, payload.meetingId);
    if (!m || !isUpcoming(core, m.meeting)) return { drop: 'the meeting is no longer ahead' };
    const isMentee = person.id === m.mentee.id;
    const vars = { other: firstName(other(m, person).name), when: meetingWhen(core, m.meeting, person), place: m.meeting.place ?? '—' };
    return {
      text: [core.text.t(person.locale, 'meeting.reminder', vars), core.text.t(person.locale, isMentee ? 'meeting.reminder.mentee' : 'meeting.reminder.mentor', vars)].join('\n\n'),
      why: core.text.t(person.locale, 'meeting.why.reminder'),
    };
  },
};

/** Invitations now, and reminders the day before, to both. */
export function planMeetingNotices(core: Core, m: MeetingContext, event: { bookedBy: number | null; moved: boolean }): void {
  const { meeting } = m;
  for (const person of [m.mentee, m.mentor]) {
    plan(core, {
      key: `${MEETING_INVITE}:${meeting.id}:${meeting.sequence}:${person.id}`,
      kind: MEETING_INVITE,
      personId: person.id,
      subject: meetingSubject(meeting.id),
      payload: { meetingId: meeting.id, sequence: meeting.sequence, ...event },
      dueAt: core.clock.now(),
      expiresAt: meeting.startsAt,
    });
    const reminderAt = dayAt(meeting.startsAt, -1, m.programme.settings.nudgeHour, person.timezone);
    if (reminderAt > core.clock.now()) {
      plan(core, {
        key: `${MEETING_REMINDER}:${meeting.id}:${meeting.startsAt}:${person.id}`,
        kind: MEETING_REMINDER,
        personId: person.id,
        subject: meetingSubject(meeting.id),
        payload: { meetingId: meeting.id },
        dueAt: reminderAt,
        expiresAt: meeting.startsAt - 2 * HOUR,
      });
    }
  }
  core.wake();
}

/** The cancellation to both (not tied to the meeting's subject, which cancelling has just cleared). */
export function planCancellationNotices(core: Core, meeting: Meeting): void {
  const m = meetingContext(core, meeting.id);
  if (!m || meeting.startsAt <= core.clock.now()) return;
  for (const person of [m.mentee, m.mentor]) {
    plan(core, {
      key: `${MEETING_CANCELLED}:${meeting.id}:${person.id}`,
      kind: MEETING_CANCELLED,
      personId: person.id,
      payload: { meetingId: meeting.id },
      dueAt: core.clock.now(),
      expiresAt: meeting.startsAt,
    });
  }
  core.wake();
}
