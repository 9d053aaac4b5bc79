/**
 * Delivery you can bet on, through the real scheduler and SQLite with the fake clock: leases, hooks
 * and recordings that fail after the platform accepted, bad rows, a 429 storm, an outage, bundling.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { DeliveryError, UnknownDeliveryError } from '../../src/errors';
import type { Address, Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';
import { addIdentity, createPerson } from '../../src/people';
import { findNudge, planNudge } from '../../src/scheduler/nudges';
import { registry, type NudgeTask } from '../../src/scheduler/task';
import { MINUTE, SECOND } from '../../src/time';
import { createFakeClock } from '../helpers/fake-clock';
import { createFakeMessenger, type FakeMessenger } from '../helpers/fake-messenger';
import { noteTask, noteTasks, planNote } from '../helpers/note-task';
import { createTestSparring, runUntil, seedPair, tempDatabasePath, type TestSparring } from '../helpers/sparring';

// Tuesday 29 September 2026, 09:00 in Copenhagen.
const TUESDAY_9 = '2026-09-29T07:00:00Z';

/** People on the test platform, with nothing else planned for them. */
function people(s: TestSparring, count: number): number[] {
  const programme = seedPair(s).programmeId;
  s.core.db.prepare("UPDATE nudges SET status = 'cancelled' WHERE status = 'pending'").run();
  return Array.from({ length: count }, (_, i) => {
    const id = createPerson(s.core, { name: `Person ${i}` });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    s.core.db.prepare("INSERT INTO participants (programme_id, person_id, role, joined_at) VALUES (?, ?, 'mentee', 0)").run(programme, id);
    return id;
  });
}

/** A messenger whose platform answers as `respond` says (null: accept), recording every request. */
function scriptedMessenger(respond: (address: Address, key: string) => Error | null): Messenger & { requests: string[]; accepted: { address: Address; key: string; message: Message }[] } {
  const requests: string[] = [];
  const accepted: { address: Address; key: string; message: Message }[] = [];
  return {
    platforms: ['test'],
    requests,
    accepted,
    async deliver(address, message, { key }): Promise<Delivered> {
      requests.push(key);
      const error = respond(address, key);
      if (error) throw error;
      accepted.push({ address, key, message });
      return { messageId: `m${accepted.length}` };
    },
    async findDelivered(_address, key) {
      const hit = accepted.findIndex((a) => a.key === key);
      return hit < 0 ? null : { messageId: `m${hit + 1}` };
    },
  };
}

describe('leases', () => {
  it('two schedulers on one file (the process lock bypassed) never send a nudge twice', async () => {
    const databasePath = tempDatabasePath();
    const clock = createFakeClock(TUESDAY_9);
    const slow = () => {
      const m = createFakeMessenger();
      const deliver = m.deliver.bind(m);
      m.deliver = async (address, message, options) => {
        await new Promise((r) => setTimeout(r, 5));
        return deliver(address, message, options);
      };
      return m;
    };
    const a = createTestSparring({ databasePath, clock, tasks: noteTasks, messenger: slow(), scheduler: { owner: 'a', concurrency: 4, batchSize: 4 } });
    const ids = people(a, 40);
    for (const id of ids) planNote(a, id, TUESDAY_9);
    const b = createTestSparring({ databasePath, clock, tasks: noteTasks, messenger: slow(), scheduler: { owner: 'b', concurrency: 4, batchSize: 4 } });
    await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce(), a.scheduler.runOnce(), b.scheduler.runOnce()]);
    const sent = [...a.messenger.deliveries, ...b.messenger.deliveries].map((d) => d.key);
    expect(sent).toHaveLength(40);
    expect(new Set(sent).size).toBe(40);
    expect(a.messenger.deliveries.length).toBeGreaterThan(0);
    expect(b.messenger.deliveries.length).toBeGreaterThan(0);
    a.close();
    b.close();
  });
});

