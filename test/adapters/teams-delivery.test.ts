/**
 * Teams delivery that never sends twice and keeps Teams' limits: botbuilder's real CloudAdapter and
 * the Teams messenger against the fake connector on loopback (which enforces the documented limits
 * and answers 429 with Retry-After), the core on a real SQLite file, and Teams' pace on the fake
 * clock (waiting moves the clock), so minutes of pacing run in a moment.
 */
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { createTeamsAdapter, type TeamsAdapter } from '../../adapters/teams/app';
import { NUDGE_ID, type Card } from '../../adapters/teams/cards';
import { IN_DOUBT_MS } from '../../adapters/teams/messenger';
import { TeamsPace } from '../../adapters/teams/pace';
import type { Core } from '../../src/core';
import { DeliveryError, UnknownDeliveryError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson, getPerson, setTimezoneFromImport } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { nextDueAt } from '../../src/scheduler/nudges';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { CONNECTOR_LIMITS, startFakeConnector, type FakeConnector, type Sent } from '../helpers/fake-connector';
import { bookWithOnlyPrep, tempDatabasePath } from '../helpers/sparring';

const CONV = { mentee: 'a:conv-mentee', mentor: 'a:conv-mentor' };
const USER = { mentee: '29:mentee', mentor: '29:mentor' };
const ADDRESS = { mentee: `teams:${USER.mentee}`, mentor: `teams:${USER.mentor}` };
type Who = keyof typeof USER;

