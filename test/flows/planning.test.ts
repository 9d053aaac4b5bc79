/**
 * Stories of equal partners in planning: Astrid (the mentee) books, Jonas (her mentor) gets the
 * booking as a question — works for me, suggest another time, can't make it — and a suggestion or a
 * decline goes back to Astrid as a question. The fake clock carries them through the weeks; the
 * calendar files are read with ical.js, as a calendar would read them.
 */
import ICAL from 'ical.js';
import type { Message } from '../../src/message';
import { MINUTE } from '../../src/time';
import type { Delivery } from '../helpers/fake-messenger';
import { answerAlignment, createTestSparring, runUntil, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

interface MeetingRow {
  id: number;
  startsAt: string;
  status: string;
  sequence: number;
  durationMin: number;
  place: string | null;
  onlineUrl: string | null;
}

function meetings(s: TestSparring): MeetingRow[] {
  return (
    s.core.db
      .prepare('SELECT id, starts_at AS startsAt, status, sequence, duration_min AS durationMin, place, online_url AS onlineUrl FROM meetings ORDER BY id')
      .all() as (Omit<MeetingRow, 'startsAt'> & { startsAt: number })[]
  ).map((m) => ({ ...m, startsAt: new Date(m.startsAt).toISOString() }));
}

/** Each message a person got once (a bundle is recorded once per nudge it carried). */
function messagesTo(s: TestSparring, address: string): Delivery[] {
  const seen = new Set<string>();
  return s.messenger.deliveries.filter((d) => d.address === address && !seen.has(d.messageId) && seen.add(d.messageId));
}

interface CalendarFile {
  uid: string;
  sequence: number;
  status: string;
  start: string;
  location: string | null;
  url: string | null;
  description: string;
}

/** The calendar files a person got, in order, read by ical.js. */
function calendarOf(s: TestSparring, address: string): CalendarFile[] {
  return messagesTo(s, address)
    .flatMap((d) => d.message.attachments ?? [])
    .filter((a) => a.mediaType === 'text/calendar')
    .map((a) => {
      const vevent = new ICAL.Component(ICAL.parse(a.content)).getFirstSubcomponent('vevent')!;
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        sequence: event.sequence,
        status: String(vevent.getFirstPropertyValue('status')),
        start: event.startDate.toJSDate().toISOString(),
        location: event.location ?? null,
        url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
        description: event.description ?? '',
      };
    });
}

/** The person presses the button labelled `label` under `message`, as Slack or Teams would send it. */
function press(s: TestSparring, personId: number, message: Message, label: string): Message[] {
  const question = message.question;
  if (question?.kind !== 'choice') throw new Error(`no buttons under: ${message.text}`);
  const option = question.options.find((o) => o.label === label);
  if (!option) throw new Error(`no button "${label}" among ${question.options.map((o) => o.label).join(', ')}`);
  return s.bot.handle(personId, { type: 'answer', questionId: question.id, value: option.value }).replies;
}

const textOf = (replies: Message[]) => replies.map((m) => m.text).join('\n');
const labels = (message: Message | undefined) => (message?.question?.kind === 'choice' ? message.question.options.map((o) => o.label) : []);

/** The one message of this kind the person got (it may have come bundled with others). */
function only(s: TestSparring, kind: string, address: string): Message {
  const got = s.messenger.ofKind(kind, address);
  expect(got).toHaveLength(1);
  return got[0]!.message;
}

/** Monday 28 September 2026, 10:00 in Copenhagen: a pair matched for the autumn. */
function season(o: Parameters<typeof seedPair>[1] = {}): { s: TestSparring; pair: TestPair } {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  return { s, pair: seedPair(s, o) };
}

