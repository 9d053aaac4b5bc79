/** Stories: leaving a form half-way keeps what was answered; earlier answers are shown and kept; long answers are cut and said so. */
import { book, createTestSparring, keepOnlyNudges, say, seedPair } from '../helpers/sparring';

function pairWithMeeting(locale: 'da' | 'en' = 'da') {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s, { menteeLocale: locale });
  const meeting = book(s, pair, '2026-10-07T14:00:00Z');
  keepOnlyNudges(s.core, 'none');
  return { s, pair, meeting };
}

describe('cancelling the alignment half-way', () => {
  it('keeps the answers given, says so, and shows them again next time; "spring over" keeps them', () => {
    const { s, pair } = pairWithMeeting();
    expect(say(s, pair.menteeId, 'aftale ret')).toContain('Hvad vil du gerne have støtte og hjælp til?');
    say(s, pair.menteeId, 'Sparring på min karriere');
    say(s, pair.menteeId, 'Praktik');
    expect(say(s, pair.menteeId, 'annuller')).toBe('Fint, vi stopper her. Jeg har gemt det, du nåede at svare om forventningsafstemningen med Jonas.');
    const kept = s.core.db.prepare('SELECT item, answer FROM agreements WHERE author_id = ? ORDER BY item').all(pair.menteeId);
    expect(kept).toEqual([
      { item: 'help', answer: 'Sparring på min karriere' },
      { item: 'topics', answer: 'Praktik' },
    ]);
    expect(s.bot.waitingFor(pair.menteeId)).toBeNull();

    const again = say(s, pair.menteeId, 'aftale ret');
    expect(again).toContain('Sidst skrev du: »Sparring på min karriere«');
    const skipped = say(s, pair.menteeId, 'spring over');
    expect(skipped).toContain('Jeg beholder dit tidligere svar.');
    expect(skipped).toContain('Sidst skrev du: »Praktik«');
    s.close();
  });

  it('re-running prep shows the earlier answer and "spring over" keeps it', () => {
    const { s, pair, meeting } = pairWithMeeting();
    say(s, pair.menteeId, 'forbered');
    say(s, pair.menteeId, 'Mit speciale');
    expect(say(s, pair.menteeId, 'annuller')).toContain('Fint, vi stopper her.');
    expect(say(s, pair.menteeId, 'forbered')).toContain('Sidst skrev du: »Mit speciale«');
    expect(say(s, pair.menteeId, 'spring over')).toContain('Jeg beholder dit tidligere svar.');
    expect(s.core.db.prepare("SELECT answer FROM prep_answers WHERE meeting_id = ? AND question = 'say'").pluck().get(meeting.id)).toBe('Mit speciale');
    s.close();
  });

  it('(en) cancel keeps what was answered and says so', () => {
    const { s, pair } = pairWithMeeting('en');
    say(s, pair.menteeId, 'agreement edit');
    say(s, pair.menteeId, 'Career sparring');
    expect(say(s, pair.menteeId, 'cancel')).toContain("I've saved what you had answered");
    expect(s.core.db.prepare('SELECT answer FROM agreements WHERE author_id = ?').pluck().all(pair.menteeId)).toEqual(['Career sparring']);
    s.close();
  });
});

describe('a very long answer', () => {
  it.each([
    ['da', 'forbered', 'Dit svar var på 5.000 tegn, og der er plads til 2.000'],
    ['en', 'prep', 'Your answer was 5,000 characters long, and there is room for 2,000'],
  ] as const)('(%s) is kept up to 2,000 characters and the person is told', (locale, command, told) => {
    const { s, pair, meeting } = pairWithMeeting(locale);
    say(s, pair.menteeId, command);
    const long = 'abcdefghij'.repeat(500);
    expect(say(s, pair.menteeId, long)).toContain(told);
    const stored = s.core.db.prepare("SELECT answer FROM prep_answers WHERE meeting_id = ? AND question = 'say'").pluck().get(meeting.id) as string;
    expect(stored).toBe(long.slice(0, 2000));
    s.close();
  });
});
