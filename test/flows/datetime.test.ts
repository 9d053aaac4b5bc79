/**
 * Dates and times as Danes and English speakers write them: what is read, what is accepted, what
 * is asked about first, and the one clear message when something is wrong.
 */
import { formatWhen, parseDateTimeAnswer, readDateTime, type DateTimeAnswer } from '../../src/flows/datetime';
import { meetingWhen } from '../../src/flows/meeting-context';
import { requirePerson, type Person } from '../../src/people';
import type { Locale } from '../../src/text/locale';
import { book, createTestSparring, seedPair, type TestSparring } from '../helpers/sparring';

const CPH = 'Europe/Copenhagen';
// Wednesday 25 November 2026, 10:00 in Copenhagen (CET, UTC+1).
const WEDNESDAY = '2026-11-25T09:00:00Z';
const season = { startsOn: '2026-09-01', endsOn: '2026-12-18' };

function setUp(start: string, o: { locale?: Locale; zone?: string } = {}): { s: TestSparring; person: Person } {
  const s = createTestSparring({ start });
  const pair = seedPair(s, { menteeLocale: o.locale ?? 'da', menteeZone: o.zone });
  return { s, person: requirePerson(s.core, pair.menteeId) };
}

const instant = (reading: ReturnType<typeof readDateTime>) => (reading.kind === 'instant' ? new Date(reading.at).toISOString() : reading);
const value = (answer: DateTimeAnswer) => ('value' in answer ? new Date(answer.value).toISOString() : answer);
const reply = (answer: DateTimeAnswer) => (answer.ok === false ? answer.reply.text : answer);

