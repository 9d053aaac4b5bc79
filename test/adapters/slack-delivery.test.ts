/**
 * Slack delivery within Slack's documented limits, through the real SlackMessenger and the real
 * @slack/web-api client against a fake Slack on loopback that keeps those limits itself. The core
 * runs on a real SQLite file with the fake clock; the rate limits run on a timer shared by the
 * adapter and the fake (accelerated where many calls are made, moved by hand where one is).
 */
import { SlackClient } from '../../adapters/slack/client';
import { SlackPeople } from '../../adapters/slack/identity';
import { acceleratedTimer, SlackLimits, type Timer } from '../../adapters/slack/limits';
import { SlackMessenger } from '../../adapters/slack/messenger';
import type { Core } from '../../src/core';
import { DeliveryError, UnknownDeliveryError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { addIdentity, createPerson, getPerson } from '../../src/people';
import { openCore } from '../../src/sparring';
import { createFakeClock } from '../helpers/fake-clock';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { tempDatabasePath } from '../helpers/sparring';

const HINTS = { reply: 'Svar her', openForm: 'Svar i en formular', pickDate: 'Vælg dato' };

/** A timer that moves only when told (sleeping moves it too: for calls made one at a time). */
function manualTimer(): Timer & { advance(ms: number): void } {
  let now = Date.parse('2026-10-05T08:00:00Z');
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A timer whose sleepers wake only when it is moved past their time: a call can be caught waiting for its turn. */
function heldTimer(): Timer & { advance(ms: number): void; sleepers(): number } {
  let now = Date.parse('2026-10-05T08:00:00Z');
  let sleeping: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => sleeping.push({ until: now + Math.max(0, ms), wake })),
    advance: (ms) => {
      now += ms;
      const due = sleeping.filter((s) => s.until <= now);
      sleeping = sleeping.filter((s) => s.until > now);
      for (const s of due) s.wake();
    },
    sleepers: () => sleeping.length,
  };
}

function openTestCore(databasePath = tempDatabasePath()): Core {
  return openCore({ databasePath, clock: createFakeClock('2026-10-05T08:00:00Z'), log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
}

function messengerFor(core: Core, slack: FakeSlack, timer: Timer, paceMs = 1000): SlackMessenger {
  const client = new SlackClient('xoxb-test', { apiUrl: slack.apiUrl, limits: new SlackLimits(timer, paceMs) });
  return new SlackMessenger(client, core.db, () => core.clock.now(), () => HINTS);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** Keys of the messages the bot posted in a channel, oldest first. */
function keysIn(slack: FakeSlack, channel: string): string[] {
  return slack
    .history(channel)
    .map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key)
    .filter((k): k is string => !!k)
    .reverse();
}

describe('Slack delivery: a launch within the limits', () => {
  it('sends 400 people a welcome and an introduction with almost no 429, none lost or doubled, and reuses the DM channels after a restart', async () => {
    const timer = acceleratedTimer(60);
    const slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    const databasePath = tempDatabasePath();
    const core = openTestCore(databasePath);
    try {
      const messenger = messengerFor(core, slack, timer);
      const users = Array.from({ length: 400 }, (_, i) => `U${String(i + 1).padStart(4, '0')}`);
      let rateLimited = 0;
      const failed: string[] = [];

      // What the scheduler does: one delivery in flight per person, in order, a 429 waits its Retry-After.
      const send = async (user: string, key: string) => {
        for (;;) {
          try {
            return await messenger.deliver(`slack:${user}`, { text: `${key} til ${user}` }, { key });
          } catch (error) {
            if (error instanceof DeliveryError && error.failure === 'rateLimited') {
              rateLimited += 1;
              await timer.sleep(error.retryAfterMs ?? 1000);
              continue;
            }
            failed.push(`${key}: ${(error as Error).message}`);
            return null;
          }
        }
      };
      const queue = [...users];
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let user = queue.shift(); user; user = queue.shift()) {
            await send(user, `welcome:${user}`);
            await send(user, `introduction:${user}`);
          }
        }),
      );

      expect(failed).toEqual([]);
      for (const user of users) expect(keysIn(slack, `D${user}`)).toEqual([`welcome:${user}`, `introduction:${user}`]);
      const opened = () => slack.of('conversations.open').filter((c) => c.ok);
      expect(opened()).toHaveLength(400);
      const tooMany = slack.rateLimited().length;
      expect(tooMany).toBeLessThanOrEqual(Math.ceil(slack.calls.length / 100));
      expect(rateLimited).toBe(tooMany);

      // A restart: a new messenger on the same database opens no conversation again.
      const again = messengerFor(core, slack, timer);
      for (const user of users.slice(0, 50)) await again.deliver(`slack:${user}`, { text: 'Husk mødet' }, { key: `reminder:${user}` });
      expect(opened()).toHaveLength(400);
      expect(keysIn(slack, 'DU0001')).toEqual(['welcome:U0001', 'introduction:U0001', 'reminder:U0001']);
    } finally {
      core.db.close();
      await slack.close();
    }
  }, 60_000);
});