describe('accepted means delivered', () => {
  it('does not send again when what follows delivery throws', async () => {
    const throwing: NudgeTask<{ text: string }> = {
      ...noteTask,
      kind: 'test.note',
      payload: z.object({ text: z.string() }),
      delivered: ({ core, person }) => {
        // Half-way through: the hook's own writes are undone with it, the recording stands.
        core.db.prepare("UPDATE people SET name = 'written by the broken hook' WHERE id = ?").run(person.id);
        throw new Error('the hook broke');
      },
    };
    const s = createTestSparring({ start: TUESDAY_9, tasks: registry([throwing]) });
    const [id] = people(s, 1);
    const key = planNote(s, id!, TUESDAY_9);
    expect(await s.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 });
    expect(s.messenger.deliveries).toHaveLength(1);
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'delivered' });
    expect(s.scheduler.counters.hookFailures).toBe(1);
    expect(s.core.db.prepare('SELECT name FROM people WHERE id = ?').pluck().get(id)).not.toBe('written by the broken hook');
    s.close();
  });

  it('keeps a delivery it cannot record in memory, never sends it again, and records it when the database is back', async () => {
    const s = createTestSparring({ start: TUESDAY_9, tasks: noteTasks });
    const [id] = people(s, 1);
    const key = planNote(s, id!, TUESDAY_9);
    s.core.db.pragma('busy_timeout = 20');
    const other = new Database(s.databasePath);
    const deliver = s.messenger.deliver.bind(s.messenger);
    s.messenger.deliver = async (address, message, options) => {
      const done = await deliver(address, message, options);
      other.exec('BEGIN IMMEDIATE'); // another connection takes the write lock right after the platform accepted
      return done;
    };
    await s.scheduler.runOnce();
    expect(s.messenger.deliveries).toHaveLength(1);
    expect(s.scheduler.health().ok).toBe(false);
    expect(s.scheduler.health().problems.join(' ')).toMatch(/not yet recorded/);
    s.clock.advance(MINUTE);
    await s.scheduler.runOnce(); // still locked: nothing is sent again
    expect(s.messenger.deliveries).toHaveLength(1);
    other.exec('COMMIT');
    other.close();
    s.clock.advance(MINUTE);
    await s.scheduler.runOnce();
    expect(findNudge(s.core.db, key)!.status).toBe('delivered');
    expect(s.scheduler.health().ok).toBe(true);
    expect(s.messenger.deliveries).toHaveLength(1);
    s.close();
  });
});

describe('bad rows', () => {
  it('fails a row whose payload is not JSON, or whose kind nobody handles, with the reason, once', async () => {
    const s = createTestSparring({ start: TUESDAY_9, tasks: noteTasks });
    const [a, b] = people(s, 2);
    s.core.db
      .prepare("INSERT INTO nudges (key, kind, person_id, payload, due_at, seq_at, created_at) VALUES ('bad:1', 'test.note', ?, 'not json', ?, ?, 0)")
      .run(a, s.clock.now(), s.clock.now());
    planNudge(s.core.db, { key: 'bad:2', kind: 'no.such.kind', personId: b!, dueAt: s.clock.now() }, s.clock.now());
    expect(await s.scheduler.runOnce()).toMatchObject({ failed: 2 });
    expect(findNudge(s.core.db, 'bad:1')).toMatchObject({ status: 'failed', lastError: 'payload is not JSON' });
    expect(findNudge(s.core.db, 'bad:2')).toMatchObject({ status: 'failed', lastError: 'no task handles the kind no.such.kind' });
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 });
    s.close();
  });
});

describe('back-pressure', () => {
  it('rides out a ten-minute 429 storm: nothing fails, and requests stay near one batch per Retry-After window', async () => {
    const start = Date.parse(TUESDAY_9);
    const storm = 10 * MINUTE;
    const clock = createFakeClock(TUESDAY_9);
    const messenger = scriptedMessenger(() =>
      clock.now() < start + storm ? new DeliveryError('Slack rate limit (429)', true, 30 * SECOND, { failure: 'rateLimited', scope: 'platform', scopeKey: 'test' }) : null,
    );
    const s = createTestSparring({ clock, tasks: noteTasks, messenger: messenger as unknown as FakeMessenger, scheduler: { concurrency: 8 } });
    const ids = people(s, 100);
    for (const id of ids) planNote(s, id, TUESDAY_9);
    await runUntil(s, '2026-09-29T07:20:00Z');
    const rows = s.core.db.prepare("SELECT status, count(*) AS n FROM nudges WHERE kind = 'test.note' GROUP BY status").all();
    expect(rows).toEqual([{ status: 'delivered', n: 100 }]);
    const windows = storm / (30 * SECOND);
    const duringStorm = messenger.requests.length - messenger.accepted.length;
    // The first batch goes out before the first 429 comes back; after that one probe per Retry-After window.
    expect(duringStorm).toBeLessThanOrEqual(8 + windows + 1);
    expect(new Set(messenger.accepted.map((a) => a.key)).size).toBe(100);
    s.close();
  });

  it('keeps each person’s messages in order through a three-minute outage', async () => {
    const start = Date.parse(TUESDAY_9);
    const clock = createFakeClock(TUESDAY_9);
    const messenger = scriptedMessenger(() =>
      clock.now() < start + 3 * MINUTE ? new DeliveryError('Slack answered HTTP 503', true, undefined, { failure: 'outage', scope: 'platform' }) : null,
    );
    const s = createTestSparring({ clock, tasks: noteTasks, messenger: messenger as unknown as FakeMessenger, scheduler: { bundleMs: 0, backoffBaseMs: 20 * SECOND } });
    const ids = people(s, 60);
    for (const id of ids) {
      planNote(s, id, TUESDAY_9, { key: `welcome:${id}`, payload: { text: 'welcome' } });
      planNote(s, id, '2026-09-29T07:00:30Z', { key: `intro:${id}`, payload: { text: 'introduction' } });
    }
    await runUntil(s, '2026-09-29T08:00:00Z');
    expect(messenger.accepted).toHaveLength(120);
    for (const id of ids) {
      const mine = messenger.accepted.filter((a) => a.address === `test:${id}`).map((a) => a.key.split(':')[0]);
      expect(mine).toEqual(['welcome', 'intro']);
    }
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE status = 'failed'").get()).toEqual({ n: 0 });
    s.close();
  });
});