describe('reading a date and time', () => {
  const now = Date.parse(WEDNESDAY);

  it.each([
    // numbers, day first, the Danish way and ISO
    ['10/12 16:00', '2026-12-10T15:00:00.000Z'],
    ['10/12 kl. 16', '2026-12-10T15:00:00.000Z'],
    ['10.12 16.00', '2026-12-10T15:00:00.000Z'],
    ['10/12-2026 16:00', '2026-12-10T15:00:00.000Z'],
    ['10.12.2026 kl. 16', '2026-12-10T15:00:00.000Z'],
    ['den 10/12 klokken 16.30', '2026-12-10T15:30:00.000Z'],
    ['2026-12-10 16:00', '2026-12-10T15:00:00.000Z'],
    ['2026-12-10T16:00', '2026-12-10T15:00:00.000Z'],
    ['*10/12 kl. 16*', '2026-12-10T15:00:00.000Z'], // copied from the example, emphasis and all
    // weekdays: the next one
    ['tirsdag kl. 14', '2026-12-01T13:00:00.000Z'],
    ['på tirsdag kl. 14', '2026-12-01T13:00:00.000Z'],
    ['næste tirsdag 14:00', '2026-12-01T13:00:00.000Z'],
    ['tirs 14.30', '2026-12-01T13:30:00.000Z'],
    ['next Tuesday 14:00', '2026-12-01T13:00:00.000Z'],
    ['tuesday 2pm', '2026-12-01T13:00:00.000Z'],
    ['Tue at 2:30 pm', '2026-12-01T13:30:00.000Z'],
    ['kl. 14 på tirsdag', '2026-12-01T13:00:00.000Z'],
    ['tirsdag den 1. december kl. 14', '2026-12-01T13:00:00.000Z'],
    ['Tuesday 1 December at 14:00', '2026-12-01T13:00:00.000Z'],
    // today's weekday: today while the time is ahead, else next week
    ['onsdag kl. 11', '2026-11-25T10:00:00.000Z'],
    ['onsdag kl. 9', '2026-12-02T08:00:00.000Z'],
    ['næste onsdag kl. 11', '2026-12-02T10:00:00.000Z'],
    // today, tomorrow, the day after
    ['i morgen kl. 10', '2026-11-26T09:00:00.000Z'],
    ['imorgen 10', '2026-11-26T09:00:00.000Z'],
    ['i overmorgen 9', '2026-11-27T08:00:00.000Z'],
    ['i dag 15', '2026-11-25T14:00:00.000Z'],
    ['tomorrow at 10', '2026-11-26T09:00:00.000Z'],
    ['today 15:30', '2026-11-25T14:30:00.000Z'],
    ['4pm tomorrow', '2026-11-26T15:00:00.000Z'],
    // noon, and a part of the day that says which half an hour is in
    ['tomorrow at noon', '2026-11-26T11:00:00.000Z'],
    ['i morgen ved middagstid', '2026-11-26T11:00:00.000Z'],
    ['i morgen kl. 12 middag', '2026-11-26T11:00:00.000Z'],
    ['fredag middag', '2026-11-27T11:00:00.000Z'],
    ['i morgen aften kl. 7', '2026-11-26T18:00:00.000Z'],
    ['i aften kl. 7', '2026-11-25T18:00:00.000Z'],
    ['kl. 7 i aften', '2026-11-25T18:00:00.000Z'],
    ['tuesday afternoon at 3', '2026-12-01T14:00:00.000Z'],
    ['tirsdag eftermiddag kl. 15', '2026-12-01T14:00:00.000Z'],
    ['i morgen formiddag kl. 10', '2026-11-26T09:00:00.000Z'],
    ['tomorrow morning 9', '2026-11-26T08:00:00.000Z'],
    ['tomorrow evening 7pm', '2026-11-26T18:00:00.000Z'],
    // an hour that does not fit the part of the day is left as typed (and checked as usual)
    ['tirsdag eftermiddag kl. 11', '2026-12-01T10:00:00.000Z'],
    ['i eftermiddag kl. 5', '2026-11-25T16:00:00.000Z'],
    ['tuesday evening at 3', '2026-12-01T02:00:00.000Z'],
    // month names, Danish and English, full and short
    ['7 Dec 16:00', '2026-12-07T15:00:00.000Z'],
    ['7. december kl. 16', '2026-12-07T15:00:00.000Z'],
    ['7. dec. kl. 16', '2026-12-07T15:00:00.000Z'],
    ['December 7th at 4pm', '2026-12-07T15:00:00.000Z'],
    ['7 october 2026 4pm', '2026-10-07T14:00:00.000Z'], // with its year, even when past
    ['7 januar 2027 kl. 9', '2027-01-07T08:00:00.000Z'],
  ])('reads "%s"', (text, iso) => {
    expect(instant(readDateTime(text, CPH, now))).toBe(iso);
  });

  it.each([
    ['7 Oct 16:00', '2027-10-07T14:00:00.000Z'],
    ['7. oktober kl. 16', '2027-10-07T14:00:00.000Z'],
    ['1/11 10:00', '2027-11-01T09:00:00.000Z'],
  ])('takes "%s", whose day has passed this year, as next year and says so', (text, iso) => {
    const reading = readDateTime(text, CPH, now);
    expect(reading).toMatchObject({ kind: 'instant', rolled: true });
    expect(instant(reading)).toBe(iso);
  });

  it.each([
    ['10/12', { kind: 'dateOnly', date: { year: 2026, month: 12, day: 10 } }],
    ['10.12', { kind: 'dateOnly', date: { year: 2026, month: 12, day: 10 } }],
    ['tirsdag', { kind: 'dateOnly', date: { year: 2026, month: 12, day: 1 } }],
    ['onsdag', { kind: 'dateOnly', date: { year: 2026, month: 12, day: 2 } }],
    ['i morgen', { kind: 'dateOnly', date: { year: 2026, month: 11, day: 26 } }],
    ['i morgen eftermiddag', { kind: 'dateOnly', date: { year: 2026, month: 11, day: 26 }, later: 'afternoon' }],
    ['fredag aften', { kind: 'dateOnly', date: { year: 2026, month: 11, day: 27 }, later: 'evening' }],
    // "i morgen" is tomorrow, never "in the morning": "fredag i morgen" is not quietly read as Friday.
    ['fredag i morgen', { kind: 'invalid', problem: 'unreadable' }],
    ['tuesday morning', { kind: 'dateOnly', date: { year: 2026, month: 12, day: 1 } }],
    ['noon', { kind: 'timeOnly', hour: 12, minute: 0 }],
    ['16', { kind: 'timeOnly', hour: 16, minute: 0 }],
    ['kl. 16', { kind: 'timeOnly', hour: 16, minute: 0 }],
    ['16.00', { kind: 'timeOnly', hour: 16, minute: 0 }],
    ['4pm', { kind: 'timeOnly', hour: 16, minute: 0 }],
    ['12am', { kind: 'timeOnly', hour: 0, minute: 0 }],
    ['31/02', { kind: 'invalid', problem: 'noSuchDate' }],
    ['31/2 10:00', { kind: 'invalid', problem: 'noSuchDate' }],
    ['30. februar kl. 10', { kind: 'invalid', problem: 'noSuchDate' }],
    ['10/13 kl. 10', { kind: 'invalid', problem: 'noSuchDate' }],
    ['10/12 25:00', { kind: 'invalid', problem: 'badTime' }],
    ['10/12 16:75', { kind: 'invalid', problem: 'badTime' }],
    ['13pm', { kind: 'invalid', problem: 'badTime' }],
    ['next week', { kind: 'invalid', problem: 'unreadable' }],
    ['snart', { kind: 'invalid', problem: 'unreadable' }],
    ['2026', { kind: 'invalid', problem: 'unreadable' }],
  ])('reads "%s" as %j', (text, expected) => {
    expect(readDateTime(text, CPH, now)).toEqual(expected);
  });

  describe('across the daylight-saving changes', () => {
    // Denmark leaves summer time in the night to Sunday 25 October 2026 and enters it in the night to 28 March 2027.
    it.each([
      ['2026-10-23T10:00:00Z', 'i morgen kl. 10', '2026-10-24T08:00:00.000Z'], // Saturday, CEST
      ['2026-10-23T10:00:00Z', 'i overmorgen kl. 10', '2026-10-25T09:00:00.000Z'], // Sunday, CET
      ['2026-10-23T10:00:00Z', 'mandag 9', '2026-10-26T08:00:00.000Z'],
      ['2027-03-26T11:00:00Z', 'i overmorgen kl. 10', '2027-03-28T08:00:00.000Z'], // Sunday, CEST
      ['2027-03-26T11:00:00Z', 'monday 9:00', '2027-03-29T07:00:00.000Z'],
    ])('on %s reads "%s" at the local hour', (at, text, iso) => {
      expect(instant(readDateTime(text, CPH, Date.parse(at)))).toBe(iso);
    });
  });
});

