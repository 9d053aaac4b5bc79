/** Stories: a mentee asked "when are you meeting?" is never trapped by the date question. */
import { BOOK_NEXT } from '../../src/flows/booking/form';
import { CHECKIN_ASK } from '../../src/flows/checkin';
import { plan } from '../../src/flows/plan';
import { setLocale } from '../../src/people';
import { createTestSparring, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

const unreadable = /kunne jeg ikke læse|couldn't read|could not read/i;

/** Monday 28 September 2026, 10:00 in Copenhagen; the mentee gets the book.next nudge at once. */
async function askedToBook(): Promise<{ s: TestSparring; pair: TestPair }> {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s);
  plan(s.core, { key: `${BOOK_NEXT}:test`, kind: BOOK_NEXT, personId: pair.menteeId, subject: `pair:${pair.pairId}`, payload: { pairId: pair.pairId, reason: 'first' }, dueAt: s.clock.now() });
  await s.scheduler.runOnce();
  const [nudge] = s.messenger.ofKind(BOOK_NEXT, pair.mentee);
  expect(nudge!.message.text).toContain('Hvornår mødes I?');
  return { s, pair };
}

const meetings = (s: TestSparring) => s.core.db.prepare('SELECT starts_at FROM meetings').all();

describe('the trapped mentee (Danish)', () => {
  it.each([
    ['spring over', /ikke springes over/],
    ['skip', /ikke springes over/],
    ['-', /ikke springes over/],
    ['Jeg er så stresset over min eksamen', /rådgivnings- og støttecenter[\s\S]*studievejledningen[\s\S]*venter stadig/],
  ])('"%s" at the date question gets a sensible reply, not "couldn\'t read that date"', async (text, expected) => {
    const { s, pair } = await askedToBook();
    const reply = say(s, pair.menteeId, text);
    expect(reply).toMatch(expected);
    expect(reply).not.toMatch(unreadable);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.when.${pair.pairId}`);
    expect(meetings(s)).toEqual([]);
    s.close();
  });

  it('"ikke endnu" puts the question off; it is asked again the next working morning and can then be answered', async () => {
    const { s, pair } = await askedToBook();
    const reply = say(s, pair.menteeId, 'ikke endnu');
    expect(reply).toContain('Helt i orden. Jeg spørger igen om at booke et møde med Jonas');
    expect(reply).toContain('tirsdag');
    expect(reply).not.toMatch(unreadable);
    expect(s.bot.waitingFor(pair.menteeId)).toBeNull();

    s.clock.set('2026-09-29T06:30:00Z'); // Tuesday 08:30: not yet
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask')).toHaveLength(0);
    s.clock.set('2026-09-29T08:00:00Z'); // Tuesday 10:00
    await s.scheduler.runOnce();
    const [reask] = s.messenger.ofKind('talk.reask', pair.mentee);
    expect(reask!.message.text).toContain('Jeg lovede at spørge igen om at booke et møde med Jonas');
    expect(reask!.message.text).toContain('Hvornår mødes I?');
    expect(reask!.message.why).toContain('ikke endnu');

    expect(say(s, pair.menteeId, '7/10 kl. 16')).toContain('Hvor længe?');
    expect(say(s, pair.menteeId, '2')).toContain('Hvor eller hvordan?');
    expect(say(s, pair.menteeId, 'Café')).toContain('Hvor præcis?');
    expect(say(s, pair.menteeId, 'spring over')).toContain('Det er booket: onsdag den 7. oktober kl. 16.00');
    expect(meetings(s)).toEqual([{ starts_at: Date.parse('2026-10-07T14:00:00Z') }]);
    s.close();
  });

  it('"ikke endnu", then taking the question up again the same day: the promised re-ask is not sent', async () => {
    const { s, pair } = await askedToBook();
    say(s, pair.menteeId, 'ikke endnu');
    s.clock.set('2026-09-28T12:00:00Z');
    expect(say(s, pair.menteeId, 'book')).toContain('Hvornår mødes I?');
    expect(say(s, pair.menteeId, '7/10 kl. 16')).toContain('Hvor længe?');
    s.clock.set('2026-09-29T08:00:00Z'); // Tuesday 10:00, when the re-ask was due
    await s.scheduler.runOnce();
    s.clock.set('2026-09-29T12:30:00Z'); // and after a day without an answer
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask')).toHaveLength(0);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.length.${pair.pairId}`);
    s.close();
  });

  it('"ikke endnu" late in the day, after answering part of the question: the re-ask still comes at the time promised', async () => {
    const { s, pair } = await askedToBook();
    s.clock.set('2026-09-28T14:55:00Z'); // Monday 16:55
    expect(say(s, pair.menteeId, '7/10 kl. 16')).toContain('Hvor længe?');
    s.clock.set('2026-09-28T15:00:00Z');
    expect(say(s, pair.menteeId, 'ikke endnu')).toContain('tirsdag');
    s.clock.set('2026-09-29T08:00:00Z'); // Tuesday 10:00, as promised
    await s.scheduler.runOnce();
    const [reask] = s.messenger.ofKind('talk.reask', pair.mentee);
    expect(reask!.message.text).toContain('Hvor længe?');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.length.${pair.pairId}`);
    s.close();
  });

  /** "ikke endnu" on Monday (promised Tuesday 10:00), then a check-in asked Tuesday 09:00. */
  async function checkinBeforeTheReask() {
    const { s, pair } = await askedToBook();
    expect(say(s, pair.menteeId, 'ikke endnu')).toContain('tirsdag');
    plan(s.core, { key: `${CHECKIN_ASK}:story`, kind: CHECKIN_ASK, personId: pair.menteeId, subject: `pair:${pair.pairId}`, payload: { pairId: pair.pairId }, dueAt: Date.parse('2026-09-29T07:00:00Z') });
    s.clock.set('2026-09-29T07:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind(CHECKIN_ASK, pair.mentee)).toHaveLength(1);
    return { s, pair };
  }
  const checkins = (s: TestSparring) => s.core.db.prepare('SELECT professional, personal FROM checkins').all();

  it('a question asked since "ikke endnu" and not yet touched does not break the promise; it is asked again after', async () => {
    const { s, pair } = await checkinBeforeTheReask();
    s.clock.set('2026-09-29T08:00:00Z'); // Tuesday 10:00
    await s.scheduler.runOnce();
    const [reask] = s.messenger.ofKind('talk.reask', pair.mentee);
    expect(reask!.message.text).toContain('Jeg lovede at spørge igen om at booke et møde med Jonas');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.when.${pair.pairId}`);

    expect(say(s, pair.menteeId, '7/10 kl. 16')).toContain('Hvor længe?');
    say(s, pair.menteeId, '2');
    say(s, pair.menteeId, 'Café');
    const booked = say(s, pair.menteeId, 'spring over');
    expect(booked).toContain('Det er booket');
    expect(booked).toContain('Der venter også et spørgsmål'); // the check-in, not forgotten
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`checkin.professional.${pair.pairId}`);
    say(s, pair.menteeId, '4');
    say(s, pair.menteeId, '5');
    expect(checkins(s)).toEqual([{ professional: 4, personal: 5 }]);
    s.close();
  });

  it('in the middle of another question at the promised time: the re-ask waits until that one is answered', async () => {
    const { s, pair } = await checkinBeforeTheReask();
    s.clock.set('2026-09-29T07:50:00Z');
    say(s, pair.menteeId, '4'); // half-way through the check-in
    s.clock.set('2026-09-29T08:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask')).toHaveLength(0);
    s.clock.set('2026-09-29T08:10:00Z');
    say(s, pair.menteeId, '5');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask', pair.mentee)).toHaveLength(1);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.when.${pair.pairId}`);
    expect(checkins(s)).toEqual([{ professional: 4, personal: 5 }]);
    s.close();
  });

  it('"ikke endnu" to a question that came on top of an older one: the older one brought up again does not hold back the promise', async () => {
    const { s, pair } = await askedToBook(); // Monday 10:00; the booking question is left untouched
    // A day later a check-in comes on top of it.
    plan(s.core, { key: `${CHECKIN_ASK}:top`, kind: CHECKIN_ASK, personId: pair.menteeId, subject: `pair:${pair.pairId}`, payload: { pairId: pair.pairId }, dueAt: Date.parse('2026-09-29T08:05:00Z') });
    s.clock.set('2026-09-29T08:05:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind(CHECKIN_ASK, pair.mentee)).toHaveLength(1);

    s.clock.set('2026-09-29T14:55:00Z'); // Tuesday 16:55: put off; the booking question is brought up again
    expect(say(s, pair.menteeId, 'ikke endnu')).toContain('Der venter også');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.when.${pair.pairId}`);

    s.clock.set('2026-09-30T08:00:00Z'); // Wednesday 10:00, the time promised
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask', pair.mentee)).toHaveLength(1);
    s.close();
  });

  it('two questions put off to the same morning come one after the other, not on top of each other', async () => {
    const { s, pair } = await askedToBook();
    say(s, pair.menteeId, 'ikke endnu');
    plan(s.core, { key: `${CHECKIN_ASK}:story`, kind: CHECKIN_ASK, personId: pair.menteeId, subject: `pair:${pair.pairId}`, payload: { pairId: pair.pairId }, dueAt: s.clock.now() });
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind(CHECKIN_ASK, pair.mentee)).toHaveLength(1);
    expect(say(s, pair.menteeId, 'ikke endnu')).toContain('tirsdag');

    s.clock.set('2026-09-29T08:00:00Z'); // Tuesday 10:00, promised for both
    await s.scheduler.runOnce();
    s.clock.set('2026-09-29T08:30:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask', pair.mentee)).toHaveLength(1);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`book.when.${pair.pairId}`);
    say(s, pair.menteeId, '7/10 kl. 16');
    say(s, pair.menteeId, '2');
    say(s, pair.menteeId, 'Café');
    expect(say(s, pair.menteeId, 'spring over')).toContain('Det er booket');
    await s.scheduler.runOnce();
    const reasks = s.messenger.ofKind('talk.reask', pair.mentee);
    expect(reasks).toHaveLength(2);
    expect(reasks[1]!.message.text).toContain('Jeg lovede at spørge igen');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`checkin.professional.${pair.pairId}`);
    s.close();
  });

  it('a Friday "ikke endnu" is asked again on Monday, not at the weekend', async () => {
    const s = createTestSparring({ start: '2026-10-02T08:00:00Z' }); // Friday
    const pair = seedPair(s);
    say(s, pair.menteeId, 'book');
    expect(say(s, pair.menteeId, 'ikke endnu')).toContain('mandag');
    s.clock.set('2026-10-03T10:00:00Z');
    await s.scheduler.runOnce();
    s.clock.set('2026-10-04T10:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask')).toHaveLength(0);
    s.clock.set('2026-10-05T08:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('talk.reask', pair.mentee)).toHaveLength(1);
    s.close();
  });
});

describe('the trapped mentee (English)', () => {
  function englishBooking() {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    setLocale(s.core, pair.menteeId, 'en');
    expect(say(s, pair.menteeId, 'book')).toMatch(/When are you meeting\?/i);
    return { s, pair };
  }

  it.each([
    ['skip', /can't be skipped|cannot be skipped/i],
    ['-', /can't be skipped|cannot be skipped/i],
    ["I'm so stressed about my exam", /still waiting/i],
  ])('"%s" gets a sensible reply', (text, expected) => {
    const { s, pair } = englishBooking();
    const reply = say(s, pair.menteeId, text);
    expect(reply).toMatch(expected);
    expect(reply).not.toMatch(unreadable);
    expect(meetings(s)).toEqual([]);
    s.close();
  });

  it('"not yet" is asked again the next working morning and can then be answered', async () => {
    const { s, pair } = englishBooking();
    const reply = say(s, pair.menteeId, 'not yet');
    expect(reply).toMatch(/Tuesday/);
    expect(reply).not.toMatch(unreadable);
    s.clock.set('2026-09-29T08:00:00Z');
    await s.scheduler.runOnce();
    const [reask] = s.messenger.ofKind('talk.reask', pair.mentee);
    expect(reask!.message.text).toMatch(/When are you meeting\?/i);
    expect(say(s, pair.menteeId, '7/10 4pm')).toContain('For how long?');
    s.close();
  });
});