/** Astrid books an hour online through the chat, with the meeting link. */
function astridBooksOnline(s: TestSparring, pair: TestPair, when: string): string {
  say(s, pair.menteeId, 'book');
  say(s, pair.menteeId, when);
  say(s, pair.menteeId, '1 time');
  expect(say(s, pair.menteeId, 'Online')).toContain('Har I et link til onlinemødet');
  return say(s, pair.menteeId, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc');
}

/**
 * The first booking also opens the alignment questions, one at a time before anything else: Astrid
 * answers hers, Jonas leaves his for later. Then what waited behind them goes out.
 */
async function invitationsGoOut(s: TestSparring, pair: TestPair): Promise<void> {
  await runUntil(s, new Date(s.clock.now() + 10 * MINUTE).toISOString());
  answerAlignment(s, pair.menteeId);
  say(s, pair.mentorId, 'annuller');
  await runUntil(s, new Date(s.clock.now() + MINUTE).toISOString());
}

describe('Jonas suggests another time', () => {
  it('and Astrid takes it: the meeting moves, each gets one updated invitation, and the prep prompt follows the new time', async () => {
    const { s, pair } = season();
    expect(astridBooksOnline(s, pair, '7/10 kl. 16')).toContain('jeg spørger Jonas, om tidspunktet passer');
    await invitationsGoOut(s, pair);

    // Jonas is asked, in the words of the programme.
    const asked = only(s, 'planning.ask', pair.mentor);
    expect(asked.text).toContain('Kan du onsdag den 7. oktober kl. 16.00? Svar, så Astrid ved, om mødet står.');
    expect(asked.why).toContain('Astrid har booket eller flyttet et møde med dig');
    expect(labels(asked)).toEqual(['Passer mig', 'Foreslå et andet tidspunkt', 'Kan ikke']);

    expect(textOf(press(s, pair.mentorId, asked, 'Foreslå et andet tidspunkt'))).toContain('Hvornår passer det dig?');
    // A doubtful date is confirmed first, as in every booking.
    expect(say(s, pair.mentorId, 'tirsdag 8/10 kl. 17')).toContain('torsdag den 8. oktober kl. 17.00');
    expect(say(s, pair.mentorId, 'ja')).toBe(
      'Tak. Jeg spørger Astrid, om torsdag den 8. oktober kl. 17.00 passer, og du hører fra mig. Indtil da får I ingen påmindelser om mødet onsdag den 7. oktober kl. 16.00.',
    );
    // While the time is in question nothing about the first time is planned: no prep prompt, no reminder.
    const pendingKinds = () => (s.core.db.prepare("SELECT kind FROM nudges WHERE status = 'pending' AND subject = 'meeting:1'").pluck().all() as string[]).sort();
    expect(pendingKinds()).toEqual(['planning.lapse']);

    await runUntil(s, new Date(s.clock.now() + MINUTE).toISOString());
    const proposal = only(s, 'planning.proposal', pair.mentee);
    expect(proposal.text).toBe('Jonas kan ikke onsdag den 7. oktober kl. 16.00, men foreslår torsdag den 8. oktober kl. 17.00. Passer det dig?');
    expect(labels(proposal)).toEqual(['Ja, det passer', 'Jeg vælger et andet tidspunkt']);
    expect(textOf(press(s, pair.menteeId, proposal, 'Ja, det passer'))).toBe('Mødet er flyttet til torsdag den 8. oktober kl. 17.00. Jonas får besked og en opdateret invitation.');

    expect(meetings(s)).toMatchObject([{ startsAt: '2026-10-08T15:00:00.000Z', status: 'booked', sequence: 1 }]);
    await runUntil(s, '2026-09-28T12:00:00Z');
    // One invitation and one update each, the same event, the update with a higher SEQUENCE.
    for (const address of [pair.mentee, pair.mentor]) {
      const files = calendarOf(s, address);
      expect(files.map((f) => [f.sequence, f.start])).toEqual([
        [0, '2026-10-07T14:00:00.000Z'],
        [1, '2026-10-08T15:00:00.000Z'],
      ]);
      expect(files[1]!.uid).toBe(files[0]!.uid);
    }
    // Jonas hears that his suggestion was taken, and is not asked about his own time.
    expect(s.messenger.ofKind('meeting.invite', pair.mentor)[1]!.message.text).toContain('Astrid har sagt ja til dit forslag: jeres møde er flyttet til torsdag den 8. oktober kl. 17.00');
    expect(s.messenger.ofKind('planning.ask', pair.mentor)).toHaveLength(1);

    // The prep prompt comes two days before the new time (Tuesday 09:00), not before the old one.
    await runUntil(s, '2026-10-06T06:59:00Z');
    expect(s.messenger.ofKind('prep.prompt')).toHaveLength(0);
    await runUntil(s, '2026-10-06T07:00:00Z');
    expect(only(s, 'prep.prompt', pair.mentee).text).toContain('torsdag den 8. oktober kl. 17.00');
    s.close();
  });

  it('that nobody takes: two hours before the first time the meeting lapses for both, and the suggestion can still be taken', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '30/9 kl. 16');
    await invitationsGoOut(s, pair);
    press(s, pair.mentorId, only(s, 'planning.ask', pair.mentor), 'Foreslå et andet tidspunkt');
    say(s, pair.mentorId, '2/10 kl. 10');
    await runUntil(s, '2026-09-30T11:59:00Z');
    expect(meetings(s)[0]!.status).toBe('booked');
    expect(s.messenger.ofKind('meeting.reminder')).toHaveLength(0); // the reminder the day before was held back

    await runUntil(s, '2026-09-30T12:00:00Z'); // 14:00: two hours before 16:00
    expect(meetings(s)[0]!.status).toBe('cancelled');
    for (const address of [pair.mentee, pair.mentor]) expect(calendarOf(s, address).map((f) => f.status)).toEqual(['CONFIRMED', 'CANCELLED']);

    // Astrid comes back to the suggestion in the evening: it is booked anew, as it was.
    s.clock.set('2026-09-30T17:00:00Z');
    const proposal = only(s, 'planning.proposal', pair.mentee);
    expect(textOf(press(s, pair.menteeId, proposal, 'Ja, det passer'))).toBe('Det er booket: fredag den 2. oktober kl. 10.00 med Jonas. I får begge en kalenderinvitation.');
    expect(meetings(s)[1]).toMatchObject({ startsAt: '2026-10-02T08:00:00.000Z', status: 'booked', durationMin: 60, place: 'Online' });
    s.close();
  });
});