describe('an answer to "when do you meet?"', () => {
  let s: TestSparring;
  afterEach(() => s.close());

  it('is accepted as it is when it is a weekday daytime within the season', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(parseDateTimeAnswer(s.core, person, '10/12 kl. 16', { season })).toEqual({ ok: true, value: Date.parse('2026-12-10T15:00:00Z') });
  });

  it('reads both languages for everyone', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    expect(value(parseDateTimeAnswer(s.core, person, 'i morgen kl. 10', {}))).toBe('2026-11-26T09:00:00.000Z');
    expect(value(parseDateTimeAnswer(s.core, person, 'tirsdag 14.00', {}))).toBe('2026-12-01T13:00:00.000Z');
    expect(value(parseDateTimeAnswer(s.core, person, 'Tuesday 14:00', {}))).toBe('2026-12-01T13:00:00.000Z');
  });

  it("is read in the person's own zone: a New Yorker's \"i morgen kl. 10\" is 10:00 in New York", () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY, { zone: 'America/New_York' }));
    expect(value(parseDateTimeAnswer(s.core, person, 'i morgen kl. 10', {}))).toBe('2026-11-26T15:00:00.000Z');
  });

  it('never rolls a passed date into next year silently: it asks first and books nothing', () => {
    let person: Person;
    // Saturday 28 November 2026, 10:00
    ({ s, person } = setUp('2026-11-28T09:00:00Z'));
    const answer = parseDateTimeAnswer(s.core, person, '1/11 10:00', { season });
    expect(answer).toEqual({
      ok: 'confirm',
      value: Date.parse('2027-11-01T09:00:00Z'),
      question: '1. november er allerede passeret i år. Mente du mandag den 1. november 2027 kl. 10.00? Det ligger efter forløbet slutter (18. december).',
    });
    expect(s.core.db.prepare('SELECT count(*) AS n FROM meetings').get()).toEqual({ n: 0 });
  });

  it('says so in English, too', () => {
    let person: Person;
    ({ s, person } = setUp('2026-11-28T09:00:00Z', { locale: 'en' }));
    const answer = parseDateTimeAnswer(s.core, person, '1 Nov 10:00', {});
    expect(answer).toMatchObject({ ok: 'confirm', question: '1 November has already passed this year. Did you mean Monday 1 November 2027 at 10:00?' });
  });

  it('refuses a time that has passed when the year or the day was given', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(reply(parseDateTimeAnswer(s.core, person, '1/11/2026 10:00', {}))).toBe('Søndag den 1. november kl. 10.00 er allerede gået. Skriv et tidspunkt i fremtiden.');
    expect(reply(parseDateTimeAnswer(s.core, person, 'i dag kl. 9', {}))).toBe('Onsdag den 25. november kl. 9.00 er allerede gået. Skriv et tidspunkt i fremtiden.');
    expect(reply(parseDateTimeAnswer(s.core, person, '2025-12-10', {}))).toBe('Onsdag den 10. december 2025 er allerede gået. Skriv et tidspunkt i fremtiden.');
  });

  it('says that 31/02 does not exist, and that 25:00 is not a time', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(reply(parseDateTimeAnswer(s.core, person, '31/02', {}))).toContain('Den dato findes ikke i kalenderen');
    expect(reply(parseDateTimeAnswer(s.core, person, '10/12 25:00', {}))).toContain('Det klokkeslæt findes ikke');
  });

  it('shows examples that cannot be misread when it cannot read the answer', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(reply(parseDateTimeAnswer(s.core, person, 'en gang i næste uge', {}))).toBe(
      'Den dato kunne jeg ikke læse. Skriv dag og klokkeslæt, fx *10/12 kl. 16* eller *tirsdag kl. 14*.',
    );
    s.close();
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    expect(reply(parseDateTimeAnswer(s.core, person, 'sometime next week', {}))).toBe(
      "I couldn't read that date. Write a day and a time, e.g. *10 Dec 16:00* or *Tuesday 14:00*.",
    );
  });

  it.each(['da', 'en'] as const)('has examples in its %s texts that it reads itself', (locale) => {
    ({ s } = setUp(WEDNESDAY));
    const examples = ['hint', 'unreadable', 'noSuchDate', 'badTime', 'needTime']
      .flatMap((key) => [...s.core.text.t(locale, `dates.${key}`).matchAll(/\*([^*]+)\*/g)].map((m) => m[1]!));
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) expect([example, readDateTime(example, CPH, Date.parse(WEDNESDAY)).kind]).not.toEqual([example, 'invalid']);
  });

  it('asks for the time when only a day is given, and a time alone then completes it', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    const first = parseDateTimeAnswer(s.core, person, '10/12', { season });
    expect(first).toEqual({
      ok: 'needTime',
      date: { year: 2026, month: 12, day: 10 },
      question: 'Hvad tid torsdag den 10. december? Skriv et klokkeslæt, fx *kl. 16* eller *kl. 16.30*.',
    });
    const pendingDate = first.ok === 'needTime' ? first.date : null;
    expect(parseDateTimeAnswer(s.core, person, '16', { season, pendingDate })).toEqual({ ok: true, value: Date.parse('2026-12-10T15:00:00Z') });
    expect(value(parseDateTimeAnswer(s.core, person, 'kl. 14.10', { season, pendingDate }))).toBe('2026-12-10T13:10:00.000Z');
    expect(value(parseDateTimeAnswer(s.core, person, '14.10', { season, pendingDate }))).toBe('2026-12-10T13:10:00.000Z'); // a time, not 14 October
    // a full date replaces the one waiting for its time
    expect(value(parseDateTimeAnswer(s.core, person, '11/12 9:00', { season, pendingDate }))).toBe('2026-12-11T08:00:00.000Z');
    expect(parseDateTimeAnswer(s.core, person, 'fredag', { season, pendingDate })).toMatchObject({ ok: 'needTime', date: { year: 2026, month: 11, day: 27 } });
  });

  it('asks for the time in English, with the year when the day is next year', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    expect(parseDateTimeAnswer(s.core, person, '2027-01-07', {})).toMatchObject({ ok: 'needTime', question: 'What time on Thursday 7 January 2027? Write a time, e.g. *16:00* or *4pm*.' });
    expect(parseDateTimeAnswer(s.core, person, '7 Oct', {})).toMatchObject({
      ok: 'needTime',
      date: { year: 2027, month: 10, day: 7 },
      question: '7 October has already passed this year, so I take it you mean Thursday 7 October 2027. What time? Write a time, e.g. *16:00*, or write another date.',
    });
  });

  it('asks which day when only a time is given', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(reply(parseDateTimeAnswer(s.core, person, 'kl. 16', {}))).toBe('Hvilken dag kl. 16.00? Skriv både dag og klokkeslæt, fx *10/12 kl. 16.00* eller *tirsdag kl. 16.00*.');
  });

  it('confirms a time after the season, saying why', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(parseDateTimeAnswer(s.core, person, '21/12 kl. 16', { season })).toEqual({
      ok: 'confirm',
      value: Date.parse('2026-12-21T15:00:00Z'),
      question: 'Mandag den 21. december kl. 16.00 ligger efter forløbet slutter (18. december). Skal jeg booke det alligevel?',
    });
    expect(parseDateTimeAnswer(s.core, person, '21/12 kl. 16', {})).toEqual({ ok: true, value: Date.parse('2026-12-21T15:00:00Z') }); // no season given
  });

  it('confirms a time before the season starts', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    const spring = { startsOn: '2027-02-01', endsOn: '2027-05-31' };
    expect(parseDateTimeAnswer(s.core, person, '14 Jan 2027 16:00', { season: spring })).toMatchObject({
      ok: 'confirm',
      question: 'Thursday 14 January 2027 at 16:00 is before the programme starts (1 February 2027). Shall I book it anyway?',
    });
  });

  it('confirms Sunday 03:00, naming both reasons', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(parseDateTimeAnswer(s.core, person, '6/12 kl. 3', { season })).toMatchObject({
      ok: 'confirm',
      value: Date.parse('2026-12-06T02:00:00Z'),
      question: 'Søndag den 6. december kl. 3.00 ligger i weekenden og midt om natten. Skal jeg booke det alligevel?',
    });
    s.close();
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    expect(parseDateTimeAnswer(s.core, person, 'Sunday 3am', { season })).toMatchObject({
      ok: 'confirm',
      question: 'Sunday 29 November at 03:00 is at the weekend and in the middle of the night. Shall I book it anyway?',
    });
  });

  it.each([
    ['i morgen kl. 22.30', 'Torsdag den 26. november kl. 22.30 ligger sent om aftenen. Skal jeg booke det alligevel?'],
    ['i morgen kl. 6.30', 'Torsdag den 26. november kl. 6.30 ligger tidligt om morgenen. Skal jeg booke det alligevel?'],
    ['lørdag kl. 1', 'Lørdag den 28. november kl. 1.00 ligger i weekenden og midt om natten. Skal jeg booke det alligevel?'],
  ])('confirms "%s" at night', (text, question) => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(parseDateTimeAnswer(s.core, person, text, { season })).toMatchObject({ ok: 'confirm', question });
  });

  it('accepts 07:00 and 21:59 on a weekday without asking', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(parseDateTimeAnswer(s.core, person, 'i morgen kl. 7', {}).ok).toBe(true);
    expect(parseDateTimeAnswer(s.core, person, 'i morgen kl. 21.59', {}).ok).toBe(true);
  });

  it('asks when the weekday typed does not match the date, and goes by the date', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(parseDateTimeAnswer(s.core, person, 'tirsdag den 10/12 kl. 16', { season })).toEqual({
      ok: 'confirm',
      value: Date.parse('2026-12-10T15:00:00Z'),
      question: '10. december er en torsdag, ikke en tirsdag. Mente du torsdag den 10. december kl. 16.00?',
    });
    expect(parseDateTimeAnswer(s.core, person, 'torsdag den 10/12 kl. 16', { season })).toMatchObject({ ok: true });
    s.close();
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    expect(parseDateTimeAnswer(s.core, person, 'Saturday 10 Dec', { season })).toMatchObject({
      ok: 'needTime',
      question: '10 December is a Thursday, not a Saturday. What time on Thursday 10 December? Write a time, e.g. *16:00* or *4pm*.',
    });
  });

  it('refuses more than 12 months ahead', () => {
    let person: Person;
    ({ s, person } = setUp(WEDNESDAY));
    expect(reply(parseDateTimeAnswer(s.core, person, '1/12/2027 10:00', {}))).toBe('Det er mere end 12 måneder ude i fremtiden. Vælg et tidspunkt inden for det næste år.');
    expect(reply(parseDateTimeAnswer(s.core, person, '2027-11-25 10:01', {}))).toContain('mere end 12 måneder');
    expect(parseDateTimeAnswer(s.core, person, '2027-11-25 09:59', {})).toMatchObject({ ok: true });
    s.close();
    ({ s, person } = setUp(WEDNESDAY, { locale: 'en' }));
    expect(reply(parseDateTimeAnswer(s.core, person, '2028-01-10', {}))).toBe('That is more than 12 months away. Pick a time within the next 12 months.');
  });
});

