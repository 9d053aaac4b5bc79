/**
 * The Teams adapter end to end: botbuilder's real CloudAdapter behind POST /api/messages on
 * loopback, Bot Framework activities posted to it as the channel sends them, and a fake connector
 * (the activities' serviceUrl) that records what the bot sends. The core runs on a real SQLite file.
 */
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { cardProblems, type Card } from '../../adapters/teams/cards';
import { createTeamsAdapter } from '../../adapters/teams/app';
import { TeamsPace } from '../../adapters/teams/pace';
import type { Core } from '../../src/core';
import { silentLogger } from '../../src/log';
import { bookMeeting, cancelMeeting } from '../../src/meetings';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { startFakeConnector, type FakeConnector, type Sent } from '../helpers/fake-connector';
import { bookWithOnlyPrep, tempDatabasePath } from '../helpers/sparring';

const CONV = { mentee: 'a:conv-mentee', mentor: 'a:conv-mentor', coordinator: 'a:conv-coord', stranger: 'a:conv-stranger' };
const USER = { mentee: '29:mentee', mentor: '29:mentor', coordinator: '29:coord', stranger: '29:stranger' };

interface Harness {
  core: Core;
  clock: FakeClock;
  scheduler: Scheduler;
  connector: FakeConnector;
  url: string;
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<number>;
  activity(who: keyof typeof USER, extra: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

function seed(core: Core): { pair: number } {
  const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  const person = (name: string, email: string, role: Role, teamsId: string | null) => {
    const id = createPerson(core, { name, email });
    if (teamsId) addIdentity(core, id, 'teams', teamsId, null);
    addParticipant(core, programme.id, id, role);
    return id;
  };
  // The participants file names the mentee by Entra ID object id and the mentor by Teams user id; the coordinator by e-mail only.
  const mentee = person('Astrid Holm', 'astrid@student.example.dk', 'mentee', 'aad-mentee');
  const mentor = person('Jonas Berg', 'jonas@firma.example.dk', 'mentor', USER.mentor);
  person('Karen Lund', 'karen@uni.example.dk', 'coordinator', null);
  return { pair: createPair(core, programme.id, mentee, mentor) };
}

let seq = 0;

async function startHarness(o: { databasePath?: string; start?: string; connector?: FakeConnector; appId?: string } = {}): Promise<Harness> {
  const connector = o.connector ?? (await startFakeConnector());
  const clock = createFakeClock(o.start ?? '2026-10-01T08:00:00Z');
  const databasePath = o.databasePath ?? tempDatabasePath();
  const core = openCore({ databasePath, clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  if (!core.db.prepare('SELECT 1 FROM programmes').get()) seed(core);
  const teams = createTeamsAdapter(core, o.appId ? { appId: o.appId, appPassword: 'secret', appType: 'MultiTenant' } : { allowUnauthenticated: true }, silentLogger);
  const { bot, scheduler } = assemble(core, teams.messenger);
  teams.start(bot);
  const http: HttpServer = await startHttpServer(0, teams.routes, silentLogger, '127.0.0.1');
  const url = `http://127.0.0.1:${http.port}/api/messages`;
  return {
    core,
    clock,
    scheduler,
    connector,
    url,
    async post(activity, headers = {}) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      await response.text();
      return response.status;
    },
    activity(who, extra) {
      return {
        id: `act-in-${(seq += 1)}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        timestamp: new Date().toISOString(),
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
      if (!o.connector) await connector.close();
    },
  };
}

const pairId = (core: Core) => (core.db.prepare('SELECT id FROM pairs').get() as { id: number }).id;

const install = (h: Harness, who: keyof typeof USER) => h.post(h.activity(who, { type: 'conversationUpdate', membersAdded: [{ id: '28:sparring-bot' }] }));
const say = (h: Harness, who: keyof typeof USER, text: string) => h.post(h.activity(who, { type: 'message', text }));
const cardOf = (s: Sent) => ((s.activity.attachments as { contentType: string; content: Card }[]) ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!.content;
const cardText = (s: Sent) => cardOf(s).body.filter((e) => e.type === 'TextBlock').map((e) => e.text as string).join('\n');

function expectValidCards(connector: FakeConnector): void {
  for (const s of connector.sent) if (s.ok && s.activity.attachments) expect(cardProblems(cardOf(s))).toEqual([]);
}

describe('Teams: installing and talking', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h.connector);
    await h.stop();
  });

  it('keeps the personal chat’s reference at install, links the person by Entra ID object id, and says hello in that chat', async () => {
    expect(await install(h, 'mentee')).toBe(200);
    const [hello] = h.connector.to(CONV.mentee);
    expect(cardText(hello!)).toContain('jeg er Sparring');
    const stored = h.core.db.prepare('SELECT user_id, aad_object_id, tenant_id, reference FROM teams_conversations').get() as { user_id: string; aad_object_id: string; tenant_id: string; reference: string };
    expect(stored).toMatchObject({ user_id: USER.mentee, aad_object_id: 'aad-mentee', tenant_id: 'tenant-1' });
    expect(JSON.parse(stored.reference)).toMatchObject({ serviceUrl: h.connector.url, conversation: { id: CONV.mentee } });
    expect(h.core.db.prepare("SELECT platform_id, address FROM identities WHERE platform = 'teams' AND address IS NOT NULL").all()).toEqual(
      expect.arrayContaining([{ platform_id: USER.mentee, address: `teams:${USER.mentee}` }, { platform_id: 'aad-mentee', address: `teams:${USER.mentee}` }]),
    );
  });

  it('finds a person known only by e-mail through the member Teams describes', async () => {
    h.connector.addMember(USER.coordinator, { id: USER.coordinator, name: 'Karen', email: 'Karen@uni.example.dk', userPrincipalName: 'karen@uni.example.dk' });
    await say(h, 'coordinator', 'status');
    const [status] = h.connector.to(CONV.coordinator);
    expect(cardText(status!)).toContain('Status: Efterår 2026');
    // Neither of the pair has opened Sparring in Teams yet: the coordinator sees it.
    expect(cardText(status!)).toContain('har ikke installeret appen');
  });

  it('answers typed commands in the right conversation, and refuses coordinator commands to a mentor with the reason', async () => {
    await say(h, 'mentor', 'help');
    await say(h, 'mentor', 'status');
    const [help, refusal] = h.connector.to(CONV.mentor);
    expect(cardText(help!)).toContain('book');
    expect(cardText(help!)).not.toContain('forbered');
    expect(cardText(refusal!)).toContain('Kun programmets koordinatorer');
    expect(h.connector.to(CONV.mentee)).toEqual([]);
  });

  it('keeps a reply Teams could not take, and delivers it later through the stored reference', async () => {
    h.connector.failNext({ status: 502 });
    await say(h, 'mentor', 'topics');
    expect(h.connector.to(CONV.mentor)).toEqual([]);
    expect(h.connector.sent.filter((s) => !s.ok)).toHaveLength(1); // botbuilder did not retry on its own
    h.clock.advance(3 * 60_000);
    await h.scheduler.runOnce();
    expect(h.connector.to(CONV.mentor)).toHaveLength(1);
    expect(h.core.db.prepare("SELECT status FROM nudges WHERE kind = 'reply'").get()).toEqual({ status: 'delivered' });
  });

  it('tells a stranger kindly that they are not in a programme', async () => {
    await say(h, 'stranger', 'hej');
    expect(cardText(h.connector.to(CONV.stranger)[0]!)).toContain('ikke med i et mentorforløb');
    expect(h.core.db.prepare("SELECT count(*) AS n FROM identities WHERE platform_id = '29:stranger'").get()).toEqual({ n: 0 });
  });

  it('turns the calendar invitation into an “Add to calendar” link with the meeting’s UTC times, and a cancellation into none', async () => {
    await install(h, 'mentee');
    await install(h, 'mentor');
    const meeting = bookMeeting(h.core, { pairId: pairId(h.core), startsAt: Date.parse('2026-10-08T14:00:00Z'), durationMin: 90, place: 'Café Norden' });
    h.clock.advance(5 * 60_000); // invitations wait a few minutes, in case the booking changes again
    for (let i = 0; i < 3; i += 1) await h.scheduler.runOnce();
    const invite = h.connector.to(CONV.mentor).find((s) => (cardOf(s).actions ?? []).some((a) => a.type === 'Action.OpenUrl'))!;
    const link = (cardOf(invite).actions as unknown as { title: string; url: string }[]).find((a) => a.url)!;
    expect(link.title).toBe('Tilføj til kalender');
    const url = new URL(link.url);
    expect(url.origin + url.pathname).toBe('https://outlook.office.com/calendar/0/deeplink/compose');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ rru: 'addevent', startdt: '2026-10-08T14:00:00Z', enddt: '2026-10-08T15:30:00Z', location: 'Café Norden' });
    expect(cardText(invite)).not.toContain('kan ikke sendes');

    cancelMeeting(h.core, meeting.id);
    for (let i = 0; i < 3; i += 1) await h.scheduler.runOnce();
    const last = h.connector.to(CONV.mentor).at(-1)!;
    expect(cardText(last)).toMatch(/aflyst/i);
    expect(cardOf(last).actions ?? []).toEqual([]);
  });

  it('forgets the chat when the app is removed, so the person shows as not reachable', async () => {
    await install(h, 'mentee');
    await h.post(h.activity('mentee', { type: 'installationUpdate', action: 'remove' }));
    expect(h.core.db.prepare('SELECT count(*) AS n FROM teams_conversations').get()).toEqual({ n: 0 });
    expect(h.core.db.prepare("SELECT count(*) AS n FROM identities WHERE platform = 'teams' AND address IS NOT NULL").get()).toEqual({ n: 0 });
  });
});

describe('Teams: the prep flow through the stored reference', () => {
  it('delivers a prompt planned in the past at start, takes answers typed and submitted, and replaces the submitted card', async () => {
    const databasePath = tempDatabasePath();
    const connector = await startFakeConnector();
    // First run: the mentee installs the app. Then the bot is down while the prompt falls due.
    const first = await startHarness({ databasePath, connector });
    await install(first, 'mentee');
    await install(first, 'mentor');
    bookWithOnlyPrep(first.core, pairId(first.core));
    await first.stop();
    const before = connector.sent.length;

    const h = await startHarness({ databasePath, connector, start: '2026-10-05T10:00:00Z' });
    try {
      await h.scheduler.runOnce();
      const prompt = connector.sent.slice(before).find((s) => s.ok);
      expect(prompt!.conversationId).toBe(CONV.mentee);
      expect(cardText(prompt!)).toContain('Hvad vil du sige?');
      expect(cardOf(prompt!).body.some((e) => e.type === 'Input.Text')).toBe(true);

      await say(h, 'mentee', 'Min praktikansøgning');
      await say(h, 'mentee', 'Hvordan man forhandler løn');
      await say(h, 'mentee', 'En plan for foråret');
      await say(h, 'mentee', 'spring over');
      const share = connector.to(CONV.mentee).at(-1)!;
      const yes = (cardOf(share).actions as unknown as { title: string; data: Record<string, unknown> }[]).find((a) => a.data.value === 'yes')!;
      const submit = { type: 'message', value: yes.data, replyToId: 'act-share' };
      expect(await h.post(h.activity('mentee', submit))).toBe(200);

      expect(h.core.db.prepare('SELECT question, answer FROM prep_answers ORDER BY question').all()).toEqual([
        { question: 'achieve', answer: 'En plan for foråret' },
        { question: 'hear', answer: 'Hvordan man forhandler løn' },
        { question: 'say', answer: 'Min praktikansøgning' },
        { question: 'since', answer: null },
      ]);
      const [update] = connector.updates(CONV.mentee);
      expect(update!.activityId).toBe('act-share');
      expect(cardText(update!)).toContain(`✓ ${yes.title}`);
      expect(cardText(update!)).toContain('Må Jonas se dem');
      expect(cardOf(update!).actions).toBeUndefined();

      // The same card submitted again changes nothing and says so.
      await h.post(h.activity('mentee', submit));
      expect(connector.updates(CONV.mentee)).toHaveLength(1);
      expect(cardText(connector.to(CONV.mentee).at(-1)!)).toContain('allerede');

      await h.scheduler.runOnce();
      const agenda = connector.to(CONV.mentor).at(-1)!;
      expect(cardText(agenda)).toContain('Min praktikansøgning');
      expectValidCards(connector);
    } finally {
      await h.stop();
      await connector.close();
    }
  });

  it('keeps a message through a 429 and sends it after Retry-After, once', async () => {
    const h = await startHarness({ start: '2026-10-05T10:00:00Z' });
    try {
      await install(h, 'mentee');
      bookWithOnlyPrep(h.core, pairId(h.core));
      const sentBefore = h.connector.to(CONV.mentee).length;
      h.connector.failNext({ status: 429, headers: { 'retry-after': '20' } });
      await h.scheduler.runOnce();
      const row = h.core.db.prepare("SELECT status, due_at FROM nudges WHERE kind = 'prep.prompt'").get() as { status: string; due_at: number };
      expect(row.status).toBe('pending');
      expect(row.due_at).toBe(h.clock.now() + 20_000);
      h.clock.set(row.due_at);
      expect(h.connector.sent.filter((s) => !s.ok)).toHaveLength(1); // botbuilder does not retry on its own
      await h.scheduler.runOnce();
      expect(h.connector.to(CONV.mentee).length - sentBefore).toBe(1);
      expect(h.core.db.prepare("SELECT status FROM nudges WHERE kind = 'prep.prompt'").get()).toEqual({ status: 'delivered' });
    } finally {
      await h.stop();
    }
  });

  it('waits for a person who has not installed the app, and reaches them once they do', async () => {
    const h = await startHarness({ start: '2026-10-05T10:00:00Z' });
    try {
      bookWithOnlyPrep(h.core, pairId(h.core));
      await h.scheduler.runOnce();
      expect(h.core.db.prepare("SELECT status FROM nudges WHERE kind = 'prep.prompt'").get()).toEqual({ status: 'pending' });
      await install(h, 'mentee');
      h.clock.advance(2 * 60 * 60_000);
      await h.scheduler.runOnce();
      expect(cardText(h.connector.to(CONV.mentee).at(-1)!)).toContain('Hvad vil du sige?');
    } finally {
      await h.stop();
    }
  });
});

describe('Teams: authentication', () => {
  it('with an app id configured, refuses a request without a valid token before anything is stored', async () => {
    const h = await startHarness({ appId: '00000000-0000-0000-0000-000000000001' });
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await install(h, 'mentee')).toBe(401);
      expect(await say(h, 'mentee', 'help')).toBe(401);
      expect(h.connector.sent).toEqual([]);
      expect(h.core.db.prepare('SELECT count(*) AS n FROM teams_conversations').get()).toEqual({ n: 0 });
    } finally {
      quiet.mockRestore();
      await h.stop();
    }
  });

  it('answers 400 to a body that is not JSON', async () => {
    const h = await startHarness();
    try {
      const response = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
      expect(response.status).toBe(400);
    } finally {
      await h.stop();
    }
  });
});

describe('Teams: pace per conversation', () => {
  it('lets 7 messages a second, 8 in 2 seconds and 60 in 30 seconds through to one conversation, and others at once', async () => {
    let now = 0;
    const pace = new TeamsPace({ now: () => now, sleep: async (ms) => void (now += ms) });
    const send = (conversation: string) => pace.run(conversation, async () => now, 60_000);
    for (let i = 0; i < 7; i += 1) await send('a');
    expect(pace.delay('a')).toBe(1000);
    expect(pace.delay('b')).toBe(0);
    expect(await send('a')).toBe(1000);
    // The ninth: eight in two seconds already.
    expect(pace.delay('a')).toBe(1000);
    const times: number[] = [];
    while (times.length < 52) times.push(await send('a'));
    // Sixty within 30 seconds: the 61st waits for the first to age.
    expect(times.at(-1)!).toBeLessThan(30_000);
    expect(pace.delay('a')).toBe(30_000 - now);
  });
});
