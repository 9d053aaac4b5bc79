import { createPerson } from '../src/people';
import { book, createTestSparring, say, seedPair, type TestSparring } from './helpers/sparring';

function prepared(s: TestSparring) {
  const pair = seedPair(s);
  const meeting = book(s, pair, '2026-10-01T14:00:00Z');
  say(s, pair.menteeId, 'prep');
  return { pair, meeting };
}

const step = (s: TestSparring, personId: number) =>
  (s.core.db.prepare("SELECT step FROM dialogues WHERE person_id = ? AND status = 'open' ORDER BY rank, id").get(personId) as { step: string } | undefined)?.step;
const answers = (s: TestSparring) => s.core.db.prepare('SELECT count(*) AS n FROM prep_answers').get();

describe('bad input gets a clear answer and stores nothing', () => {
  let s: TestSparring;
  beforeEach(() => {
    s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  });
  afterEach(() => s.close());

  it('names an unknown command', () => {
    const { pair } = prepared(s);
    expect(say(s, pair.menteeId, '/mentor frobnicate')).toBe('Kommandoen "frobnicate" kender jeg ikke. Skriv *hjælp* for at se, hvad jeg kan.');
    expect(s.bot.handle(pair.menteeId, { type: 'command', name: 'Frobnicate', args: [] }).replies[0]!.text).toContain('"frobnicate"');
    expect(step(s, pair.menteeId)).toBe('say');
  });

  it('offers help for a message when nothing is being asked', () => {
    const pair = seedPair(s);
    expect(say(s, pair.menteeId, 'hvad sker der?')).toContain('Skriv *hjælp*');
    expect(say(s, pair.menteeId, 'help')).toContain('*forbered* — forbered dit næste møde');
  });

  it('asks again for an empty answer', () => {
    const { pair } = prepared(s);
    expect(say(s, pair.menteeId, '   ')).toContain('Skriv gerne et par ord');
    expect(step(s, pair.menteeId)).toBe('say');
    expect(answers(s)).toEqual({ n: 0 });
  });

  it('keeps an answer of 10,000 characters up to the limit, and says where it was cut', () => {
    const { pair } = prepared(s);
    const long = `${'ord '.repeat(2_400)}slut`;
    const reply = say(s, pair.menteeId, long);
    expect(reply).toContain('Dit svar var på 9.604 tegn, og der er plads til 2.000. Jeg har gemt de første 2.000 tegn');
    expect(step(s, pair.menteeId)).toBe('hear');
    const kept = s.core.db.prepare("SELECT answer FROM prep_answers WHERE question = 'say'").pluck().get() as string;
    expect(kept.length).toBeLessThanOrEqual(2_000);
    expect(kept.length).toBeGreaterThan(1_900);
    expect(kept.endsWith('ord')).toBe(true);
  });

  it('asks for one of the options when a choice does not match', () => {
    const { pair } = prepared(s);
    for (const a of ['a', 'b', 'c', 'd']) say(s, pair.menteeId, a);
    expect(say(s, pair.menteeId, '7')).toBe(
      'Svar med et af tallene: 1) Ja, send dem til Jonas  2) Nej, jeg beholder dem for mig selv\n(Du kan også skrive *ikke endnu* eller *annuller*.)',
    );
    expect(step(s, pair.menteeId)).toBe('share');
  });

  it('ignores a button for a question that is no longer open', () => {
    const { pair, meeting } = prepared(s);
    say(s, pair.menteeId, 'first');
    const replies = s.bot.handle(pair.menteeId, { type: 'answer', questionId: `prep.say.${meeting.id}`, value: 'pressed twice' }).replies;
    expect(replies[0]!.text).toContain('allerede svaret på');
    expect(step(s, pair.menteeId)).toBe('hear');
    expect(s.core.db.prepare("SELECT answer FROM prep_answers WHERE question = 'say'").get()).toEqual({ answer: 'first' });
  });

  it('accepts the open question through a button', () => {
    const { pair, meeting } = prepared(s);
    s.bot.handle(pair.menteeId, { type: 'answer', questionId: `prep.say.${meeting.id}`, value: 'via a button' });
    expect(step(s, pair.menteeId)).toBe('hear');
  });

  it.each(['pause forever', 'pause 0', 'pause 61', 'pause 3 days'])('explains how to pause: %s', (text) => {
    const pair = seedPair(s);
    expect(say(s, pair.menteeId, text)).toContain('et antal dage fra 1 til 60');
    expect(s.core.db.prepare('SELECT paused_until FROM people WHERE id = ?').get(pair.menteeId)).toEqual({ paused_until: null });
  });

  it('explains how to switch language', () => {
    const pair = seedPair(s);
    expect(say(s, pair.menteeId, 'language klingon')).toContain('*sprog da*');
    expect(say(s, pair.menteeId, 'language en')).toBe("Fine — I'll write in English from now on.");
    expect(say(s, pair.menteeId, 'help')).toContain('*prep* — prepare your next meeting');
  });

  it('tells someone outside every programme whom to ask', () => {
    const stranger = createPerson(s.core, { name: 'Ukendt' });
    expect(say(s, stranger, 'prep')).toContain('Kontakt programmets koordinator');
  });

  it('tells a mentor that the mentee prepares', () => {
    const { pair } = prepared(s);
    expect(say(s, pair.mentorId, 'prep')).toContain('Det er menteen, der forbereder');
  });

  it('leaves nothing half-written when storing fails in the middle of a use case', () => {
    const { pair } = prepared(s);
    for (const a of ['a', 'b', 'c', 'd']) say(s, pair.menteeId, a);
    // The mentee shares; recording the choice works, but planning the mentor's agenda fails.
    s.core.db.exec("CREATE TRIGGER fail_agenda BEFORE INSERT ON nudges WHEN NEW.kind = 'prep.agenda' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    expect(say(s, pair.menteeId, '1')).toContain('noget gik galt');
    expect(step(s, pair.menteeId)).toBe('share');
    expect(s.core.db.prepare('SELECT shared, completed_at FROM preps').get()).toEqual({ shared: null, completed_at: null });
    s.core.db.exec('DROP TRIGGER fail_agenda');
    expect(say(s, pair.menteeId, '1')).toContain('får din dagsorden');
  });
});
