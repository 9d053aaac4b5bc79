/**
 * Messages that are right when they arrive: a booking changed several times within minutes sends
 * one notice and one calendar file with the final state, and relative words ("i morgen", "i dag")
 * are chosen when the message goes out, not when it was planned.
 */
import { meetingReminderTask } from '../../src/flows/booking/notices';
import { bookMeeting, cancelMeeting, moveMeeting } from '../../src/meetings';
import { requirePerson } from '../../src/people';
import { findNudge } from '../../src/scheduler/nudges';
import { MINUTE, SECOND } from '../../src/time';
import { createTestSparring, runUntil, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

const field = (content: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(content)?.[1]?.trim();
/** Every calendar file a person got, however their messages were bundled (a bundle is recorded once per nudge it carried). */
function calendarFiles(s: TestSparring, address: string): string[] {
  const messages = new Map(s.messenger.to(address).map((d) => [d.messageId, d.message]));
  return [...messages.values()].flatMap((m) => (m.attachments ?? []).filter((a) => a.mediaType === 'text/calendar').map((a) => a.content));
}
const iso = (at: number) => new Date(at).toISOString();

describe('a booking changed several times within minutes', () => {
  let s: TestSparring;
  let pair: TestPair;
  beforeEach(() => {
    s = createTestSparring({ start: '2026-10-05T08:00:00Z' }); // Monday 10:00 in Copenhagen
    pair = seedPair(s, { mentorLocale: 'en' });
  });
  afterEach(() => s.close());

  it('sends each of the two one invitation, with the final time and a SEQUENCE that matches the meeting', async () => {
    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-14T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    await s.scheduler.runOnce();
    for (const startsAt of ['2026-10-15T14:00:00Z', '2026-10-16T13:00:00Z', '2026-10-21T14:30:00Z']) {
      s.clock.advance(20 * SECOND);
      moveMeeting(s.core, meeting.id, Date.parse(startsAt), pair.menteeId);
      await s.scheduler.runOnce();
    }
    await runUntil(s, '2026-10-05T08:30:00Z');

    for (const address of [pair.mentee, pair.mentor]) {
      const files = calendarFiles(s, address);
      expect(files).toHaveLength(1);
      expect(field(files[0]!, 'DTSTART')).toBe('20261021T143000Z');
      expect(field(files[0]!, 'SEQUENCE')).toBe('3');
      // No CALENDAR_ORGANIZER in the tests: invitations are published (src/calendar/ics.ts).
      expect(field(files[0]!, 'METHOD')).toBe('PUBLISH');
      expect(s.messenger.ofKind('meeting.invite', address)).toHaveLength(1);
    }
    // Jonas never saw the earlier times: for him the meeting is booked, not moved.
    expect(s.messenger.ofKind('meeting.invite', pair.mentor)[0]!.message.text).toContain(
      'Astrid has booked your next meeting: Wednesday 21 October at 16:30 (60 min, —). The calendar invitation is attached.',
    );
  });

  it('sends a moved invitation with the next SEQUENCE when it moves again after the first went out', async () => {
    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-14T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    await runUntil(s, '2026-10-05T08:30:00Z');
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-15T14:00:00Z'), pair.mentorId);
    s.clock.advance(30 * SECOND);
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-16T14:00:00Z'), pair.mentorId);
    await runUntil(s, '2026-10-05T09:00:00Z');

    const files = calendarFiles(s, pair.mentee);
    expect(files.map((f) => [field(f, 'SEQUENCE'), field(f, 'DTSTART')])).toEqual([
      ['0', '20261014T140000Z'],
      ['2', '20261016T140000Z'],
    ]);
    expect(s.messenger.ofKind('meeting.invite', pair.mentee)[1]!.message.text).toContain('Jonas har flyttet jeres møde til fredag den 16. oktober kl. 16.00');
  });

  it('waits the notice delay after the last change, not after the first', async () => {
    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-14T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    s.clock.advance(4 * MINUTE);
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-15T14:00:00Z'), pair.menteeId);
    const row = findNudge(s.core.db, `meeting.invite:${meeting.id}:${pair.mentorId}:0`)!;
    expect([row.status, iso(row.dueAt)]).toEqual(['pending', '2026-10-05T08:09:00.000Z']);
  });

  it('sends nothing at all, to either, when the booking is cancelled before its invitation went out', async () => {
    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-14T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    s.clock.advance(40 * SECOND);
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-15T14:00:00Z'), pair.menteeId);
    s.clock.advance(40 * SECOND);
    cancelMeeting(s.core, meeting.id, pair.menteeId);
    await runUntil(s, '2026-10-05T09:00:00Z');

    for (const address of [pair.mentee, pair.mentor]) {
      expect(calendarFiles(s, address)).toEqual([]);
      expect(s.messenger.ofKind('meeting.invite', address)).toEqual([]);
      expect(s.messenger.ofKind('meeting.cancelled', address)).toEqual([]);
    }
  });

  it('sends one cancellation, and no further invitation, when a booking already announced is moved and then cancelled', async () => {
    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-14T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    await runUntil(s, '2026-10-05T08:30:00Z');
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-15T14:00:00Z'), pair.menteeId);
    s.clock.advance(MINUTE);
    cancelMeeting(s.core, meeting.id, pair.menteeId);
    await runUntil(s, '2026-10-05T09:00:00Z');

    for (const address of [pair.mentee, pair.mentor]) {
      expect(calendarFiles(s, address).map((f) => [field(f, 'METHOD'), field(f, 'SEQUENCE'), field(f, 'STATUS')])).toEqual([
        ['PUBLISH', '0', 'CONFIRMED'],
        ['PUBLISH', '2', 'CANCELLED'],
      ]);
    }
  });
});

describe('a meeting reminder', () => {
  it('planned for Sunday and held over the weekend, says "i dag" when it arrives on Monday', async () => {
    const s = createTestSparring({ start: '2026-10-07T08:00:00Z' }); // Wednesday
    const pair = seedPair(s, { mentorLocale: 'en' });
    bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-12T12:00:00Z'), durationMin: 60, place: 'Kantinen', bookedBy: pair.menteeId }); // Monday 14:00
    await runUntil(s, '2026-10-12T09:00:00Z');

    const [toAstrid] = s.messenger.ofKind('meeting.reminder', pair.mentee);
    const [toJonas] = s.messenger.ofKind('meeting.reminder', pair.mentor);
    expect(toAstrid!.message.text).toContain('Husk, at du og Jonas mødes i dag kl. 14.00. Sted: Kantinen.');
    expect(toJonas!.message.text).toContain('A reminder: you and Astrid are meeting today at 14:00. Place: Kantinen.');
    for (const d of [toAstrid!, toJonas!]) expect(d.message.text).not.toMatch(/i morgen|tomorrow/);
    s.close();
  });

  it('on the day before, still says "i morgen"', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-08T14:00:00Z'), durationMin: 60, bookedBy: pair.menteeId }); // Thursday 16:00
    await runUntil(s, '2026-10-07T09:00:00Z');
    expect(s.messenger.ofKind('meeting.reminder', pair.mentee)[0]!.message.text).toContain('Husk, at du og Jonas mødes i morgen, torsdag den 8. oktober kl. 16.00.');
    s.close();
  });

  it('composed after the meeting has started is dropped', () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-10-08T14:00:00Z'), durationMin: 60 });
    const row = findNudge(s.core.db, `meeting.reminder:${meeting.id}:${meeting.startsAt}:${pair.menteeId}`)!;
    s.clock.set('2026-10-08T14:05:00Z');
    const composed = meetingReminderTask.compose({ core: s.core, nudge: row, payload: { meetingId: meeting.id }, person: requirePerson(s.core, pair.menteeId) });
    expect(composed).toEqual({ drop: 'the meeting is no longer ahead' });
    s.close();
  });
});
