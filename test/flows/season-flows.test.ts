import { MINUTE } from '../../src/time';
import { buildIcs, fold } from '../../src/calendar/ics';
import { parseDateTime } from '../../src/flows/datetime';
import { matchPair } from '../../src/flows/season';
import { pairFlags } from '../../src/coordinator/flags';
import { pairsCsv } from '../../src/coordinator/export';
import { signpostKinds } from '../../src/flows/signposting';
import { cancelMeeting, moveMeeting } from '../../src/meetings';
import { answerAlignment, book, createTestSparring, runUntil, say, seedPair } from '../helpers/sparring';

describe('calendar invitations', () => {
  it('write times in UTC, so a meeting after the autumn change lands at the right local hour', () => {
    const ics = buildIcs({ uid: 'meeting-1@sparring', sequence: 0, method: 'REQUEST', start: Date.parse('2026-10-26T15:00:00Z'), end: Date.parse('2026-10-26T16:00:00Z'), stamp: 0, summary: 'Mentormøde; Astrid, Jonas', location: 'Café' });
    expect(ics).toContain('DTSTART:20261026T150000Z\r\n'); // 16:00 CET
    expect(ics).toContain('SUMMARY:Mentormøde\\; Astrid\\, Jonas\r\n');
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });

  it('fold long lines without splitting a character', () => {
    const folded = fold(`DESCRIPTION:${'æ'.repeat(60)}`);
    expect(folded.split('\r\n ').join('')).toBe(`DESCRIPTION:${'æ'.repeat(60)}`);
    expect(folded.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('go to both when a meeting is booked, again with a higher SEQUENCE when it moves, and as CANCEL when cancelled', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s, { mentorLocale: 'en' });
    const meeting = book(s, pair, '2026-10-07T14:00:00Z');
    s.clock.advance(5 * MINUTE); // invitations wait a few minutes, in case the booking changes again
    await s.scheduler.runOnce();
    moveMeeting(s.core, meeting.id, Date.parse('2026-10-28T15:00:00Z'), pair.menteeId);
    s.clock.advance(5 * MINUTE);
    await s.scheduler.runOnce();
    cancelMeeting(s.core, meeting.id);
    await s.scheduler.runOnce();
    const invites = s.messenger.ofKind('meeting.invite', pair.mentor);
    expect(invites.map((d) => d.message.attachments![0]!.content.match(/SEQUENCE:(\d)/)![1])).toEqual(['0', '1']);
    expect(invites[1]!.message.text).toBe('Astrid has moved your meeting to Wednesday 28 October at 16:00 (60 min, —). The updated calendar invitation is attached.');
    expect(invites[1]!.message.attachments![0]!.content).toContain('DTSTART:20261028T150000Z');
    const [cancelled] = s.messenger.ofKind('meeting.cancelled', pair.mentee);
    expect(cancelled!.message.text).toContain('er aflyst');
    // Without CALENDAR_ORGANIZER the files are published; the cancellation is the same event, cancelled.
    expect(cancelled!.message.attachments![0]!.content).toContain('STATUS:CANCELLED');
    // nothing tied to the cancelled meeting is left to send
    s.clock.set('2026-10-29T12:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('prep.prompt')).toHaveLength(0);
    expect(s.messenger.ofKind('meeting.reminder')).toHaveLength(0);
    s.close();
  });
});

describe('booking in the chat', () => {
  it('books, moves and cancels through `book`, in the person’s own words', () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    expect(say(s, pair.menteeId, 'book')).toContain('Hvornår mødes I?');
    expect(say(s, pair.menteeId, 'i morgen')).toContain('Hvad tid tirsdag den 29. september?');
    expect(say(s, pair.menteeId, '1/9/2026 10:00')).toContain('er allerede gået');
    expect(say(s, pair.menteeId, '1/9/2028 10:00')).toContain('mere end 12 måneder');
    expect(say(s, pair.menteeId, '7/10 kl. 16')).toContain('Hvor længe?');
    expect(say(s, pair.menteeId, '2')).toContain('Hvor eller hvordan?');
    expect(say(s, pair.menteeId, 'Walk and talk')).toContain('Hvor præcis?');
    expect(say(s, pair.menteeId, 'spring over')).toBe('Det er booket: onsdag den 7. oktober kl. 16.00 med Jonas. I får begge en kalenderinvitation, og jeg spørger Jonas, om tidspunktet passer.');
    answerAlignment(s, pair.menteeId); // not opened yet: the alignment nudge is only planned
    expect(say(s, pair.mentorId, 'book')).toContain('I har allerede et møde onsdag den 7. oktober kl. 16.00');
    expect(say(s, pair.mentorId, 'Flytte det')).toContain('Hvornår mødes I?');
    expect(say(s, pair.mentorId, '8/10 16:30')).toBe('Mødet er flyttet til torsdag den 8. oktober kl. 16.30. Astrid får besked og en opdateret invitation.');
    expect(say(s, pair.menteeId, 'book')).toContain('torsdag den 8. oktober kl. 16.30');
    expect(say(s, pair.menteeId, '3')).toContain('er aflyst, og I får begge besked');
    expect(s.core.db.prepare('SELECT status, sequence FROM meetings').all()).toEqual([{ status: 'cancelled', sequence: 1 }]);
    s.close();
  });

  it.each([
    ['7/10 16:00', '2026-10-07T14:00:00.000Z'],
    ['07.10.2026 kl. 16.30', '2026-10-07T14:30:00.000Z'],
    ['2026-10-26 16:00', '2026-10-26T15:00:00.000Z'], // after the change to winter time
    ['26/10 at 9', '2026-10-26T08:00:00.000Z'],
    ['3/2 10:00', '2027-02-03T09:00:00.000Z'], // no year: the next 3 February
  ])('reads "%s" in Copenhagen time', (text, iso) => {
    expect(new Date(parseDateTime(text, 'Europe/Copenhagen', Date.parse('2026-09-28T08:00:00Z'))!).toISOString()).toBe(iso);
  });

  it.each(['31/2 10:00', '7/10 25:00', 'next week', '16:00'])('does not read "%s" as a date', (text) => {
    expect(parseDateTime(text, 'Europe/Copenhagen', Date.parse('2026-09-28T08:00:00Z'))).toBeNull();
  });
});

describe('signposting', () => {
  const s = createTestSparring();
  afterAll(() => s.close());
  it.each([
    ['Jeg er nervøs for min reeksamen', ['study']],
    ['I have an exam next week', ['study']],
    ['For example, my thesis', []],
    ['Jeg har været meget stresset og ensom', ['wellbeing']],
    ['Studieordningen stresser mig', ['wellbeing', 'study']],
    ['Anxiety about the resit', ['wellbeing', 'study']],
    ['Jeg vil tale om LinkedIn', []],
    ['jeg har det virkelig svært for tiden', ['wellbeing']],
    ['Jeg har det ikke godt, og jeg kan ikke sove', ['wellbeing']],
    ["I feel so overwhelmed and can't cope", ['wellbeing']],
    ["I'm going through a really hard time", ['wellbeing']],
    ['I can’t cope with it all', ['wellbeing']],
    ['Jeg har haft svært ved at finde en praktikplads', []],
    ['Jeg har det godt, og det går fint med opgaven', []],
    // Everyday mentoring, not worries:
    ['Jeg har det svært med at prioritere mine opgaver', []],
    ['Jeg har det dårligt med at aflyse igen', []],
    ['Jeg magter ikke Excel', []],
    ['Jeg kan ikke overskue hvilke kurser jeg skal vælge', []],
    ['Det virker håbløst at søge job', []],
    ['Is it not okay to move the meeting?', []],
    ['I felt a bit overwhelmed by all the options for electives', []],
    ['I am having a hard time finding an internship', []],
  ])('"%s" → %j', (text, kinds) => {
    expect(signpostKinds(s.core, text)).toEqual(kinds);
  });
});

describe('the match check-in', () => {
  it('flags the pair for the coordinator when either rates the match low, and keeps the scores private', async () => {
    const s = createTestSparring({ start: '2026-08-28T08:00:00Z' });
    const seed = seedPair(s);
    s.core.db.prepare('DELETE FROM pairs WHERE id = ?').run(seed.pairId);
    const pairId = matchPair(s.core, seed.programmeId, seed.menteeId, seed.mentorId);
    await runUntil(s, '2026-10-26T09:00:00Z'); // mid-season (Sunday 25 October) held over the weekend
    expect(s.messenger.ofKind('checkin.ask')).toHaveLength(2);
    s.bot.handle(seed.mentorId, { type: 'answer', questionId: `checkin.professional.${pairId}`, value: '4' });
    expect(s.bot.handle(seed.mentorId, { type: 'answer', questionId: `checkin.personal.${pairId}`, value: '4' }).replies[0]!.text).toBe('Tak for dine svar!');
    const lowFlags = () => pairFlags(s.core, pairId).filter((f) => f.code === 'low_checkin').length;
    expect(lowFlags()).toBe(0);
    say(s, seed.menteeId, '2');
    expect(say(s, seed.menteeId, '5')).toContain('koordinatoren tager kontakt');
    expect(lowFlags()).toBe(1);
    expect(pairsCsv(s.core, seed.programmeId).split('\r\n')[1]).toMatch(/,low_checkin;quiet$/); // never met, too
    s.close();
  });
});

describe('the agreement', () => {
  it('is what both wrote, visible to both, and each can revisit their part', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    book(s, pair, '2026-10-07T14:00:00Z');
    await s.scheduler.runOnce();
    for (const a of ['Sparring på min karriere', 'Praktik', 'Ærlighed', 'Café, hver måned', '1', 'Direkte', 'En dag før']) say(s, pair.menteeId, a);
    for (const a of ['Mit netværk i branchen', 'At menteen forbereder sig', 'Løbende']) say(s, pair.mentorId, a);
    const seenByMentor = say(s, pair.mentorId, 'agreement');
    expect(seenByMentor).toContain('*Ønsker hjælp til* (Astrid): Sparring på min karriere');
    expect(seenByMentor).toContain('*Noter* (Astrid): menteen');
    expect(seenByMentor).toContain('*Den hjælp, mentor kan tilbyde* (Jonas): Mit netværk i branchen');
    expect(say(s, pair.menteeId, 'agreement')).toContain('Mit netværk i branchen');
    expect(say(s, pair.menteeId, 'agreement edit')).toContain('Hvad vil du gerne have støtte og hjælp til?');
    for (const a of ['Hjælp til jobsøgning', 'Praktik', 'Ærlighed', 'Online', '1', 'Direkte', 'En dag før']) say(s, pair.menteeId, a);
    expect(say(s, pair.mentorId, 'agreement')).toContain('Hjælp til jobsøgning');
    s.close();
  });
});
