/**
 * A mentee who stops the summary half-way ("annuller" / "stop") keeps what she wrote: the meeting is
 * recorded as held, her points become the summary her mentor is asked to look at, and `minedata`
 * shows them. Stopping before the points records only that the meeting took place.
 */
import { answerAlignment, book, createTestSparring, say, seedPair } from '../helpers/sparring';

async function afterTheMeeting() {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s);
  book(s, pair, '2026-09-29T14:00:00Z');
  await s.scheduler.runOnce();
  answerAlignment(s, pair.menteeId);
  s.clock.set('2026-09-30T06:00:00Z');
  await s.scheduler.runOnce();
  return { s, pair };
}

describe('the summary, stopped half-way', () => {
  it('keeps the points already written and records the meeting as held', async () => {
    const { s, pair } = await afterTheMeeting();
    say(s, pair.menteeId, '1'); // yes, we met
    say(s, pair.menteeId, 'Vi talte om CV og netværk');
    const reply = say(s, pair.menteeId, 'annuller');
    expect(reply).not.toContain('ikke noget at gemme');
    expect(s.core.db.prepare('SELECT status FROM meetings').pluck().get()).toBe('held');
    expect(s.core.db.prepare('SELECT points FROM summaries').pluck().get()).toBe('Vi talte om CV og netværk');
    expect(say(s, pair.menteeId, 'minedata')).toContain('Vi talte om CV og netværk');
    s.close();
  });

  it('records only that the meeting took place when stopped before the points', async () => {
    const { s, pair } = await afterTheMeeting();
    say(s, pair.menteeId, '1');
    say(s, pair.menteeId, 'annuller');
    expect(s.core.db.prepare('SELECT status FROM meetings').pluck().get()).toBe('held');
    expect(s.core.db.prepare('SELECT count(*) FROM summaries').pluck().get()).toBe(0);
    s.close();
  });
});
