import { DeliveryError } from '../../src/errors';
import { setPausedUntil } from '../../src/people';
import { claimDue, findNudge, type ClaimedNudge } from '../../src/scheduler/nudges';
import { MINUTE } from '../../src/time';
import { createFakeMessenger } from '../helpers/fake-messenger';
import { noteTask, noteTasks, planNote } from '../helpers/note-task';
import { registry } from '../../src/scheduler/task';
import { openDialogue } from '../../src/dialogues';
import { book, createTestSparring, seedPair, type TestSparring } from '../helpers/sparring';

// Tuesday 29 September 2026, 09:00 in Copenhagen: inside the allowed hours.
const TUESDAY_9 = '2026-09-29T07:00:00Z';

function setUp(options: { blind?: boolean } = {}) {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z', tasks: noteTasks });
  const pair = seedPair(s);
  const key = planNote(s, pair.menteeId, TUESDAY_9, { expiresAt: Date.parse('2026-10-01T12:00:00Z') });
  s.clock.set(TUESDAY_9);
  if (options.blind) s.messenger.blind();
  return { s, pair, key };
}

const delivered = (s: TestSparring, key: string) => s.core.db.prepare('SELECT value FROM kv WHERE key = ?').get(`delivered:${key}`);

describe('the scheduler', () => {
  it('delivers a due nudge once, records the platform id and runs what follows delivery', async () => {
    const { s, pair, key } = setUp();
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 });
    expect(s.messenger.to(pair.mentee)).toHaveLength(1);
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(s.core.db.prepare('SELECT platform_message_id FROM nudges WHERE key = ?').get(key)).toEqual({ platform_message_id: 'm1' });
    expect(delivered(s, key)).toEqual({ value: 'yes' });
    s.close();
  });

  it('does nothing with a nudge before its time', async () => {
    const { s, key } = setUp();
    s.clock.set('2026-09-29T06:59:00Z');
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 });
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'pending', attempts: 0 });
    s.close();
  });

  it('retries a failed delivery later, with backoff, and does not lose it', async () => {
    const { s, pair, key } = setUp();
    s.messenger.failNext(2);
    expect(await s.scheduler.runOnce()).toMatchObject({ retried: 1 });
    const first = findNudge(s.core.db, key)!;
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: 'the platform is down' });
    expect(first.dueAt - s.clock.now()).toBeGreaterThanOrEqual(MINUTE);
    expect(delivered(s, key)).toBeUndefined();

    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 }); // not before its new time
    s.clock.set(first.dueAt);
    expect(await s.scheduler.runOnce()).toMatchObject({ retried: 1 });
    const second = findNudge(s.core.db, key)!;
    expect(second.dueAt - first.dueAt).toBeGreaterThanOrEqual(2 * MINUTE); // exponential

    s.clock.set(second.dueAt);
    expect(await s.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    expect(s.messenger.to(pair.mentee)).toHaveLength(1);
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'delivered', attempts: 3, lastError: null });
    s.close();
  });

  it("waits as long as the platform's Retry-After asks", async () => {
    const { s, key } = setUp();
    s.messenger.failNext(1, new DeliveryError('rate limited', true, 30 * MINUTE));
    await s.scheduler.runOnce();
    expect(findNudge(s.core.db, key)!.dueAt - s.clock.now()).toBe(30 * MINUTE);
    s.close();
  });

  it('keeps a nudge the platform refuses for good as failed, with its error', async () => {
    const { s, key } = setUp();
    s.messenger.failNext(1, new DeliveryError('channel_not_found', false));
    expect(await s.scheduler.runOnce()).toMatchObject({ failed: 1 });
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'failed', lastError: 'channel_not_found' });
    s.close();
  });

  it('gives up after the last attempt and keeps the row', async () => {
    const { s, key } = setUp();
    s.core.db.prepare('UPDATE nudges SET max_attempts = 2 WHERE key = ?').run(key);
    s.messenger.failNext(5);
    await s.scheduler.runOnce();
    s.clock.set(findNudge(s.core.db, key)!.dueAt);
    expect(await s.scheduler.runOnce()).toMatchObject({ failed: 1 });
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'failed', attempts: 2 });
    s.close();
  });

  it('drops an expired nudge instead of sending it late', async () => {
    const { s, key } = setUp();
    s.clock.set('2026-10-01T12:00:00Z'); // the bot was down until the nudge had expired
    expect(await s.scheduler.runOnce()).toMatchObject({ dropped: 1, delivered: 0 });
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'dropped' });
    expect(s.messenger.deliveries).toHaveLength(0);
    s.close();
  });

  it('drops a nudge whose reason is gone, checked just before sending', async () => {
    const { s, pair } = setUp();
    const key = planNote(s, pair.menteeId, TUESDAY_9, { payload: { text: 'x', drop: true } });
    await s.scheduler.runOnce();
    expect(findNudge(s.core.db, key)).toMatchObject({ status: 'dropped' });
    s.close();
  });

  it('holds a nudge through quiet hours and delivers it at 08:00', async () => {
    const { s, pair } = setUp();
    await s.scheduler.runOnce(); // the morning's note
    const key = planNote(s, pair.menteeId, '2026-09-29T19:30:00Z');
    s.clock.set('2026-09-29T19:30:00Z'); // 21:30 in Copenhagen
    expect(await s.scheduler.runOnce()).toMatchObject({ postponed: 1 });
    expect(new Date(findNudge(s.core.db, key)!.dueAt).toISOString()).toBe('2026-09-30T06:00:00.000Z'); // 08:00 CEST
    s.clock.set('2026-09-30T06:00:00Z');
    expect(await s.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    s.close();
  });

  it('holds a nudge over the weekend until Monday morning', async () => {
    const { s, pair } = setUp();
    const key = planNote(s, pair.menteeId, '2026-10-03T09:00:00Z');
    s.clock.set('2026-10-03T09:00:00Z'); // Saturday
    await s.scheduler.runOnce();
    expect(new Date(findNudge(s.core.db, key)!.dueAt).toISOString()).toBe('2026-10-05T06:00:00.000Z');
    s.close();
  });

  it('follows the recipient’s own zone for quiet hours', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z', tasks: noteTasks });
    const pair = seedPair(s, { menteeZone: 'America/New_York' });
    const key = planNote(s, pair.menteeId, '2026-09-29T08:00:00Z'); // 10:00 in Copenhagen, 04:00 in New York
    s.clock.set('2026-09-29T08:00:00Z');
    await s.scheduler.runOnce();
    expect(new Date(findNudge(s.core.db, key)!.dueAt).toISOString()).toBe('2026-09-29T12:00:00.000Z'); // 08:00 EDT
    s.close();
  });

  it('drops a nudge that quiet hours would make too late', async () => {
    const { s, pair } = setUp();
    planNote(s, pair.menteeId, '2026-09-29T19:30:00Z', { expiresAt: Date.parse('2026-09-30T05:00:00Z') });
    s.clock.set('2026-09-29T19:30:00Z');
    expect(await s.scheduler.runOnce()).toMatchObject({ dropped: 1 });
    s.close();
  });

  it('holds nudges while a person has paused them', async () => {
    const { s, pair, key } = setUp();
    setPausedUntil(s.core, pair.menteeId, Date.parse('2026-09-30T10:00:00Z'));
    expect(await s.scheduler.runOnce()).toMatchObject({ postponed: 1 });
    expect(findNudge(s.core.db, key)!.dueAt).toBe(Date.parse('2026-09-30T10:00:00Z'));
    s.close();
  });

  it('retries a person it cannot reach yet', async () => {
    const { s, pair, key } = setUp();
    s.core.db.prepare('UPDATE identities SET address = NULL WHERE person_id = ?').run(pair.menteeId);
    expect(await s.scheduler.runOnce()).toMatchObject({ retried: 1 });
    expect(findNudge(s.core.db, key)!.lastError).toMatch(/cannot be reached/);
    s.close();
  });
});

