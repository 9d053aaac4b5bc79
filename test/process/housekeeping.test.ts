/** Housekeeping: old delivered and dropped rows go; a reply's text goes as soon as it is delivered. */
import { REPLY } from '../../src/replies';
import { housekeep } from '../../src/scheduler/housekeeping';
import { findNudge, planNudge } from '../../src/scheduler/nudges';
import { DAY, HOUR } from '../../src/time';
import { addIdentity, createPerson } from '../../src/people';
import { createTestSparring, type TestSparring } from '../helpers/sparring';

/** Two people reachable on the test platform, in no programme (so the default of 30 days applies). */
function seedPeople(s: TestSparring) {
  const person = (name: string) => {
    const id = createPerson(s.core, { name });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    return id;
  };
  return { menteeId: person('Astrid Holm'), mentorId: person('Jonas Berg') };
}

function planReply(s: TestSparring, personId: number, key: string, text: string): void {
  const now = s.clock.now();
  planNudge(s.core.db, { key, kind: REPLY, personId, payload: { message: { text } }, dueAt: now, expiresAt: now + HOUR }, now);
}

describe('housekeeping', () => {
  it('deletes delivered and dropped rows older than 30 days and keeps newer ones and those still to come', async () => {
    const s = createTestSparring({ start: '2026-09-14T09:00:00Z' });
    const pair = seedPeople(s);
    planReply(s, pair.menteeId, 'reply:old', 'Tak, Astrid.');
    await s.scheduler.runOnce();
    s.clock.advance(HOUR);
    planNudge(s.core.db, { key: 'test:dropped-old', kind: REPLY, personId: pair.mentorId, payload: { message: { text: 'x' } }, dueAt: s.clock.now(), expiresAt: s.clock.now() - 1 }, s.clock.now());
    await s.scheduler.runOnce();
    s.clock.advance(25 * DAY);
    planReply(s, pair.menteeId, 'reply:recent', 'Godt, Astrid.');
    await s.scheduler.runOnce();
    planNudge(s.core.db, { key: 'test:later', kind: REPLY, personId: pair.mentorId, payload: { message: { text: 'later' } }, dueAt: s.clock.now() + 60 * DAY }, s.clock.now());
    expect(findNudge(s.core.db, 'reply:old')?.status).toBe('delivered');
    expect(findNudge(s.core.db, 'test:dropped-old')?.status).toBe('dropped');

    s.clock.advance(6 * DAY);
    const result = housekeep(s.core);

    expect(result.deleted).toBe(2);
    expect(findNudge(s.core.db, 'reply:old')).toBeNull();
    expect(findNudge(s.core.db, 'test:dropped-old')).toBeNull();
    expect(findNudge(s.core.db, 'reply:recent')?.status).toBe('delivered');
    expect(findNudge(s.core.db, 'test:later')?.status).toBe('pending');
    expect(housekeep(s.core)).toEqual({ deleted: 0, cleared: 0 });
    s.close();
  });

  it('empties the text of a delivered reply at once and leaves a reply still to be sent untouched', async () => {
    const s = createTestSparring({ start: '2026-09-14T09:00:00Z' });
    const pair = seedPeople(s);
    planReply(s, pair.menteeId, 'reply:sent', 'Det lyder som en god plan, Astrid.');
    await s.scheduler.runOnce();
    planNudge(s.core.db, { key: 'reply:waiting', kind: REPLY, personId: pair.mentorId, payload: { message: { text: 'Hej Jonas' } }, dueAt: s.clock.now() + HOUR }, s.clock.now());

    const result = housekeep(s.core);

    expect(result).toEqual({ deleted: 0, cleared: 1 });
    expect(findNudge(s.core.db, 'reply:sent')?.payload).toBe('{}');
    expect(findNudge(s.core.db, 'reply:sent')?.status).toBe('delivered');
    expect(findNudge(s.core.db, 'reply:waiting')?.payload).toContain('Hej Jonas');
    expect(s.messenger.deliveries.map((d) => d.message.text)).toContain('Det lyder som en god plan, Astrid.');
    s.close();
  });
});