describe('a suggestion the meeting hangs on', () => {
  it('reaches Astrid at once, though she has a question open she has not answered', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '30/9 kl. 16');
    await invitationsGoOut(s, pair);
    // Astrid has another question open, asked a moment ago; she leaves it for now.
    expect(s.bot.waitingFor(pair.menteeId)).not.toBeNull();
    s.clock.set(s.clock.now() + 20 * MINUTE);

    press(s, pair.mentorId, only(s, 'planning.ask', pair.mentor), 'Foreslå et andet tidspunkt');
    say(s, pair.mentorId, '2/10 kl. 10');
    await runUntil(s, new Date(s.clock.now() + 10 * MINUTE).toISOString());
    // Not held back behind the check-in until the meeting has lapsed: she can still answer in time.
    expect(s.messenger.ofKind('planning.proposal', pair.mentee)).toHaveLength(1);
    s.close();
  });
});

describe('Jonas cannot make it', () => {
  it('the meeting is cancelled for both, Astrid chooses a new time, and Jonas is asked about that one', async () => {
    const { s, pair } = season({ mentorLocale: 'en' });
    astridBooksOnline(s, pair, '7/10 kl. 16');
    await invitationsGoOut(s, pair);
    const asked = only(s, 'planning.ask', pair.mentor);
    expect(asked.text).toContain('Can you make Wednesday');
    expect(labels(asked)).toEqual(['Works for me', 'Suggest another time', "Can't make it"]);

    expect(textOf(press(s, pair.mentorId, asked, "Can't make it"))).toMatch(/^Thanks for letting me know\. The meeting on Wednesday,? 7 October.* is cancelled, and I'll ask Astrid to find a new time\.$/);
    expect(meetings(s)[0]!.status).toBe('cancelled');
    await runUntil(s, '2026-09-28T10:00:00Z');
    for (const address of [pair.mentee, pair.mentor]) expect(calendarOf(s, address).map((f) => f.status)).toEqual(['CONFIRMED', 'CANCELLED']);

    // Astrid gets the cancellation and, in the same message, the question of a new time.
    const rebook = s.messenger.ofKind('planning.rebook', pair.mentee)[0]!;
    expect(rebook.bundleKey).toBeDefined();
    expect(rebook.message.text).toContain('Mødet med Jonas onsdag den 7. oktober kl. 16.00 er aflyst');
    expect(rebook.message.text).toContain('Jonas kan ikke onsdag den 7. oktober kl. 16.00. Find et nyt tidspunkt, der passer jer begge.');
    expect(rebook.message.question).toMatchObject({ kind: 'datetime', id: `book.when.${pair.pairId}` });
    expect(say(s, pair.menteeId, '9/10 kl. 10')).toContain('Det er booket: fredag den 9. oktober kl. 10.00 med Jonas');
    // Another time for the same meeting: its length, place and link stay.
    expect(meetings(s)[1]).toMatchObject({
      startsAt: '2026-10-09T08:00:00.000Z',
      status: 'booked',
      durationMin: 60,
      place: 'Online',
      onlineUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc',
    });

    // Jonas gets the invitation with the question in one message, and this time it works for him.
    await runUntil(s, '2026-09-28T11:00:00Z');
    const again = s.messenger.ofKind('planning.ask', pair.mentor)[1]!;
    expect(again.message.text).toContain('Astrid has booked your next meeting: Friday');
    expect(again.message.text).toContain('Meeting link: https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc');
    expect(again.message.text).toContain('Can you make Friday');
    expect(textOf(press(s, pair.mentorId, again.message, 'Works for me'))).toMatch(/^Good, the meeting on Friday,? 9 October.* stands\. I'll let Astrid know\.$/);
    await runUntil(s, '2026-09-28T11:05:00Z');
    expect(only(s, 'planning.confirmed', pair.mentee).text).toBe('Jonas har bekræftet jeres møde fredag den 9. oktober kl. 10.00.');

    // Nothing about the cancelled meeting is sent, ever: no prep prompt, no reminder for the 7th.
    await runUntil(s, '2026-10-08T12:00:00Z');
    const about = (kind: string) => s.messenger.ofKind(kind).filter((d) => d.message.text.includes('7. oktober') || d.message.text.includes('7 October'));
    expect([...about('prep.prompt'), ...about('meeting.reminder')]).toEqual([]);
    expect(only(s, 'prep.prompt', pair.mentee).text).toContain('fredag den 9. oktober kl. 10.00');
    s.close();
  });
});

describe('the usual ways out', () => {
  it('Jonas puts the question off, is asked again the next day, and skips it: the meeting stands as booked', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '7/10 kl. 16');
    await invitationsGoOut(s, pair);
    only(s, 'planning.ask', pair.mentor);
    expect(say(s, pair.mentorId, 'ikke endnu')).toContain('Jeg spørger igen om tidspunktet for mødet onsdag den 7. oktober kl. 16.00');
    await runUntil(s, '2026-09-29T09:00:00Z');
    const again = s.messenger.ofKind('talk.reask', pair.mentor)[0]!.message;
    expect(again.text).toContain('Kan du onsdag den 7. oktober kl. 16.00?');
    expect(say(s, pair.mentorId, 'spring over')).toBe('Fint, mødet står, som Astrid har booket det.');
    expect(meetings(s)).toMatchObject([{ status: 'booked', sequence: 0 }]);
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE kind LIKE 'planning.%' AND status = 'pending'").pluck().get()).toBe(0);
    s.close();
  });

  it('Astrid cancels the question about a suggested time: the meeting still lapses rather than stand', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '1/10 kl. 16');
    await invitationsGoOut(s, pair);
    press(s, pair.mentorId, only(s, 'planning.ask', pair.mentor), 'Foreslå et andet tidspunkt');
    say(s, pair.mentorId, '2/10 kl. 16');
    await runUntil(s, new Date(s.clock.now() + MINUTE).toISOString());
    only(s, 'planning.proposal', pair.mentee);
    expect(say(s, pair.menteeId, 'spring over')).toContain('kan ikke springes over');
    expect(say(s, pair.menteeId, 'annuller')).toContain('Fint, vi stopper her');
    await runUntil(s, '2026-10-01T12:00:00Z');
    expect(meetings(s)).toMatchObject([{ status: 'cancelled' }]);
    s.close();
  });
});

