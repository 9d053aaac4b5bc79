/** Stories: a command word typed at a free-text question is asked about, never guessed. */
import { getPerson } from '../../src/people';
import { book, createTestSparring, keepOnlyNudges, say, seedPair } from '../helpers/sparring';

/** A mentee at the first prep question ("Hvad vil du sige?") of a meeting on Wednesday 7 October. */
function atPrepQuestion(locale: 'da' | 'en' = 'da') {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s, { menteeLocale: locale });
  const meeting = book(s, pair, '2026-10-07T14:00:00Z');
  keepOnlyNudges(s.core, 'none');
  say(s, pair.menteeId, locale === 'da' ? 'forbered' : 'prep');
  expect(s.bot.waitingFor(pair.menteeId)).toBe(`prep.say.${meeting.id}`);
  return { s, pair, meeting };
}

const prepAnswer = (s: ReturnType<typeof atPrepQuestion>['s'], meetingId: number, question: string) =>
  s.core.db.prepare('SELECT answer FROM prep_answers WHERE meeting_id = ? AND question = ?').pluck().get(meetingId, question);

describe('"pause" at a free-text question', () => {
  it('asks which was meant; "it is my answer" stores "pause" and pauses nothing', () => {
    const { s, pair, meeting } = atPrepQuestion();
    const [asked] = s.bot.handle(pair.menteeId, { type: 'text', text: 'pause' }).replies;
    expect(asked!.text).toContain('Mente du kommandoen *pause*');
    expect(asked!.question).toMatchObject({ kind: 'choice', options: [{ label: 'Kør kommandoen pause' }, { label: 'Det er mit svar' }] });
    expect(say(s, pair.menteeId, 'Det er mit svar')).toContain('Hvad vil du høre?');
    expect(prepAnswer(s, meeting.id, 'say')).toBe('pause');
    expect(getPerson(s.core, pair.menteeId)!.pausedUntil).toBeNull();
    s.close();
  });

  it('"run the command" pauses and stores nothing as the answer', () => {
    const { s, pair, meeting } = atPrepQuestion();
    say(s, pair.menteeId, 'pause');
    say(s, pair.menteeId, '1');
    expect(getPerson(s.core, pair.menteeId)!.pausedUntil).toBeGreaterThan(s.clock.now());
    expect(prepAnswer(s, meeting.id, 'say') ?? null).toBeNull();
    s.close();
  });

  it('works the same in English', () => {
    const { s, pair, meeting } = atPrepQuestion('en');
    expect(say(s, pair.menteeId, 'pause')).toContain('Did you mean the command *pause*');
    say(s, pair.menteeId, "It's my answer");
    expect(prepAnswer(s, meeting.id, 'say')).toBe('pause');
    expect(getPerson(s.core, pair.menteeId)!.pausedUntil).toBeNull();
    s.close();
  });

  it.each(['actions done 1', 'skridt klaret 1'])('"%s" is asked about too, and nothing is stored until the person says', (text) => {
    const { s, pair, meeting } = atPrepQuestion();
    expect(say(s, pair.menteeId, text)).toMatch(/^Mente du kommandoen \*skridt \S+ 1\*/);
    expect(prepAnswer(s, meeting.id, 'say') ?? null).toBeNull();
    expect(say(s, pair.menteeId, 'Det er mit svar')).toContain('Hvad vil du høre?');
    expect(prepAnswer(s, meeting.id, 'say')).toBe(text);
    s.close();
  });
});

// BUG (src/conversation/clarify.ts:29 and :37): the command is shown as its Danish word followed by the
// canonical English argument ("skridt done 1"), a mix no Danish reader typed or would type.
it.each(['actions done 1', 'skridt klaret 1'])('"%s" is asked about in the reader\'s own words ("skridt klaret 1")', (text) => {
  const { s, pair } = atPrepQuestion();
  expect(say(s, pair.menteeId, text)).toContain('Mente du kommandoen *skridt klaret 1*');
  s.close();
});

it('a coordinator’s command word from a mentee is her answer: she is not asked about a command she cannot use', () => {
  const { s, pair, meeting } = atPrepQuestion();
  const reply = say(s, pair.menteeId, 'status');
  expect(reply).not.toContain('Mente du kommandoen');
  expect(reply).toContain('Hvad vil du høre?');
  expect(prepAnswer(s, meeting.id, 'say')).toBe('status');
  s.close();
});

it('"actions done 1" chosen as the command runs it and stores nothing as the answer', () => {
  const { s, pair, meeting } = atPrepQuestion();
  say(s, pair.menteeId, 'actions done 1');
  expect(say(s, pair.menteeId, '1')).not.toMatch(/Mente du|kender jeg ikke/);
  expect(prepAnswer(s, meeting.id, 'say') ?? null).toBeNull();
  s.close();
});

describe('a command word with other words after it', () => {
  it.each([
    ['da', 'Hjælp til jobsøgning', 'Hvad vil du høre?'],
    ['en', 'Help with my job search', 'What do you want to hear?'],
  ] as const)('(%s) "%s" is the answer, with no question about it', (locale, text, next) => {
    const { s, pair, meeting } = atPrepQuestion(locale);
    const reply = say(s, pair.menteeId, text);
    expect(reply).toContain(next);
    expect(reply).not.toMatch(/Mente du|Did you mean/);
    expect(prepAnswer(s, meeting.id, 'say')).toBe(text);
    s.close();
  });
});
