/**
 * Calendar invitations as a calendar reads them: each file the pair gets is parsed with ical.js,
 * a real iCalendar parser. With CALENDAR_ORGANIZER set they are meeting requests (ORGANIZER, both
 * people as ATTENDEEs, a matching CANCEL); without it they are published. The UID is unique to the
 * installation; SEQUENCE rises with every move; times stay right across the autumn clock change.
 */
import ICAL from 'ical.js';
import { buildIcs, parseMailbox } from '../../src/calendar/ics';
import { installationId } from '../../src/calendar/invitation';
import { cancelMeeting, moveMeeting } from '../../src/meetings';
import { formatLocal, MINUTE } from '../../src/time';
import { book, createTestSparring, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

interface Parsed {
  method: string;
  uid: string;
  sequence: number;
  status: string;
  start: Date;
  end: Date;
  location: string | null;
  url: string | null;
  description: string;
  organizer: string | null;
  attendees: { email: string; name: string; role: string }[];
}

/** A cal-address without its scheme ("MAILTO:" and "mailto:" alike). */
const mailbox = (address: string) => address.replace(/^mailto:/i, '');

function parse(ics: string): Parsed {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  const text = (name: string) => (vevent.getFirstPropertyValue(name) as string | null) ?? null;
  return {
    method: calendar.getFirstPropertyValue('method') as string,
    uid: event.uid,
    sequence: event.sequence,
    status: text('status') ?? '',
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    location: event.location,
    url: text('url'),
    description: event.description ?? '',
    organizer: text('organizer') === null ? null : mailbox(text('organizer')!),
    attendees: event.attendees.map((a) => ({ email: mailbox(String(a.getFirstValue())), name: String(a.getParameter('cn')), role: String(a.getParameter('role')) })),
  };
}

/** The calendar files each person got, in order, parsed. */
function filesOf(s: TestSparring, address: string): Parsed[] {
  const seen = new Set<string>();
  return s.messenger.deliveries
    .filter((d) => d.address === address && !seen.has(d.messageId) && seen.add(d.messageId))
    .flatMap((d) => d.message.attachments ?? [])
    .filter((a) => a.mediaType === 'text/calendar')
    .map((a) => parse(a.content));
}

const local = (at: Date) => formatLocal(at.getTime(), 'Europe/Copenhagen', 'en', 'time');

function pairWithMail(s: TestSparring): TestPair {
  const pair = seedPair(s, { mentorLocale: 'en' });
  s.core.db.prepare('UPDATE people SET email = ? WHERE id = ?').run('astrid@student.uni.example', pair.menteeId);
  s.core.db.prepare('UPDATE people SET email = ? WHERE id = ?').run('jonas@firma.example', pair.mentorId);
  return pair;
}

async function bookMoveCancel(s: TestSparring, pair: TestPair): Promise<void> {
  // Wednesday 21 October, 16:00 in Copenhagen (summer time, UTC+2) …
  const meeting = book(s, pair, '2026-10-21T14:00:00Z');
  s.core.db.prepare('UPDATE meetings SET place = ?, online_url = ? WHERE id = ?').run('Café Aula, Nordre Ringgade 3', 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x', meeting.id);
  s.clock.advance(5 * MINUTE);
  await s.scheduler.runOnce();
  // … moved a week on, past the end of summer time (25 October): 16:00 is now UTC+1.
  moveMeeting(s.core, meeting.id, Date.parse('2026-10-28T15:00:00Z'), pair.menteeId);
  s.clock.advance(5 * MINUTE);
  await s.scheduler.runOnce();
  cancelMeeting(s.core, meeting.id, pair.menteeId);
  await s.scheduler.runOnce();
}

describe('calendar invitations with an organizer (CALENDAR_ORGANIZER)', () => {
  it('invite both people as attendees, move with a higher SEQUENCE, and cancel the same UID', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    s.core.calendarOrganizer = 'Mentorprogrammet <mentor@uni.example>';
    const pair = pairWithMail(s);
    await bookMoveCancel(s, pair);

    const [booked, moved, cancelled] = filesOf(s, pair.mentor);
    expect(filesOf(s, pair.mentor)).toHaveLength(3);
    expect(booked).toMatchObject({ method: 'REQUEST', sequence: 0, status: 'CONFIRMED', organizer: 'mentor@uni.example' });
    expect(booked!.attendees).toEqual([
      { email: 'astrid@student.uni.example', name: 'Astrid Holm', role: 'REQ-PARTICIPANT' },
      { email: 'jonas@firma.example', name: 'Jonas Berg', role: 'REQ-PARTICIPANT' },
    ]);
    expect(booked!.location).toBe('Café Aula, Nordre Ringgade 3');
    expect(booked!.url).toBe('https://teams.microsoft.com/l/meetup-join/19%3ameeting_x');
    expect(booked!.description).toContain('Online: https://teams.microsoft.com/l/meetup-join/19%3ameeting_x');
    // 16:00 in Copenhagen before and after the clocks went back, an hour long
    expect([booked!.start.toISOString(), local(booked!.start)]).toEqual(['2026-10-21T14:00:00.000Z', '16:00']);
    expect([moved!.start.toISOString(), local(moved!.start), moved!.end.toISOString()]).toEqual(['2026-10-28T15:00:00.000Z', '16:00', '2026-10-28T16:00:00.000Z']);

    expect(moved).toMatchObject({ method: 'REQUEST', uid: booked!.uid, sequence: 1 });
    expect(cancelled).toMatchObject({ method: 'CANCEL', uid: booked!.uid, sequence: 2, status: 'CANCELLED', organizer: 'mentor@uni.example' });
    expect(cancelled!.attendees.map((a) => a.email)).toEqual(['astrid@student.uni.example', 'jonas@firma.example']);
    // Both people get the same event; the mentee's in Danish.
    const menteeFiles = filesOf(s, pair.mentee);
    expect(menteeFiles.map((f) => [f.method, f.uid, f.sequence])).toEqual([
      ['REQUEST', booked!.uid, 0],
      ['REQUEST', booked!.uid, 1],
      ['CANCEL', booked!.uid, 2],
    ]);
    expect(menteeFiles[0]!.description).toContain('Mentormøde i mentorprogrammet');
    // The file is named in the reader's language too (the mentor reads English).
    const names = (address: string) => [...new Set(s.messenger.deliveries.filter((d) => d.address === address).flatMap((d) => d.message.attachments ?? []).map((a) => a.filename))];
    expect(names(pair.mentee)).toEqual(['mentormoede.ics']);
    expect(names(pair.mentor)).toEqual(['mentoring-meeting.ics']);
    s.close();
  });

  it('names someone without an e-mail address in the description, and invites the other', () => {
    const ics = buildIcs({
      uid: 'meeting-1-x@sparring',
      sequence: 0,
      method: 'REQUEST',
      start: Date.parse('2026-11-02T09:00:00Z'),
      end: Date.parse('2026-11-02T10:00:00Z'),
      stamp: 0,
      summary: 'Mentoring meeting',
      organizer: 'mentor@uni.example',
      attendees: [{ name: 'Astrid Holm', email: 'astrid@student.uni.example' }, { name: 'Jonas Berg', email: null }],
    });
    const parsed = parse(ics);
    expect(parsed.method).toBe('REQUEST');
    expect(parsed.attendees.map((a) => a.email)).toEqual(['astrid@student.uni.example']);
    expect(parsed.description).toContain('With: Astrid Holm, Jonas Berg');
  });

  it('reads the organizer as "Name <address>" or a bare address, and nothing else', () => {
    expect(parseMailbox('Mentorprogrammet <mentor@uni.example>')).toEqual({ name: 'Mentorprogrammet', email: 'mentor@uni.example' });
    expect(parseMailbox('mentor@uni.example')).toEqual({ name: 'mentor@uni.example', email: 'mentor@uni.example' });
    expect(parseMailbox('not a mailbox')).toBeNull();
  });
});

describe('calendar invitations without an organizer', () => {
  it('are published: no ORGANIZER or ATTENDEE, both people named, and a cancellation is the same event cancelled', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = pairWithMail(s);
    await bookMoveCancel(s, pair);

    const files = filesOf(s, pair.mentor);
    expect(files.map((f) => [f.method, f.sequence, f.status])).toEqual([
      ['PUBLISH', 0, 'CONFIRMED'],
      ['PUBLISH', 1, 'CONFIRMED'],
      ['PUBLISH', 2, 'CANCELLED'],
    ]);
    expect(new Set(files.map((f) => f.uid)).size).toBe(1);
    for (const f of files) {
      expect(f.organizer).toBeNull();
      expect(f.attendees).toEqual([]);
      expect(f.description).toContain('Taking part: Astrid Holm, Jonas Berg');
    }
    s.close();
  });
});

describe('the UID of a meeting', () => {
  it('is unique to the installation: another database (or the same one seeded again) never reuses it', async () => {
    const uids = [] as string[];
    for (let i = 0; i < 2; i += 1) {
      const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
      const pair = pairWithMail(s);
      book(s, pair, '2026-10-21T14:00:00Z');
      s.clock.advance(5 * MINUTE);
      await s.scheduler.runOnce();
      const [file] = filesOf(s, pair.mentee);
      expect(file!.uid).toBe(`meeting-1-${installationId(s.core.db)}@sparring`);
      uids.push(file!.uid);
      // and it stays the installation's id after a restart
      const again = s.restart();
      expect(installationId(again.core.db)).toBe(installationId(s.core.db));
      again.close();
    }
    expect(uids[0]).not.toBe(uids[1]);
    expect(uids[0]).toMatch(/^meeting-1-[0-9a-f]{16}@sparring$/);
  });
});
