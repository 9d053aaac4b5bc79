/**
 * A message that arrives while another process holds the database's write lock (the CLI importing a
 * file, say) longer than the busy timeout gets the bot's error reply, with nothing stored: not a crash.
 */
import Database from 'better-sqlite3';
import { createTestSparring, seedPair, say } from '../helpers/sparring';

test('a message while another process writes gets the error reply, and the next one is handled', () => {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s);
  s.core.db.pragma('busy_timeout = 20');
  const other = new Database(s.databasePath);
  other.prepare('BEGIN IMMEDIATE').run();
  try {
    const result = s.bot.handle(pair.menteeId, { type: 'text', text: 'hjælp' });
    expect(result.error).toContain('noget gik galt');
    expect(result.replies.map((r) => r.text)).toEqual([result.error]);
  } finally {
    other.prepare('ROLLBACK').run();
    other.close();
  }
  expect(say(s, pair.menteeId, 'hjælp')).not.toContain('noget gik galt');
  s.close();
});