describe('showing a moment', () => {
  const now = Date.parse(WEDNESDAY);

  it.each([
    ['da', '2026-12-10T15:00:00Z', 'torsdag den 10. december kl. 16.00'],
    ['da', '2027-01-07T08:30:00Z', 'torsdag den 7. januar 2027 kl. 9.30'],
    ['en', '2026-12-10T15:00:00Z', 'Thursday 10 December at 16:00'],
    ['en', '2027-01-07T08:30:00Z', 'Thursday 7 January 2027 at 09:30'],
  ] as const)('in %s: %s is "%s", with the year only when it is not this year', (locale, at, text) => {
    expect(formatWhen(Date.parse(at), CPH, locale, now)).toBe(text);
  });

  it('shows a booked meeting with its weekday, date, year when not this year, and time, to each in their own zone', () => {
    const s = createTestSparring({ start: WEDNESDAY });
    const pair = seedPair(s, { menteeZone: 'America/New_York', mentorLocale: 'en' });
    const meeting = book(s, pair, '2027-01-07T15:00:00Z');
    expect(meetingWhen(s.core, meeting, requirePerson(s.core, pair.menteeId))).toBe('torsdag den 7. januar 2027 kl. 10.00');
    expect(meetingWhen(s.core, meeting, requirePerson(s.core, pair.mentorId))).toBe('Thursday 7 January 2027 at 16:00');
    s.clock.set('2027-01-02T12:00:00Z');
    expect(meetingWhen(s.core, meeting, requirePerson(s.core, pair.mentorId))).toBe('Thursday 7 January at 16:00');
    s.close();
  });
});
