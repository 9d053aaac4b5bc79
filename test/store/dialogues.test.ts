/**
 * The dialogue store (src/dialogues.ts) answers from what it wrote without reading it back, and leaves
 * the current dialogue alone when it is brought to the front: both must agree with the stored rows.
 */
import { bringToFront, getDialogue, openDialogue, openDialogues, snoozeDialogue } from '../../src/dialogues';
import { createTestSparring, seedPair } from '../helpers/sparring';

const stored = (s: ReturnType<typeof createTestSparring>, id: number) =>
  s.core.db.prepare('SELECT * FROM dialogues WHERE id = ?').get(id) as { rank: number; snoozed_until: number | null; state: string; step: string };

test('an opened dialogue, new or opened again, is returned as it is stored', () => {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const { menteeId } = seedPair(s);
  const fresh = openDialogue(s.core, { personId: menteeId, flow: 'prep', subject: 'test:1', step: 'say', meetingId: null, state: { a: 1 }, expiresAt: null });
  s.clock.advance(60_000);
  expect(fresh).toEqual(getDialogue(s.core, fresh.id));
  const again = openDialogue(s.core, { personId: menteeId, flow: 'prep', subject: 'test:1', step: 'hear', meetingId: null, state: { a: 2 }, expiresAt: null, place: 'back' });
  expect(again.id).toBe(fresh.id);
  expect(again).toEqual(getDialogue(s.core, fresh.id));
  expect(JSON.parse(stored(s, fresh.id).state)).toEqual({ a: 2 });
  s.close();
});

test('bringing the current dialogue to the front writes nothing; another one, or a snoozed one, is moved in front', () => {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const { menteeId } = seedPair(s);
  const open = (subject: string, place: 'front' | 'back') =>
    openDialogue(s.core, { personId: menteeId, flow: 'prep', subject, step: 'say', meetingId: null, state: {}, expiresAt: null, place });
  const first = open('test:first', 'front');
  s.clock.advance(60_000);
  const second = open('test:second', 'back');
  expect(openDialogues(s.core, menteeId).map((d) => d.id)).toEqual([first.id, second.id]);

  const before = stored(s, first.id);
  bringToFront(s.core, first.id);
  expect(stored(s, first.id)).toEqual(before);

  bringToFront(s.core, second.id);
  expect(openDialogues(s.core, menteeId).map((d) => d.id)).toEqual([second.id, first.id]);

  // Snoozed and current at once (its time has come): brought to the front, it is no longer snoozed.
  snoozeDialogue(s.core, second.id, s.clock.now() + 1000);
  s.clock.advance(2000);
  bringToFront(s.core, second.id);
  expect(stored(s, second.id).snoozed_until).toBeNull();
  expect(openDialogues(s.core, menteeId)[0]!.id).toBe(second.id);
  s.close();
});