describe('Slack delivery: was it delivered?', () => {
  let slack: FakeSlack;
  let core: Core;
  let timer: ReturnType<typeof manualTimer>;
  let messenger: SlackMessenger;
  beforeEach(async () => {
    timer = manualTimer();
    slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    core = openTestCore();
    messenger = messengerFor(core, slack, timer);
  });
  afterEach(async () => {
    core.db.close();
    await slack.close();
  });

  /** A post that Slack accepted, but whose ts the process did not live to record. */
  async function crashAfterPosting(user: string, key: string): Promise<void> {
    await messenger.deliver(`slack:${user}`, { text: key }, { key });
    core.db.prepare('UPDATE slack_sends SET ts = NULL WHERE key = ?').run(key);
  }

  it('answers from the journal without asking Slack, when it knows', async () => {
    const delivered = await messenger.deliver('slack:UASTRID', { text: 'Velkommen, Astrid' }, { key: 'welcome:1' });
    expect(await messenger.findDelivered('slack:UASTRID', 'welcome:1')).toEqual(delivered);
    expect(await messenger.findDelivered('slack:UASTRID', 'never-posted:1')).toBeNull();
    expect(slack.of('conversations.history')).toHaveLength(0);
  });

  it('reads at most 15 messages, once a minute for all look-ups, and says so when it cannot tell yet', async () => {
    await messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' });
    await crashAfterPosting('UASTRID', 'introduction:1');
    slack.hangUpNext('chat.postMessage');
    await expect(messenger.deliver('slack:UJONAS', { text: 'Velkommen' }, { key: 'welcome:2' })).rejects.toMatchObject({ failure: 'outage' });

    expect(await messenger.findDelivered('slack:UASTRID', 'introduction:1')).toEqual({ messageId: expect.stringMatching(/^DUASTRID:/) });
    // The minute's budget is spent: the next look-up cannot tell now, and asks Slack nothing.
    const spent = await rejection(messenger.findDelivered('slack:UJONAS', 'welcome:2'));
    expect(spent).toBeInstanceOf(UnknownDeliveryError);
    expect((spent as UnknownDeliveryError).retryAfterMs).toBeGreaterThan(55_000);
    expect(slack.of('conversations.history')).toHaveLength(1);

    timer.advance(65_000);
    expect(await messenger.findDelivered('slack:UJONAS', 'welcome:2')).toBeNull();
    const reads = slack.of('conversations.history');
    expect(reads).toHaveLength(2);
    expect(reads.every((c) => Number(c.args.limit) <= 15)).toBe(true);
    expect(slack.rateLimited()).toHaveLength(0);
    // Once read, the journal knows: no more history for that key.
    expect(await messenger.findDelivered('slack:UASTRID', 'introduction:1')).toEqual({ messageId: expect.stringMatching(/^DUASTRID:/) });
    expect(slack.of('conversations.history')).toHaveLength(2);
  });

  it('reads only what came after the last post it knows, a page a minute when the person wrote a lot', async () => {
    await messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' });
    await crashAfterPosting('UASTRID', 'prep:1');
    for (let i = 0; i < 20; i += 1) slack.userWrites('DUASTRID', 'UASTRID', `besked ${i}`);

    const first = await rejection(messenger.findDelivered('slack:UASTRID', 'prep:1'));
    expect(first).toBeInstanceOf(UnknownDeliveryError);
    expect((first as UnknownDeliveryError).retryAfterMs).toBeGreaterThan(0);
    timer.advance(65_000);
    expect(await messenger.findDelivered('slack:UASTRID', 'prep:1')).toEqual({ messageId: expect.stringMatching(/^DUASTRID:/) });
    const reads = slack.of('conversations.history');
    expect(reads.map((c) => [c.args.limit, c.args.oldest !== undefined, c.args.cursor ?? null])).toEqual([
      ['15', true, null],
      ['15', true, 'next:15'],
    ]);
  });

  it('cannot tell while the history is rate-limited or Slack is down, and never answers null then', async () => {
    await crashAfterPosting('UASTRID', 'welcome:1');
    slack.limitHistory(10 * 60_000, 30);
    const limited = await rejection(messenger.findDelivered('slack:UASTRID', 'welcome:1'));
    expect(limited).toBeInstanceOf(UnknownDeliveryError);
    expect((limited as UnknownDeliveryError).retryAfterMs).toBe(30_000);

    timer.advance(11 * 60_000);
    slack.outage(60_000);
    const down = await rejection(messenger.findDelivered('slack:UASTRID', 'welcome:1'));
    expect(down).toBeInstanceOf(UnknownDeliveryError);
    expect((down as UnknownDeliveryError).retryAfterMs).toBeGreaterThanOrEqual(60_000);

    timer.advance(2 * 60_000);
    expect(await messenger.findDelivered('slack:UASTRID', 'welcome:1')).toEqual({ messageId: expect.stringMatching(/^DUASTRID:/) });
  });
});