describe('Jonas answers late', () => {
  it('after Astrid moved the meeting: he is told kindly, and asked about the new time there and then', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '7/10 kl. 16');
    await invitationsGoOut(s, pair);
    const asked = only(s, 'planning.ask', pair.mentor);

    // Before Jonas answers, Astrid moves the meeting a day.
    expect(say(s, pair.menteeId, 'book')).toContain('onsdag den 7. oktober kl. 16.00');
    expect(say(s, pair.menteeId, 'Flytte det')).toContain('Hvornår mødes I?');
    expect(say(s, pair.menteeId, '8/10 kl. 16')).toContain('Mødet er flyttet til torsdag den 8. oktober kl. 16.00');
    s.clock.advance(30 * MINUTE);
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('meeting.invite', pair.mentor)[1]!.message.text).toContain('Astrid har flyttet jeres møde til torsdag den 8. oktober kl. 16.00');

    // Jonas presses "Passer mig" under the old question.
    const late = press(s, pair.mentorId, asked, 'Passer mig');
    expect(textOf(late)).toBe(
      'Tak for svaret — men mødet er flyttet til torsdag den 8. oktober kl. 16.00 i mellemtiden, så det gjaldt det gamle tidspunkt.\n\n' +
        'Kan du torsdag den 8. oktober kl. 16.00? Svar, så Astrid ved, om mødet står.',
    );
    expect(s.messenger.ofKind('planning.confirmed')).toHaveLength(0);
    // Asked there and then, so the question about the new time that waited is not sent as well.
    await runUntil(s, '2026-09-29T12:00:00Z');
    expect(s.messenger.ofKind('planning.ask', pair.mentor)).toHaveLength(1);

    expect(textOf(press(s, pair.mentorId, late[0]!, 'Passer mig'))).toBe('Godt, så står mødet torsdag den 8. oktober kl. 16.00. Jeg siger det til Astrid.');
    await runUntil(s, '2026-09-29T12:05:00Z');
    expect(only(s, 'planning.confirmed', pair.mentee).text).toBe('Jonas har bekræftet jeres møde torsdag den 8. oktober kl. 16.00.');
    s.close();
  });

  it('with an old button after the new question came: he is told what changed, and his answer counts for nothing old', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '14/10 kl. 16');
    await invitationsGoOut(s, pair);
    const old = only(s, 'planning.ask', pair.mentor);
    // Two days on, Astrid moves it; Jonas's untouched question no longer holds the new one back.
    s.clock.set('2026-09-30T08:00:00Z');
    say(s, pair.menteeId, 'book');
    say(s, pair.menteeId, 'Flytte det');
    say(s, pair.menteeId, '15/10 kl. 16');
    await runUntil(s, '2026-09-30T09:00:00Z');
    expect(s.messenger.ofKind('planning.ask', pair.mentor)[1]!.message.text).toContain('Kan du torsdag den 15. oktober kl. 16.00?');

    const replies = press(s, pair.mentorId, old, 'Kan ikke');
    expect(textOf(replies)).toContain('mødet er flyttet til torsdag den 15. oktober kl. 16.00 i mellemtiden, så det gjaldt det gamle tidspunkt');
    expect(meetings(s)[0]).toMatchObject({ status: 'booked', startsAt: '2026-10-15T14:00:00.000Z' });
    s.close();
  });

  it('after Astrid cancelled: there is nothing to answer, and he is told so', async () => {
    const { s, pair } = season();
    astridBooksOnline(s, pair, '7/10 kl. 16');
    await invitationsGoOut(s, pair);
    const asked = only(s, 'planning.ask', pair.mentor);
    say(s, pair.menteeId, 'book');
    expect(say(s, pair.menteeId, 'Aflyse det')).toContain('er aflyst');
    expect(textOf(press(s, pair.mentorId, asked, 'Foreslå et andet tidspunkt'))).toBe(
      'Spørgsmålet om tidspunktet for mødet onsdag den 7. oktober kl. 16.00 er ikke længere aktuelt, så jeg har ikke gemt noget.',
    );
    expect(s.bot.waitingFor(pair.mentorId)).toBeNull();
    s.close();
  });
});