interface Harness {
  core: Core;
  clock: FakeClock;
  scheduler: Scheduler;
  teams: TeamsAdapter;
  post(activity: Record<string, unknown>): Promise<number>;
  activity(who: Who, extra: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

let seq = 0;

function seed(core: Core): void {
  const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  const person = (name: string, role: 'mentee' | 'mentor', teamsId: string) => {
    const id = createPerson(core, { name });
    addIdentity(core, id, 'teams', teamsId, null);
    addParticipant(core, programme.id, id, role);
    return id;
  };
  createPair(core, programme.id, person('Astrid Holm', 'mentee', USER.mentee), person('Jonas Berg', 'mentor', USER.mentor));
}

/** One "process": the core on `databasePath`, the Teams adapter behind HTTP, on `clock`. */
async function startHarness(connector: FakeConnector, clock: FakeClock, databasePath: string): Promise<Harness> {
  const core = openCore({ databasePath, clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  if (!core.db.prepare('SELECT 1 FROM programmes').get()) seed(core);
  const pace = new TeamsPace({ now: () => clock.now(), sleep: async (ms) => clock.advance(ms) });
  const teams = createTeamsAdapter(core, { allowUnauthenticated: true }, silentLogger, { pace });
  const { bot, scheduler } = assemble(core, teams.messenger);
  teams.start(bot);
  const http: HttpServer = await startHttpServer(0, teams.routes, silentLogger, '127.0.0.1');
  const url = `http://127.0.0.1:${http.port}/api/messages`;
  return {
    core,
    clock,
    scheduler,
    teams,
    async post(activity) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await response.text();
      return response.status;
    },
    activity(who, extra) {
      return {
        id: `act-in-${(seq += 1)}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        timestamp: new Date(clock.now()).toISOString(),
        from: { id: USER[who], aadObjectId: `aad-${who}`, name: who },
        recipient: { id: '28:sparring-bot', name: 'Sparring' },
        conversation: { id: CONV[who], conversationType: 'personal', tenantId: 'tenant-1' },
        channelData: { tenant: { id: 'tenant-1' } },
        locale: 'da-DK',
        ...extra,
      };
    },
    async stop() {
      await scheduler.stop();
      await http.close();
      core.db.close();
    },
  };
}

const install = (h: Harness, who: Who) => h.post(h.activity(who, { type: 'conversationUpdate', membersAdded: [{ id: '28:sparring-bot' }] }));
const cardOf = (s: Sent) => ((s.activity.attachments as { contentType: string; content: Card }[]) ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!.content;
const keyOf = (s: Sent) => (s.activity.channelData as { sparring?: { key?: string } } | undefined)?.sparring?.key;
const prepNudge = (core: Core) => core.db.prepare("SELECT id, key, status, platform_message_id AS messageId FROM nudges WHERE kind = 'prep.prompt'").get() as { id: number; key: string; status: string; messageId: string | null };
const journal = (core: Core) => core.db.prepare('SELECT conversation_id AS conversation, key, activity_id AS activityId FROM teams_journal ORDER BY written_at').all();

/** Runs the scheduler at every moment something falls due, up to `ms` from now. */
async function runFor(h: Harness, ms: number): Promise<void> {
  const end = h.clock.now() + ms;
  for (let guard = 0; guard < 100; guard += 1) {
    await h.scheduler.runOnce();
    const due = nextDueAt(h.core.db);
    if (due === null || due > end) break;
    if (due > h.clock.now()) h.clock.set(due);
  }
}

/** What a kill -9 leaves after the post: the row still "sending" under a lease that has run out. */
function dieWhileSending(core: Core, nudgeId: number): void {
  core.db.prepare("UPDATE nudges SET status = 'sending', locked_by = 'dead:1', locked_at = ?, lease_until = ? WHERE id = ?").run(core.clock.now(), core.clock.now(), nudgeId);
}

describe('Teams: a planned message is recognisable and never sent twice', () => {
  let connector: FakeConnector;
  let clock: FakeClock;
  let databasePath: string;
  beforeEach(async () => {
    clock = createFakeClock('2026-10-05T10:00:00Z');
    connector = await startFakeConnector({ now: () => clock.now() });
    databasePath = tempDatabasePath();
  });
  afterEach(async () => {
    await connector.close();
  });

  it('carries its nudge key in channelData and, unseen, in the card, and journals the activity id Teams gave it', async () => {
    const h = await startHarness(connector, clock, databasePath);
    try {
      await install(h, 'mentee');
      bookWithOnlyPrep(h.core, (h.core.db.prepare('SELECT id FROM pairs').get() as { id: number }).id);
      await h.scheduler.runOnce();

      const nudge = prepNudge(h.core);
      const prompt = connector.to(CONV.mentee).at(-1)!;
      expect(prompt.activity.channelData).toMatchObject({ sparring: { key: nudge.key } });
      const card = cardOf(prompt);
      expect(card.body[0]!.id).toBe(`${NUDGE_ID}${nudge.key}`);
      expect((card.actions ?? []).every((a) => (a.data as { nudge?: string }).nudge === nudge.key)).toBe(true);
      expect(nudge).toMatchObject({ status: 'delivered', messageId: `${CONV.mentee}:${prompt.id!}` });
      expect(journal(h.core)).toEqual([{ conversation: CONV.mentee, key: nudge.key, activityId: prompt.id }]);
      // A reply in the turn is not planned: it carries no key.
      expect(keyOf(connector.to(CONV.mentee)[0]!)).toBeUndefined();
    } finally {
      await h.stop();
    }
  });

  it('after a restart between the post and its record, finds the delivery in the journal and posts nothing, without creating the chat again', async () => {
    const first = await startHarness(connector, clock, databasePath);
    await install(first, 'mentee');
    bookWithOnlyPrep(first.core, (first.core.db.prepare('SELECT id FROM pairs').get() as { id: number }).id);
    const nudge = prepNudge(first.core);
    // The post goes out (as the scheduler makes it) and Teams accepts it; the process dies before the nudge row is recorded.
    const delivered = await first.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hvad vil du sige?' }, { key: nudge.key });
    dieWhileSending(first.core, nudge.id);
    await first.stop();
    const posts = connector.to(CONV.mentee).length;

    clock.advance(60_000);
    const h = await startHarness(connector, clock, databasePath);
    try {
      expect(await h.teams.messenger.findDelivered(ADDRESS.mentee, nudge.key)).toEqual(delivered);
      await runFor(h, 60_000);
      expect(connector.to(CONV.mentee)).toHaveLength(posts);
      expect(prepNudge(h.core)).toMatchObject({ status: 'delivered', messageId: delivered.messageId });
      // The stored conversation is used as it is: no conversation was ever created, before or after the restart.
      expect(connector.creates).toEqual([]);

      // The same key handed to deliver again (say, by a scheduler that did not ask first) is not posted either.
      expect(await h.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hvad vil du sige?' }, { key: nudge.key })).toEqual(delivered);
      expect(connector.to(CONV.mentee)).toHaveLength(posts);
    } finally {
      await h.stop();
    }
  });

  it('holds a post whose answer was never recorded as unknown for a while, then counts it as delivered rather than post it twice', async () => {
    const first = await startHarness(connector, clock, databasePath);
    await install(first, 'mentee');
    bookWithOnlyPrep(first.core, (first.core.db.prepare('SELECT id FROM pairs').get() as { id: number }).id);
    const nudge = prepNudge(first.core);
    // Killed after the key was journalled and before Teams' answer was: the post may or may not have reached Teams.
    first.core.db.prepare('INSERT INTO teams_journal (conversation_id, key, written_at) VALUES (?, ?, ?)').run(CONV.mentee, nudge.key, clock.now());
    dieWhileSending(first.core, nudge.id);
    await first.stop();
    const posts = connector.to(CONV.mentee).length;

    clock.advance(30_000);
    const h = await startHarness(connector, clock, databasePath);
    try {
      await expect(h.teams.messenger.findDelivered(ADDRESS.mentee, nudge.key)).rejects.toBeInstanceOf(UnknownDeliveryError);
      await h.scheduler.runOnce();
      expect(connector.to(CONV.mentee)).toHaveLength(posts);
      expect(prepNudge(h.core).status).not.toBe('delivered');

      clock.advance(IN_DOUBT_MS);
      await runFor(h, IN_DOUBT_MS);
      expect(connector.to(CONV.mentee)).toHaveLength(posts);
      expect(prepNudge(h.core)).toMatchObject({ status: 'delivered', messageId: `${CONV.mentee}:unconfirmed` });
    } finally {
      await h.stop();
    }
  });

  it('learns that a post in doubt arrived when the person submits its card', async () => {
    const h = await startHarness(connector, clock, databasePath);
    try {
      await install(h, 'mentee');
      h.core.db.prepare('INSERT INTO teams_journal (conversation_id, key, written_at) VALUES (?, ?, ?)').run(CONV.mentee, 'prep.prompt:m1:p1', clock.now());
      const submitted = { kind: 'sparring.answer', questionId: 'q-gone', text: 'Min praktik', prompt: 'Hvad vil du sige?', nudge: 'prep.prompt:m1:p1' };
      await h.post(h.activity('mentee', { type: 'message', value: submitted, replyToId: 'act-77' }));
      expect(await h.teams.messenger.findDelivered(ADDRESS.mentee, 'prep.prompt:m1:p1')).toEqual({ messageId: `${CONV.mentee}:act-77` });
    } finally {
      await h.stop();
    }
  });
});

describe('Teams: within the limits', () => {
  let connector: FakeConnector;
  let clock: FakeClock;
  let h: Harness;
  beforeEach(async () => {
    clock = createFakeClock('2026-10-05T10:00:00Z');
    connector = await startFakeConnector({ now: () => clock.now() });
    h = await startHarness(connector, clock, tempDatabasePath());
    await install(h, 'mentee');
    await install(h, 'mentor');
  });
  afterEach(async () => {
    await h.stop();
    await connector.close();
  });

  it('paces a burst of 200 messages to one chat within every limit, without a single 429, close to the fastest the limits allow', async () => {
    const start = clock.now();
    let waits = 0;
    for (let i = 0; i < 200; i += 1) {
      for (;;) {
        try {
          await h.teams.messenger.deliver(ADDRESS.mentee, { text: `Besked ${i + 1}` }, { key: `burst:${i}` });
          break;
        } catch (error) {
          // A turn further away than a delivery may wait: the core is told when, as for a 429, and nothing was posted.
          expect(error).toBeInstanceOf(DeliveryError);
          expect(error).toMatchObject({ failure: 'rateLimited', scope: 'conversation', scopeKey: `teams:${CONV.mentee}` });
          waits += 1;
          clock.advance((error as DeliveryError).retryAfterMs!);
        }
      }
    }
    expect(connector.throttled()).toEqual([]);
    const posts = connector.to(CONV.mentee).filter((s) => keyOf(s)?.startsWith('burst:'));
    expect(posts).toHaveLength(200);
    expect(new Set(posts.map(keyOf)).size).toBe(200);
    const times = connector.to(CONV.mentee).map((s) => s.at);
    for (const { count, ms } of CONNECTOR_LIMITS.conversation) {
      for (let i = count; i < times.length; i += 1) expect(times[i]! - times[i - count]!).toBeGreaterThanOrEqual(ms);
    }
    expect(waits).toBeGreaterThan(0);
    // 60 in 30 s: the 200th can go no sooner than 90 s after the first; pacing leaves little on the table.
    expect(clock.now() - start).toBeGreaterThanOrEqual(90_000);
    expect(clock.now() - start).toBeLessThan(100_000);
  });

  it('turns a 429 into a rate-limited failure with its Retry-After, for the chat first and for the whole bot when another chat gets one too', async () => {
    connector.failNext({ status: 429, headers: { 'retry-after': '7' } });
    const first = await h.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hej' }, { key: 'k:1' }).catch((e: unknown) => e);
    expect(first).toMatchObject({ failure: 'rateLimited', retryable: true, retryAfterMs: 7000, scope: 'conversation', scopeKey: `teams:${CONV.mentee}` });
    // Not posted: the journal lets the key go again.
    expect(await h.teams.messenger.findDelivered(ADDRESS.mentee, 'k:1')).toBeNull();
    // The scopes the core pauses for this address: the bot's and the chat's.
    expect(h.teams.messenger.scopesOf(ADDRESS.mentee)).toEqual(['teams:bot', `teams:${CONV.mentee}`]);

    connector.failNext({ status: 429, headers: { 'retry-after': '3' } });
    const second = await h.teams.messenger.deliver(ADDRESS.mentor, { text: 'Hej' }, { key: 'k:2' }).catch((e: unknown) => e);
    expect(second).toMatchObject({ failure: 'rateLimited', retryAfterMs: 3000, scope: 'platform', scopeKey: 'teams:bot' });

    clock.advance(7000);
    await h.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hej' }, { key: 'k:1' });
    expect(connector.to(CONV.mentee).filter((s) => keyOf(s) === 'k:1')).toHaveLength(1);
  });

  it('calls a 5xx an outage of the platform and a removed app a rejection for good', async () => {
    connector.failFor(60_000, 503);
    const down = await h.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hej' }, { key: 'k:outage' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ failure: 'outage', retryable: true, scope: 'platform', scopeKey: 'teams:bot' });
    clock.advance(60_000);
    await h.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hej' }, { key: 'k:outage' });

    connector.failNext({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });
    const gone = await h.teams.messenger.deliver(ADDRESS.mentor, { text: 'Hej' }, { key: 'k:gone' }).catch((e: unknown) => e);
    expect(gone).toMatchObject({ failure: 'rejected', retryable: false });
  });

  it('holds the chat for a reply in a turn after a 429 too, and plans the reply instead of hitting the limit', async () => {
    connector.failNext({ status: 429, headers: { 'retry-after': '30' } });
    await h.teams.messenger.deliver(ADDRESS.mentee, { text: 'Hej' }, { key: 'k:held' }).catch(() => undefined);
    const requests = connector.sent.length;
    await h.post(h.activity('mentee', { type: 'message', text: 'hjælp' }));
    expect(connector.sent).toHaveLength(requests);
    expect(h.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE kind = 'reply' AND status = 'pending'").get()).toEqual({ n: 1 });
  });
});

describe('Teams: the person’s own clock', () => {
  it('takes the time zone Teams reports for the client when no import set one, ignores what is not a zone, and never overrides an imported zone', async () => {
    const clock = createFakeClock('2026-10-05T10:00:00Z');
    const connector = await startFakeConnector({ now: () => clock.now() });
    const h = await startHarness(connector, clock, tempDatabasePath());
    try {
      const idOf = (user: string) => (h.core.db.prepare("SELECT person_id AS id FROM identities WHERE platform = 'teams' AND platform_id = ?").get(user) as { id: number }).id;
      const stored = (who: Who) => h.core.db.prepare('SELECT timezone, timezone_source AS source FROM people WHERE id = ?').get(idOf(USER[who]));
      setTimezoneFromImport(h.core, idOf(USER.mentor), 'Europe/Copenhagen');

      await h.post(h.activity('mentee', { type: 'message', text: 'hjælp', localTimezone: 'America/New_York' }));
      expect(stored('mentee')).toEqual({ timezone: 'America/New_York', source: 'platform' });
      expect(getPerson(h.core, idOf(USER.mentee))!.timezone).toBe('America/New_York');
      // Not a zone: ignored.
      await h.post(h.activity('mentee', { type: 'message', text: 'hjælp', localTimezone: 'Mars/Olympus' }));
      expect(stored('mentee')).toEqual({ timezone: 'America/New_York', source: 'platform' });

      await h.post(h.activity('mentor', { type: 'message', text: 'hjælp', localTimezone: 'America/New_York' }));
      expect(stored('mentor')).toEqual({ timezone: 'Europe/Copenhagen', source: 'import' });
    } finally {
      await h.stop();
      await connector.close();
    }
  });
});