describe('Slack delivery: never twice', () => {
  let slack: FakeSlack;
  let core: Core;
  let timer: ReturnType<typeof manualTimer>;
  let messenger: SlackMessenger;
  beforeEach(async () => {
    timer = manualTimer();
    slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    core = openTestCore();
    messenger = messengerFor(core, slack, timer);
  });
  afterEach(async () => {
    core.db.close();
    await slack.close();
  });

  it('does not post again a message whose answer was lost after Slack took it', async () => {
    slack.hangUpNext('chat.postMessage', { afterDoing: true });
    await expect(messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' })).rejects.toMatchObject({ failure: 'outage' });
    const again = await messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' });
    expect(again).toEqual({ messageId: expect.stringMatching(/^DUASTRID:/) });
    expect(keysIn(slack, 'DUASTRID')).toEqual(['welcome:1']);
  });

  it('posts at once one the history showed had not arrived, without asking the history again', async () => {
    slack.hangUpNext('chat.postMessage'); // the post never reached Slack, and nobody knows
    await expect(messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' })).rejects.toMatchObject({ failure: 'outage' });
    // After a crash, the scheduler asks first; that spends the minute's history budget.
    expect(await messenger.findDelivered('slack:UASTRID', 'welcome:1')).toBeNull();
    expect(slack.of('conversations.history')).toHaveLength(1);
    await messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' });
    expect(slack.of('conversations.history')).toHaveLength(1);
    expect(keysIn(slack, 'DUASTRID')).toEqual(['welcome:1']);
  });

  it('sends only the file again when the text arrived and the invitation did not', async () => {
    const message = { text: 'Jeres møde er booket', attachments: [{ filename: 'moede.ics', mediaType: 'text/calendar', content: 'BEGIN:VCALENDAR\nEND:VCALENDAR' }] };
    slack.failNext('files.getUploadURLExternal', { status: 503, body: { ok: false } });
    await expect(messenger.deliver('slack:UASTRID', message, { key: 'invite:1' })).rejects.toMatchObject({ failure: 'outage' });
    await messenger.deliver('slack:UASTRID', message, { key: 'invite:1' });
    expect(keysIn(slack, 'DUASTRID')).toEqual(['invite:1']);
    expect(slack.of('files.completeUploadExternal').filter((c) => c.ok)).toHaveLength(1);
  });

  it('posts again one that surely did not arrive, and waits while it cannot tell', async () => {
    slack.hangUpNext('chat.postMessage');
    await expect(messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' })).rejects.toMatchObject({ failure: 'outage' });
    slack.limitHistory(60_000, 40);
    await expect(messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' })).rejects.toMatchObject({ failure: 'rateLimited', scope: 'message', retryAfterMs: 40_000 });
    expect(keysIn(slack, 'DUASTRID')).toEqual([]);
    timer.advance(65_000); // the refused read spent the minute's budget too
    await messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' });
    expect(keysIn(slack, 'DUASTRID')).toEqual(['welcome:1']);

    // Slack answered no: nothing to look up before the next attempt.
    slack.failNext('chat.postMessage', { status: 503, body: { ok: false } });
    await expect(messenger.deliver('slack:UASTRID', { text: 'Husk mødet' }, { key: 'reminder:1' })).rejects.toMatchObject({ failure: 'outage' });
    const reads = slack.of('conversations.history').length;
    await messenger.deliver('slack:UASTRID', { text: 'Husk mødet' }, { key: 'reminder:1' });
    expect(slack.of('conversations.history')).toHaveLength(reads);
    expect(keysIn(slack, 'DUASTRID')).toEqual(['welcome:1', 'reminder:1']);
  });
});

describe('Slack delivery: a crash while a post waits for its turn', () => {
  it('journals a post only when its turn has come, so a crash during the wait leaves nothing in doubt', async () => {
    const timer = heldTimer();
    const slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    const core = openTestCore();
    try {
      const messenger = messengerFor(core, slack, timer);
      const journalled = (key: string) => core.db.prepare('SELECT ts FROM slack_sends WHERE key = ?').get(key) as { ts: string | null } | undefined;
      // The channel's burst goes at once; the next post waits for the channel's pace.
      for (let i = 1; i <= 5 && timer.sleepers() === 0; i += 1) {
        const delivery = messenger.deliver('slack:UASTRID', { text: `Besked ${i}` }, { key: `burst:${i}` });
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (timer.sleepers() === 0) {
          await delivery;
          expect(journalled(`burst:${i}`)?.ts).toEqual(expect.any(String));
        } else {
          // Waiting in the bucket: nothing journalled, nothing posted. A crash now would leave no question.
          expect(journalled(`burst:${i}`)).toBeUndefined();
          expect(await messenger.findDelivered('slack:UASTRID', `burst:${i}`)).toBeNull();
          expect(slack.of('conversations.history')).toHaveLength(0);
          timer.advance(2000);
          await delivery;
          expect(journalled(`burst:${i}`)?.ts).toEqual(expect.any(String));
          expect(keysIn(slack, 'DUASTRID')).toContain(`burst:${i}`);
          return;
        }
      }
      throw new Error('no post had to wait for its turn');
    } finally {
      core.db.close();
      await slack.close();
    }
  });
});

describe('Slack delivery: few posts under way', () => {
  it('has at most two posts under way at once, so a crash leaves at most two in doubt', async () => {
    const timer = manualTimer();
    const slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    const core = openTestCore();
    let held: ReturnType<FakeSlack['hold']> | null = null;
    try {
      const messenger = messengerFor(core, slack, timer);
      const users = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'];
      // Their DMs are open already (conversations.open has its own, smaller budget).
      for (const user of users) core.db.prepare("INSERT INTO slack_channels (user_id, team_id, channel_id, opened_at) VALUES (?, 'T1', ?, 0)").run(user, `D${user}`);
      held = slack.hold('chat.postMessage');
      const deliveries = Promise.all(users.map((user) => messenger.deliver(`slack:${user}`, { text: 'Velkommen' }, { key: `welcome:${user}` })));
      deliveries.catch(() => undefined); // awaited below, unless an expectation fails first
      for (let waited = 0; held.held() < 2 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 200)); // time for more to arrive, were they let through
      expect(held.held()).toBe(2);
      // Only those under way are journalled: a crash now would leave two to look up in the history, not six.
      expect(core.db.prepare('SELECT count(*) FROM slack_sends WHERE ts IS NULL').pluck().get()).toBe(2);
      held.release();
      await deliveries;
      expect(held.peak()).toBe(2);
      expect(slack.of('chat.postMessage').filter((c) => c.ok)).toHaveLength(6);
      expect(core.db.prepare('SELECT count(*) FROM slack_sends WHERE ts IS NOT NULL').pluck().get()).toBe(6);
    } finally {
      held?.release();
      core.db.close();
      await slack.close();
    }
  });
});

describe('Slack delivery: what a failure means to the scheduler', () => {
  let slack: FakeSlack;
  let core: Core;
  let timer: ReturnType<typeof manualTimer>;
  beforeEach(async () => {
    timer = manualTimer();
    slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    core = openTestCore();
  });
  afterEach(async () => {
    core.db.close();
    await slack.close();
  });

  it("makes Slack's per-channel 429 wait for that conversation only, with its Retry-After", async () => {
    // A messenger that does not pace the channel meets Slack's own limit there: a burst of three, then one a second.
    const unpaced = messengerFor(core, slack, timer, 0);
    for (let i = 1; i <= 3; i += 1) await unpaced.deliver('slack:UASTRID', { text: `besked ${i}` }, { key: `k:${i}` });
    const error = await rejection(unpaced.deliver('slack:UASTRID', { text: 'besked 4' }, { key: 'k:4' }));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ failure: 'rateLimited', retryable: true, retryAfterMs: 1000, scope: 'conversation', scopeKey: 'slack:T1:DUASTRID' });
    expect(slack.rateLimited().map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('makes a workspace 429 wait for the whole workspace, and tells outages and refusals apart', async () => {
    const messenger = messengerFor(core, slack, timer);
    slack.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    const limited = await rejection(messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' }));
    expect(limited).toMatchObject({ failure: 'rateLimited', retryAfterMs: 30_000, scope: 'platform', scopeKey: 'slack:T1' });

    slack.failNext('conversations.open', { status: 429, headers: { 'retry-after': '20' }, body: { ok: false, error: 'ratelimited' } });
    expect(await rejection(messenger.deliver('slack:UJONAS', { text: 'Velkommen' }, { key: 'welcome:2' }))).toMatchObject({ failure: 'rateLimited', retryAfterMs: 20_000, scope: 'platform', scopeKey: 'slack:T1' });

    slack.outage(60_000);
    expect(await rejection(messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' }))).toMatchObject({ failure: 'outage', retryable: true, scope: 'platform', scopeKey: 'slack:T1' });
    timer.advance(61_000);

    for (const reason of ['user_not_found', 'channel_not_found', 'not_in_channel', 'account_inactive']) {
      slack.failNext('chat.postMessage', { body: { ok: false, error: reason } });
      expect(await rejection(messenger.deliver('slack:UKAREN', { text: 'Hej' }, { key: `hej:${reason}` }))).toMatchObject({ failure: 'rejected', retryable: false });
    }
    // A revoked token holds every message (the platform's circuit) instead of failing each for good.
    slack.failNext('chat.postMessage', { body: { ok: false, error: 'token_revoked' } });
    expect(await rejection(messenger.deliver('slack:UKAREN', { text: 'Hej' }, { key: 'hej:revoked' }))).toMatchObject({ failure: 'outage', retryable: true, scope: 'platform' });
  });

  it('opens no conversation for a person who wrote to the bot first, and opens again one Slack has lost', async () => {
    const messenger = messengerFor(core, slack, timer);
    await messenger.learnChannel('UASTRID', 'DUASTRID');
    await messenger.deliver('slack:UASTRID', { text: 'Velkommen' }, { key: 'welcome:1' });
    expect(slack.of('conversations.open')).toHaveLength(0);

    slack.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    await expect(messenger.deliver('slack:UASTRID', { text: 'Husk mødet' }, { key: 'reminder:1' })).rejects.toMatchObject({ failure: 'rejected' });
    await messenger.deliver('slack:UASTRID', { text: 'Husk mødet' }, { key: 'reminder:2' });
    expect(slack.of('conversations.open').map((c) => c.args.users)).toEqual(['UASTRID']);
  });

  it('refuses at once, as rate-limited, what would wait longer than the queue allows', async () => {
    const frozen: Timer = { now: () => 0, sleep: () => Promise.resolve() };
    const patient = await startFakeSlack();
    try {
      const client = new SlackClient('xoxb-test', { apiUrl: patient.apiUrl, limits: new SlackLimits(frozen, 1000, 5_000) });
      const messenger = new SlackMessenger(client, core.db, () => core.clock.now(), () => HINTS);
      // Tier 3 at 95 %: a burst of four, then one every 1.26 s; the eighth opening would wait over 5 s.
      const outcomes = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => messenger.deliver(`slack:U${i + 1}`, { text: 'Velkommen' }, { key: `welcome:${i + 1}` })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(7);
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as DeliveryError] : []));
      expect(refused.map((e) => [e.failure, e.scope, e.scopeKey])).toEqual([
        ['rateLimited', 'platform', 'slack:T1'],
        ['rateLimited', 'platform', 'slack:T1'],
      ]);
      expect(refused.every((e) => (e.retryAfterMs ?? 0) > 5_000)).toBe(true);
      expect(patient.of('conversations.open')).toHaveLength(7);
    } finally {
      await patient.close();
    }
  });
});

describe('Slack identity: users.info', () => {
  it("takes a person's time zone from Slack once, keeps an import's, and remembers users it does not know", async () => {
    const timer = manualTimer();
    const slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
    const clock = createFakeClock('2026-10-05T08:00:00Z');
    const core = openCore({ databasePath: tempDatabasePath(), clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    try {
      const client = new SlackClient('xoxb-test', { apiUrl: slack.apiUrl, limits: new SlackLimits(timer) });
      const people = new SlackPeople(core, client, silentLogger);
      const maja = createPerson(core, { name: 'Maja Sø', email: 'maja@firma.example.dk' });
      addIdentity(core, maja, 'slack', 'UMAJA', 'slack:UMAJA');
      const ole = createPerson(core, { name: 'Ole Berg', email: 'ole@firma.example.dk', timezone: 'Europe/Copenhagen' });
      addIdentity(core, ole, 'slack', 'UOLE', 'slack:UOLE');
      slack.addUser('UMAJA', 'maja@firma.example.dk', 'America/New_York');
      slack.addUser('UOLE', 'ole@firma.example.dk', 'Asia/Tokyo');

      expect(await people.personFor('UMAJA', 'T1')).toBe(maja);
      expect(await people.personFor('UMAJA', 'T1')).toBe(maja);
      expect(getPerson(core, maja)!.timezone).toBe('America/New_York');
      expect(slack.of('users.info').map((c) => c.args.user)).toEqual(['UMAJA']);

      expect(await people.personFor('UOLE', 'T1')).toBe(ole);
      expect(getPerson(core, ole)!.timezone).toBe('Europe/Copenhagen');

      expect(await people.personFor('USTRANGER', 'T1')).toBeNull();
      expect(await people.personFor('USTRANGER', 'T1')).toBeNull();
      expect(slack.of('users.info').map((c) => c.args.user)).toEqual(['UMAJA', 'USTRANGER']);
      // A user Slack did not know is asked about again after an hour: they may have joined since.
      clock.advance(61 * 60_000);
      expect(await people.personFor('USTRANGER', 'T1')).toBeNull();
      expect(slack.of('users.info').map((c) => c.args.user)).toEqual(['UMAJA', 'USTRANGER', 'USTRANGER']);
    } finally {
      core.db.close();
      await slack.close();
    }
  });
});