describe('place and online link', () => {
  it('where exactly goes into the invitation as its LOCATION, the link as its URL, and both into the messages', async () => {
    const { s, pair } = season();
    say(s, pair.menteeId, 'book');
    say(s, pair.menteeId, '7/10 kl. 16');
    say(s, pair.menteeId, '1 time');
    expect(say(s, pair.menteeId, 'Café')).toContain('Hvor præcis?');
    expect(say(s, pair.menteeId, 'Café Aula, Nordre Ringgade 3')).toContain('Det er booket');
    await invitationsGoOut(s, pair);
    const [cafe] = calendarOf(s, pair.mentor);
    expect(cafe).toMatchObject({ location: 'Café Aula, Nordre Ringgade 3', url: null });
    expect(only(s, 'meeting.invite', pair.mentor).text).toContain('(60 min., Café Aula, Nordre Ringgade 3)');

    // The next one online, with its link.
    press(s, pair.mentorId, only(s, 'planning.ask', pair.mentor), 'Passer mig');
    say(s, pair.menteeId, 'book');
    say(s, pair.menteeId, 'Booke et møde mere');
    astridBooksOnlineFromWhen(s, pair, '21/10 kl. 9');
    await runUntil(s, '2026-09-28T12:00:00Z');
    const online = calendarOf(s, pair.mentor)[1]!;
    expect(online).toMatchObject({ location: 'Online', url: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc' });
    expect(online.description).toContain('Online: https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc');
    await runUntil(s, '2026-10-20T08:00:00Z'); // the reminder the day before
    const reminder = s.messenger.ofKind('meeting.reminder', pair.mentee).find((d) => d.message.text.includes('i morgen, onsdag den 21. oktober'))!;
    expect(reminder.message.text).toContain('Link til mødet: https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc');
    s.close();
  });

  it('a link that is not a web address is refused with what to paste instead, and nothing is booked until it is right', () => {
    const { s, pair } = season({ menteeLocale: 'en' });
    say(s, pair.menteeId, 'book');
    say(s, pair.menteeId, '7/10 16:00');
    say(s, pair.menteeId, '1 hour');
    expect(say(s, pair.menteeId, 'Online')).toContain('Do you have a link for the online meeting');
    for (const bad of ['my zoom link', 'javascript:alert(1)', 'ftp://files.example.com/meeting', 'https://']) {
      expect(say(s, pair.menteeId, bad)).toContain("That doesn't look like a link to an online meeting. Paste the whole link, starting with https://");
    }
    expect(meetings(s)).toEqual([]);
    expect(say(s, pair.menteeId, 'www.zoom.us/j/123456789')).toContain('Booked: Wednesday');
    expect(meetings(s)[0]!.onlineUrl).toBe('https://www.zoom.us/j/123456789');
    s.close();
  });
});

/** The same as astridBooksOnline, from the date question on (after "book another"). */
function astridBooksOnlineFromWhen(s: TestSparring, pair: TestPair, when: string): void {
  say(s, pair.menteeId, when);
  say(s, pair.menteeId, '1 time');
  say(s, pair.menteeId, 'Online');
  expect(say(s, pair.menteeId, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc')).toContain('Det er booket');
}
