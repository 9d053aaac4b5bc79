/**
 * What both people get about a meeting: the calendar invitation when it is booked or moved, the
 * cancellation when it is cancelled, and a reminder the day before.
 *
 * The invitation waits a few minutes (the programme's noticeDelayMinutes) in one slot per meeting
 * and person, and a change meanwhile replaces it: a booking moved three times in a minute sends one
 * invitation with the final time. A booking cancelled before its invitation went out sends nothing.
 * Relative words ("i morgen", "i dag") are chosen when the reminder is composed, not when planned.
 */
import { z } from 'zod';
import { meetingInvitation } from '../../calendar/invitation';
import { firstName } from '../../people';
import type { Core } from '../../core';
import { meetingSubject, type Meeting } from '../../meetings';
import type { Attachment } from '../../message';
import type { Person } from '../../people';
import type { NudgeTask } from '../../scheduler/task';
import { DAY, formatLocal, HOUR, localParts, MINUTE } from '../../time';
import { meetingContext, meetingWhen, type MeetingContext, upcomingMeetingContext } from '../meeting-context';
import { dayAt, pendingInSlot, plan, planLatest, withdrawPending } from '../plan';

export const MEETING_INVITE = 'meeting.invite';
export const MEETING_CANCELLED = 'meeting.cancelled';
export const MEETING_REMINDER = 'meeting.reminder';

function other(m: MeetingContext, person: Person): Person {
  return person.id === m.mentee.id ? m.mentor : m.mentee;
}

function invitation(core: Core, m: MeetingContext, reader: Person, method: 'REQUEST' | 'CANCEL', sequence: number): Attachment {
  return meetingInvitation(core, m, reader, method, sequence);
}

/** The message with the meeting's online link on a line of its own, when it has one. */
export function withLink(core: Core, meeting: Meeting, reader: Person, text: string): string {
  return meeting.onlineUrl ? `${text}\n${core.text.t(reader.locale, 'meeting.link', { url: meeting.onlineUrl })}` : text;
}

/** When the news of a booking goes out: after the programme's notice delay, or at once when the meeting is sooner. */
export function noticeDueAt(core: Core, m: MeetingContext): number {
  const later = core.clock.now() + m.programme.settings.noticeDelayMinutes * MINUTE;
  return later < m.meeting.startsAt ? later : core.clock.now();
}

const invitePayload = z.object({
  meetingId: z.number().int(),
  sequence: z.number().int(),
  bookedBy: z.number().int().nullable(),
  moved: z.boolean(),
  /** The move takes up a time this reader suggested (planning.ts). */
  agreed: z.boolean().default(false),
});