describe('bundling', () => {
  it('sends three nudges that fell due overnight as one message in the morning, in order', async () => {
    const s = createTestSparring({ start: '2026-09-29T00:00:00Z', tasks: noteTasks });
    const [id] = people(s, 1);
    for (const [i, at] of ['2026-09-29T00:30:00Z', '2026-09-29T02:00:00Z', '2026-09-29T04:00:00Z'].entries()) {
      planNote(s, id!, at, { key: `note:${i}`, payload: { text: `note ${i + 1}` } });
    }
    await runUntil(s, '2026-09-29T08:00:00Z');
    const messages = new Set(s.messenger.deliveries.map((d) => d.messageId));
    expect(messages.size).toBe(1);
    const [delivery] = s.messenger.deliveries;
    expect(delivery!.message.text.indexOf('note 1')).toBeLessThan(delivery!.message.text.indexOf('note 2'));
    expect(delivery!.message.text.indexOf('note 2')).toBeLessThan(delivery!.message.text.indexOf('note 3'));
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE status = 'delivered'").get()).toEqual({ n: 3 });
    s.close();
  });

  it('after a crash, finds a bundle by the key it went out under and sends none of it again', async () => {
    const s = createTestSparring({ start: TUESDAY_9, tasks: noteTasks });
    const [id] = people(s, 1);
    planNote(s, id!, TUESDAY_9, { key: 'note:a' });
    planNote(s, id!, TUESDAY_9, { key: 'note:b' });
    // Another process claimed both, wrote the bundle's key, the platform accepted it, and the process died.
    const bundleKey = 'bundle:note:a + note:b';
    s.core.db
      .prepare("UPDATE nudges SET status = 'sending', locked_by = 'old', attempts = 1, lease_until = ?, bundle_key = ? WHERE key LIKE 'note:%'")
      .run(s.clock.now() + 2 * MINUTE, bundleKey);
    await s.messenger.deliver(`test:${id}`, { text: 'hello\n\nhello' }, { key: bundleKey });
    const again = s.restart();
    expect(await again.scheduler.runOnce()).toMatchObject({ claimed: 0 }); // the lease still holds
    again.clock.advance(3 * MINUTE);
    expect(await again.scheduler.runOnce()).toMatchObject({ delivered: 2 });
    expect(again.messenger.deliveries.map((d) => d.key).sort()).toEqual(['note:a', 'note:b']);
    expect(again.core.db.prepare("SELECT DISTINCT platform_message_id AS id FROM nudges WHERE key LIKE 'note:%'").all()).toEqual([{ id: 'm1' }]);
    again.close();
  });
});

describe('in doubt after a crash', () => {
  it('asks again about a message left in doubt as soon as the platform can say, not a moment before', async () => {
    const s = createTestSparring({ start: TUESDAY_9, tasks: noteTasks });
    const [id] = people(s, 1);
    const key = planNote(s, id!, TUESDAY_9, { key: 'note:a' });
    // Another process claimed it and died; its lease has run out.
    s.core.db.prepare("UPDATE nudges SET status = 'sending', locked_by = 'old', attempts = 1, lease_until = ? WHERE key = ?").run(s.clock.now() - 1, key);
    const asked: number[] = [];
    s.messenger.findDelivered = async () => {
      asked.push(s.clock.now());
      // Slack's history: one look-up a minute for the whole workspace, and this minute's is spent.
      if (asked.length === 1) throw new UnknownDeliveryError("Slack's history budget is spent for 64 s", 64_000);
      return null;
    };
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 1, postponed: 1 });
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'pending', dueAt: s.clock.now() + 64_000 });
    s.clock.advance(60_000);
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 }); // a minute is not enough here
    s.clock.advance(4_000);
    expect(await s.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    expect(asked).toHaveLength(2);
    expect(s.messenger.deliveries.map((d) => d.key)).toEqual([key]);
    s.close();
  });
});
