/**
 * Calendar files (RFC 5545, scheduled per RFC 5546), written by ical-generator. Times are in UTC
 * ("…Z"), which every calendar shows in its owner's zone, so a meeting across a daylight-saving
 * change lands at the right hour.
 *
 * With an organizer (CALENDAR_ORGANIZER) the file is a meeting request: METHOD:REQUEST naming the
 * ORGANIZER and both people as ATTENDEEs, and METHOD:CANCEL with the same UID and a higher SEQUENCE
 * to take it out again. Without one it is published (METHOD:PUBLISH): RFC 5546 allows no attendees
 * there, so both people are named in the description instead, and a cancellation is the same event
 * again, STATUS:CANCELLED with a higher SEQUENCE. Someone without an e-mail address cannot be an
 * ATTENDEE either: they are named in the description. The UID stays the same for a meeting;
 * SEQUENCE grows with every move.
 */
import ical, { foldLines, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { z } from 'zod';

export interface CalendarPerson {
  name: string;
  email?: string | null;
}

export interface CalendarEvent {
  uid: string;
  sequence: number;
  /** What the file does: invite (or update), or cancel. Without an organizer it is published either way. */
  method: 'REQUEST' | 'CANCEL';
  start: number;
  end: number;
  stamp: number;
  summary: string;
  location?: string | null;
  /** An online-meeting link: the event's URL, and a line of the description. */
  url?: string | null;
  description?: string;
  /** The mailbox that sends the requests (CALENDAR_ORGANIZER), e.g. "Mentorprogrammet <mentor@uni.dk>". */
  organizer?: string | null;
  /** The people who meet; those with an e-mail address become ATTENDEEs of a request. */
  attendees?: CalendarPerson[];
  /** Words for the description: "Online: {url}" and "With: {names}". */
  words?: { online: (url: string) => string; with: (names: string) => string };
}

const email = z.email();

/** "Name <mail@host>" or "mail@host" as a name and an address; null when it holds no valid address. */
export function parseMailbox(mailbox: string): { name: string; email: string } | null {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+)>\s*$/.exec(mailbox);
  const address = (m ? m[2]! : mailbox).trim();
  if (!email.safeParse(address).success) return null;
  const name = m?.[1]?.trim() || address;
  return { name, email: address };
}

/** Only http(s) links go into a calendar file; anything else is left out. */
function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** Folds a content line at 75 octets, never inside a UTF-8 character (ical-generator's folding). */
export const fold = (line: string): string => foldLines(line);

const defaultWords = { online: (url: string) => `Online: ${url}`, with: (names: string) => `With: ${names}` };

export function buildIcs(e: CalendarEvent): string {
  const organizer = e.organizer ? parseMailbox(e.organizer) : null;
  const people = e.attendees ?? [];
  const invited = organizer ? people.filter((p) => p.email && email.safeParse(p.email).success) : [];
  // A request without anyone to invite is not a request: RFC 5546 asks for at least one ATTENDEE.
  const scheduled = organizer !== null && invited.length > 0;
  const method = !scheduled ? ICalCalendarMethod.PUBLISH : e.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const words = e.words ?? defaultWords;
  const url = safeUrl(e.url);
  const named = people.filter((p) => !invited.includes(p)).map((p) => p.name);
  const description = [e.description, url ? words.online(url) : null, named.length > 0 ? words.with(people.map((p) => p.name).join(', ')) : null]
    .filter((line): line is string => !!line)
    .join('\n\n');

  const calendar = ical({ prodId: { company: 'Sparring', product: 'Mentoring', language: 'EN' }, method });
  calendar.createEvent({
    id: e.uid,
    sequence: e.sequence,
    stamp: new Date(e.stamp),
    start: new Date(e.start),
    end: new Date(e.end),
    summary: e.summary,
    location: e.location || null,
    url,
    description: description || null,
    organizer: scheduled ? organizer : null,
    attendees: scheduled
      ? invited.map((p) => ({
          name: p.name,
          email: p.email!,
          role: ICalAttendeeRole.REQ,
          ...(e.method === 'CANCEL' ? {} : { status: ICalAttendeeStatus.NEEDSACTION }),
        }))
      : [],
    status: e.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return `${calendar.toString()}\r\n`;
}