export const meetingInviteTask: NudgeTask<z.infer<typeof invitePayload>> = {
  kind: MEETING_INVITE,
  payload: invitePayload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    if (m.meeting.sequence !== payload.sequence) return { drop: 'the meeting has moved again' };
    const byMe = payload.bookedBy === person.id;
    const moved = payload.agreed && !byMe ? 'meeting.moved.agreed' : byMe ? 'meeting.moved.self' : 'meeting.moved.other';
    const key = payload.moved ? moved : byMe ? 'meeting.booked.self' : 'meeting.booked.other';
    const vars = { other: firstName(other(m, person).name), when: meetingWhen(core, m.meeting, person), minutes: m.meeting.durationMin, place: m.meeting.place ?? '—' };
    return {
      text: withLink(core, m.meeting, person, core.text.t(person.locale, key, vars)),
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

/** Whole local days from the day of `now` to the day of `at`, in `zone` (0: the same day, 1: the next). */
function daysUntil(now: number, at: number, zone: string): number {
  const day = (t: number) => {
    const p = localParts(t, zone);
    return Date.UTC(p.year, p.month - 1, p.day);
  };
  return Math.round((day(at) - day(now)) / DAY);
}

export const meetingReminderTask: NudgeTask<z.infer<typeof meetingPayload>> = {
  kind: MEETING_REMINDER,
  payload: meetingPayload,
  compose({ core, payload, person }) {
    const m = upcomingMeetingContext(core, payload.meetingId);
    if (!m) return { drop: 'the meeting is no longer ahead' };
    const isMentee = person.id === m.mentee.id;
    // Said as the message goes out: a reminder held over a weekend arrives on the day and says "today".
    const days = daysUntil(core.clock.now(), m.meeting.startsAt, person.timezone);
    const which = days <= 0 ? 'today' : days === 1 ? 'tomorrow' : 'later';
    const vars = {
      other: firstName(other(m, person).name),
      when: meetingWhen(core, m.meeting, person),
      time: formatLocal(m.meeting.startsAt, person.timezone, person.locale, 'time'),
      place: m.meeting.place ?? '—',
    };
    return {
      text: [
        withLink(core, m.meeting, person, core.text.t(person.locale, `meeting.reminder.${which}`, vars)),
        core.text.t(person.locale, isMentee ? 'meeting.reminder.mentee' : 'meeting.reminder.mentor', vars),
      ].join('\n\n'),
      why: core.text.t(person.locale, 'meeting.why.reminder'),
    };
  },
};

/** One invitation slot per meeting and person: a pending invitation there is replaced by the next change. */
export const inviteSlot = (meetingId: number, personId: number) => `${MEETING_INVITE}:${meetingId}:${personId}`;

type InvitePayload = z.input<typeof invitePayload>;

/** The invitation still waiting in the slot, if any. */
function waitingInvite(core: Core, slot: string): InvitePayload | null {
  const pending = pendingInSlot(core, slot);
  const parsed = pending ? invitePayload.safeParse(pending.payload) : null;
  return parsed?.success ? parsed.data : null;
}

/** Says in the invitation still waiting for the person that the move takes up the time they suggested. */
export function markInviteAgreed(core: Core, meetingId: number, personId: number): void {
  const pending = pendingInSlot(core, inviteSlot(meetingId, personId));
  const parsed = pending ? invitePayload.safeParse(pending.payload) : null;
  if (!pending || !parsed?.success || !parsed.data.moved) return;
  core.db.prepare("UPDATE nudges SET payload = ? WHERE id = ? AND status = 'pending'").run(JSON.stringify({ ...parsed.data, agreed: true }), pending.id);
}

/**
 * Invitations a few minutes from now (replacing one still waiting), and reminders the day before, to
 * both. Someone whose first invitation is still waiting gets one "booked" message with the final
 * time, however often it moved meanwhile.
 */
export function planMeetingNotices(core: Core, m: MeetingContext, event: { bookedBy: number | null; moved: boolean }): void {
  const { meeting } = m;
  const dueAt = noticeDueAt(core, m);
  for (const person of [m.mentee, m.mentor]) {
    const slot = inviteSlot(meeting.id, person.id);
    const waiting = waitingInvite(core, slot);
    const moved = waiting ? waiting.moved : event.moved;
    const bookedBy = waiting && !moved ? waiting.bookedBy : event.bookedBy;
    // Not tied to the meeting's subject: a move replaces it here instead of cancelling it.
    planLatest(core, slot, meeting.sequence, {
      kind: MEETING_INVITE,
      personId: person.id,
      payload: { meetingId: meeting.id, sequence: meeting.sequence, bookedBy, moved } satisfies InvitePayload,
      dueAt,
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

/**
 * The cancellation to both (not tied to the meeting's subject, which cancelling has just cleared).
 * An invitation still waiting is withdrawn; who never had one (the booking is cancelled within the
 * notice delay) gets nothing, neither message nor calendar file. Nothing can follow a cancellation,
 * so it goes at once.
 */
export function planCancellationNotices(core: Core, meeting: Meeting): void {
  const m = meetingContext(core, meeting.id);
  if (!m) return;
  for (const person of [m.mentee, m.mentor]) {
    const slot = inviteSlot(meeting.id, person.id);
    const waiting = waitingInvite(core, slot);
    withdrawPending(core, slot, 'the meeting was cancelled');
    if (meeting.startsAt <= core.clock.now()) continue;
    if (waiting && !waiting.moved) continue; // never invited: nothing to take out of the calendar
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
