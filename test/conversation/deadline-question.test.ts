/**
 * Stories: a question with a deadline (Jonas asked whether tomorrow's meeting suits him) does not wait
 * a whole day behind an older question he has not answered; it is asked while a day to answer it is
 * left. But it does not land on top of a question he is answering right now.
 */
import { createTestSparring, runUntil, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

/** Monday 28 September 2026, 08:00 in Copenhagen: Astrid books an hour online for Tuesday 15:00. */
function astridBooksForTomorrow(): { s: TestSparring; pair: TestPair } {
  const s = createTestSparring({ start: '2026-09-28T06:00:00Z' });
  const pair = seedPair(s);
  say(s, pair.menteeId, 'book');
  say(s, pair.menteeId, '29/9 kl. 15');
  say(s, pair.menteeId, '1 time');
  say(s, pair.menteeId, 'Online');
  expect(say(s, pair.menteeId, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc')).toContain('jeg spørger Jonas, om tidspunktet passer');
  return { s, pair };
}

const asked = (s: TestSparring, pair: TestPair) => s.messenger.ofKind('planning.ask', pair.mentor);

describe('a question with a deadline', () => {
  it('is asked a day before the meeting, over an older question left unanswered since the morning', async () => {
    const { s, pair } = astridBooksForTomorrow();
    // The first booking opens the expectation alignment for Jonas too; he leaves it for now.
    await runUntil(s, '2026-09-28T06:30:00Z');
    expect(s.bot.waitingFor(pair.mentorId)).toMatch(/^align/);
    expect(asked(s, pair)).toHaveLength(0);

    await runUntil(s, '2026-09-28T12:59:00Z'); // Monday 14:59: more than a day before the meeting
    expect(asked(s, pair)).toHaveLength(0);
    await runUntil(s, '2026-09-28T13:01:00Z'); // 15:00, a day before: asked, not Tuesday morning
    expect(asked(s, pair)).toHaveLength(1);
    expect(asked(s, pair)[0]!.message.text).toContain('Kan du tirsdag den 29. september kl. 15.00?');
    s.close();
  });

  it('still waits while he is writing to the question he has open, then comes', async () => {
    const { s, pair } = astridBooksForTomorrow();
    await runUntil(s, '2026-09-28T12:55:00Z');
    expect(asked(s, pair)).toHaveLength(0);
    // 14:55: Jonas answers the first alignment question; the next one is his now.
    say(s, pair.mentorId, 'Sparring på min rolle som leder');
    await runUntil(s, '2026-09-28T13:05:00Z');
    expect(asked(s, pair)).toHaveLength(0); // not on top of what he is answering
    await runUntil(s, '2026-09-28T13:11:00Z'); // a quarter of an hour after he last wrote
    expect(asked(s, pair)).toHaveLength(1);
    s.close();
  });
});