const LEASE = 2 * MINUTE;

/** Another process (owner "old") claims what is due now, under its lease, and then stops. */
function oldProcessClaims(s: TestSparring): ClaimedNudge[] {
  return claimDue(s.core.db, s.clock.now(), { limit: 10, owner: 'old', leaseMs: LEASE }).flat();
}

describe('a restart between claim and record', () => {
  it('delivers a nudge that was claimed but never sent', async () => {
    const { s, pair, key } = setUp();
    expect(oldProcessClaims(s)).toHaveLength(1); // the old process claimed…
    const again = s.restart(); // …and stopped before sending
    expect(await again.scheduler.runOnce()).toMatchObject({ claimed: 0 }); // its lease still holds: no one takes it at start
    again.clock.advance(LEASE + MINUTE);
    expect(await again.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    expect(again.messenger.to(pair.mentee)).toHaveLength(1);
    expect(findNudge(again.core.db, key)).toMatchObject({ status: 'delivered' });
    again.close();
  });

  it('does not deliver again a nudge that was sent but not recorded, and still runs what follows', async () => {
    const { s, pair, key } = setUp();
    const [claimed] = oldProcessClaims(s);
    await s.messenger.deliver(pair.mentee, { text: 'hello' }, { key: claimed!.key }); // the platform accepted it; then the process died
    const again = s.restart();
    again.clock.advance(LEASE + MINUTE);
    expect(await again.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    expect(again.messenger.to(pair.mentee)).toHaveLength(1);
    expect(findNudge(again.core.db, key)).toMatchObject({ status: 'delivered' });
    expect(delivered(again, key)).toEqual({ value: 'yes' });
    again.close();
  });

  it('sends again when the platform cannot tell whether the message arrived (at least once)', async () => {
    const { s, pair } = setUp();
    oldProcessClaims(s);
    const blind = createFakeMessenger().blind();
    const again = s.restart({ messenger: blind });
    again.clock.advance(LEASE + MINUTE);
    expect(await again.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    expect(blind.to(pair.mentee)).toHaveLength(1);
    again.close();
  });

  it('leaves a fresh claim of a running process alone', async () => {
    const { s, pair } = setUp();
    await s.scheduler.runOnce(); // this process has recovered already
    planNote(s, pair.mentorId, TUESDAY_9);
    oldProcessClaims(s); // claimed a moment ago, still in flight
    expect(await s.scheduler.runOnce()).toMatchObject({ claimed: 0 });
    s.clock.advance(LEASE + MINUTE); // the other process's lease ran out: the claim is taken over
    expect(await s.scheduler.runOnce()).toMatchObject({ delivered: 1 });
    s.close();
  });

  it('opens the prep dialogue of a prompt that was sent but not recorded', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-01T14:00:00Z');
    s.clock.advance(5 * MINUTE);
    await s.scheduler.runOnce(); // invitations and alignment
    s.clock.set(TUESDAY_9);
    const [claimed] = oldProcessClaims(s);
    expect(claimed!.kind).toBe('prep.prompt');
    await s.messenger.deliver(pair.mentee, { text: 'the prompt' }, { key: claimed!.key });
    const again = s.restart();
    again.clock.advance(LEASE + MINUTE);
    await again.scheduler.runOnce();
    expect(again.messenger.ofKind('prep.prompt')).toHaveLength(1);
    expect(again.core.db.prepare("SELECT flow, step, meeting_id FROM dialogues WHERE person_id = ? AND flow = 'prep' AND status = 'open'").get(pair.menteeId)).toEqual({ flow: 'prep', step: 'say', meeting_id: meeting.id });
    again.close();
  });
});

describe('the tick reads only what is due', () => {
  it.each([
    ["SELECT * FROM nudges WHERE status = 'pending' AND due_at <= 0 ORDER BY due_at LIMIT 10", 'nudges_due'],
    ["SELECT * FROM nudges WHERE status = 'sending' AND lease_until <= 0 ORDER BY lease_until LIMIT 10", 'nudges_in_flight'],
  ])('%s uses %s', (sql, index) => {
    const s = createTestSparring();
    const plan = (s.core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(new RegExp(`SEARCH nudges USING (COVERING )?INDEX ${index}`));
    expect(plan).not.toMatch(/SCAN nudges(?! USING)/);
    s.close();
  });
});


describe('a person whose messages cannot be composed', () => {
  it('holds up only themselves; the others of the batch go, and theirs goes once the lease has run out', async () => {
    // A question-opening kind: composing it looks at the person's open dialogues (and closes the expired).
    const questionTask = { ...noteTask, kind: 'test.question', opensDialogue: true };
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z', tasks: registry([noteTask, questionTask]) });
    const pair = seedPair(s);
    s.clock.set(TUESDAY_9);
    openDialogue(s.core, { personId: pair.menteeId, flow: 'prep', subject: 'test:expiring', step: 'say', meetingId: null, state: {}, expiresAt: s.clock.now() + 1000 });
    // Closing the mentee's expired question fails: a database error for her rows only.
    s.core.db.exec(`CREATE TRIGGER test_trouble BEFORE UPDATE ON dialogues WHEN OLD.person_id = ${pair.menteeId} BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    s.clock.advance(5000);
    const hers = planNote(s, pair.menteeId, new Date(s.clock.now()).toISOString(), { kind: 'test.question' });
    const his = planNote(s, pair.mentorId, new Date(s.clock.now()).toISOString(), { kind: 'test.question' });

    await s.scheduler.runOnce();
    expect(s.messenger.to(pair.mentor)).toHaveLength(1);
    expect(findNudge(s.core.db, his)).toMatchObject({ status: 'delivered' });
    expect(s.messenger.to(pair.mentee)).toHaveLength(0);
    expect(findNudge(s.core.db, hers)).toMatchObject({ status: 'sending' });

    s.core.db.exec('DROP TRIGGER test_trouble');
    s.clock.advance(3 * MINUTE);
    await s.scheduler.runOnce();
    expect(s.messenger.to(pair.mentee)).toHaveLength(1);
    expect(findNudge(s.core.db, hers)).toMatchObject({ status: 'delivered' });
    s.close();
  });
});
