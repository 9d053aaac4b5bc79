/**
 * The Slack adapter end to end: the real Bolt HTTP receiver on loopback, signed requests as Slack
 * sends them, and a fake Slack Web API (also on loopback, through SLACK_API_URL) that records every
 * call. The core runs on a real SQLite file with a fake clock.
 */
import { startHttpServer } from '../../adapters/http';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/app';
import { blockKitProblems, type Block } from '../../adapters/slack/blocks';
import { viewProblems } from '../../adapters/slack/modal';
import type { Core } from '../../src/core';
import { createLogger, silentLogger } from '../../src/log';
import { bookMeeting } from '../../src/meetings';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { nextDueAt } from '../../src/scheduler/nudges';
import { assemble, openCore } from '../../src/sparring';
import { waitFor } from '../helpers/wait';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { bookWithOnlyPrep, keepOnlyNudges, tempDatabasePath } from '../helpers/sparring';

const SECRET = 'test-signing-secret';

interface Harness {
  slack: FakeSlack;
  core: Core;
  clock: FakeClock;
  adapter: SlackAdapter;
  scheduler: Scheduler;
  url: string;
  ids: { mentee: number; mentor: number; coordinator: number; pair: number; programme: number };
  send(body: string, options?: Parameters<typeof sendSigned>[3]): ReturnType<typeof sendSigned>;
  dm(user: string, text: string, eventId?: string): ReturnType<typeof sendSigned>;
  command(user: string, text: string): ReturnType<typeof sendSigned>;
  interact(payload: Record<string, unknown>): ReturnType<typeof sendSigned>;
  /** Messages the bot posted to a user's DM, oldest first. */
  posted(user: string): { text: string; blocks: Block[]; metadata?: { event_payload?: { key?: string } } }[];
  stop(): Promise<void>;
}


let eventSeq = 0;

async function startHarness(options: { start?: string; databasePath?: string; slack?: FakeSlack } = {}): Promise<Harness> {
  const slack = options.slack ?? (await startFakeSlack());
  const clock = createFakeClock(options.start ?? '2026-10-01T08:00:00Z');
  const databasePath = options.databasePath ?? tempDatabasePath();
  const core = openCore({ databasePath, clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  let ids = core.db.prepare('SELECT id FROM programmes').get() ? null : seed(core);
  if (!ids) {
    const row = (role: string) => (core.db.prepare('SELECT person_id AS id FROM participants WHERE role = ? ORDER BY person_id LIMIT 1').get(role) as { id: number }).id;
    const pair = core.db.prepare('SELECT id, programme_id AS programme FROM pairs LIMIT 1').get() as { id: number; programme: number };
    ids = { mentee: row('mentee'), mentor: row('mentor'), coordinator: row('coordinator'), pair: pair.id, programme: pair.programme };
  }
  const log = process.env.DEBUG_SLACK ? createLogger('debug') : silentLogger;
  const adapter = createSlackAdapter(core, { botToken: 'xoxb-test', signingSecret: SECRET, apiUrl: slack.apiUrl, paceMs: 0, resolveEmails: false }, log);
  const { bot, scheduler } = assemble(core, adapter.messenger);
  await adapter.start(bot);
  const http = await startHttpServer(0, adapter.routes, log, '127.0.0.1');
  const url = `http://127.0.0.1:${http.port}/slack/events`;
  const send = (body: string, o: Parameters<typeof sendSigned>[3] = {}) => sendSigned(url, SECRET, body, o);
  return {
    slack,
    core,
    clock,
    adapter,
    scheduler,
    url,
    ids,
    send,
    dm: (user, text, eventId = `Ev${(eventSeq += 1)}`) => send(slackPayload.dm(user, text, eventId)),
    command: (user, text) => send(slackPayload.command(user, text, `${slack.root}/respond/${user}`), { contentType: 'application/x-www-form-urlencoded' }),
    interact: (payload) => send(slackPayload.interaction(payload), { contentType: 'application/x-www-form-urlencoded' }),
    posted: (user) =>
      slack
        .of('chat.postMessage')
        .filter((c) => c.ok && c.args.channel === `D${user}`)
        .map((c) => ({ text: String(c.args.text), blocks: c.args.blocks as Block[], metadata: c.args.metadata as never })),
    async stop() {
      await scheduler.stop();
      await http.close();
      await adapter.stop();
      core.db.close();
      if (!options.slack) await slack.close();
    },
  };
}

function seed(core: Core): Harness['ids'] {
  const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  const person = (name: string, email: string, slackId: string, role: Role) => {
    const id = createPerson(core, { name, email });
    addIdentity(core, id, 'slack', slackId, `slack:${slackId}`);
    addParticipant(core, programme.id, id, role);
    return id;
  };
  const mentee = person('Astrid Holm', 'astrid@student.example.dk', 'UMENTEE', 'mentee');
  const mentor = person('Jonas Berg', 'jonas@firma.example.dk', 'UMENTOR', 'mentor');
  const coordinator = person('Karen Lund', 'karen@uni.example.dk', 'UCOORD', 'coordinator');
  const pair = createPair(core, programme.id, mentee, mentor);
  return { mentee, mentor, coordinator, pair, programme: programme.id };
}

/** Every Block Kit payload the bot sent passes Slack's limits. */
function expectValidBlockKit(slack: FakeSlack): void {
  for (const call of slack.calls) {
    if (call.method === 'chat.postMessage' || call.method === 'chat.update') expect({ method: call.method, problems: blockKitProblems(call.args.blocks as Block[]) }).toEqual({ method: call.method, problems: [] });
    if (call.method === 'views.open' || call.method === 'views.update') expect(viewProblems(call.args.view as Block)).toEqual([]);
    if (call.method === 'views.publish') expect(blockKitProblems((call.args.view as { blocks: Block[] }).blocks)).toEqual([]);
  }
  for (const r of slack.responses) if (r.blocks) expect(blockKitProblems(r.blocks as Block[])).toEqual([]);
}

const sectionText = (blocks: Block[]) => blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text).join('\n');

describe('Slack: requests and signatures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('answers GET /healthz on the same port', async () => {
    const response = await fetch(h.url.replace('/slack/events', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('answers Slack’s URL verification challenge', async () => {
    const response = await h.send(JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'legacy' }));
    expect(response.status).toBe(200);
    expect(response.text).toContain('abc123');
  });

  it('refuses a forged signature and a stale timestamp before anything is stored', async () => {
    const before = h.slack.calls.length;
    const forged = await sendSigned(h.url, 'not-the-secret', slackPayload.dm('UMENTEE', 'help', 'EvForged'));
    const stale = await h.send(slackPayload.dm('UMENTEE', 'help', 'EvStale'), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const unsigned = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: slackPayload.dm('UMENTEE', 'help', 'EvUnsigned') });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.slack.calls.length).toBe(before);
    expect(h.core.db.prepare('SELECT count(*) AS n FROM slack_events').get()).toEqual({ n: 0 });
  });

  it('replies to a DM in the DM, and handles a retried event once', async () => {
    const body = slackPayload.dm('UMENTEE', 'help', 'EvHelp1');
    expect((await h.send(body)).status).toBe(200);
    await waitFor(() => h.posted('UMENTEE').length === 1, 'the help reply');
    expect(h.posted('UMENTEE')[0]!.text).toContain('*forbered* — forbered dit næste møde');
    const retry = await h.send(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.posted('UMENTEE')).toHaveLength(1);
  });

  it('keeps a reply Slack could not take, and delivers it later, even at night', async () => {
    h.clock.set('2026-10-01T21:00:00Z'); // 23:00 in Copenhagen: quiet hours, but this is an answer
    h.slack.failNext('chat.postMessage', { status: 503, body: { ok: false } });
    await h.dm('UMENTOR', 'topics');
    await waitFor(() => h.core.db.prepare("SELECT 1 FROM nudges WHERE kind = 'reply'").get(), 'the reply planned');
    expect(h.posted('UMENTOR')).toHaveLength(0);
    h.clock.advance(3 * 60_000);
    await h.scheduler.runOnce();
    expect(h.posted('UMENTOR')).toHaveLength(1);
    expect(h.core.db.prepare("SELECT status FROM nudges WHERE kind = 'reply'").get()).toEqual({ status: 'delivered' });
  });

  it('tells a stranger kindly that they are not part of a programme, and stores nothing about them', async () => {
    await h.dm('USTRANGER', 'hej');
    await waitFor(() => h.posted('USTRANGER').length === 1, 'the reply to a stranger');
    expect(h.posted('USTRANGER')[0]!.text).toContain('ikke med i et mentorforløb');
    expect(h.core.db.prepare("SELECT count(*) AS n FROM identities WHERE platform_id = 'USTRANGER'").get()).toEqual({ n: 0 });
  });

  it('ignores its own messages and messages outside its DMs', async () => {
    const before = h.slack.of('chat.postMessage').length;
    await h.send(slackPayload.event({ type: 'message', channel_type: 'im', channel: 'DUMENTEE', user: 'UBOT', bot_id: 'BBOT', text: 'loop?' }, 'EvSelf'));
    await h.send(slackPayload.event({ type: 'message', channel_type: 'channel', channel: 'C1', user: 'UMENTEE', text: 'help' }, 'EvChannel'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.slack.of('chat.postMessage').length).toBe(before);
    expectValidBlockKit(h.slack);
  });
});

describe('Slack: the prep flow', () => {
  it('delivers a prep prompt planned in the past at start; answers by DM and by button are stored once', async () => {
    const databasePath = tempDatabasePath();
    const slack = await startFakeSlack();
    // Book while the bot is down; it comes back after the prompt fell due.
    {
      const setup = openCore({ databasePath, clock: createFakeClock('2026-10-01T08:00:00Z'), log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
      const ids = seed(setup);
      bookWithOnlyPrep(setup, ids.pair);
      setup.db.close();
    }
    const h = await startHarness({ databasePath, slack, start: '2026-10-05T10:00:00Z' });
    try {
      await h.scheduler.runOnce();
      const [prompt] = h.posted('UMENTEE');
      expect(prompt!.text).toContain('Hvad vil du sige?');
      expect(prompt!.metadata?.event_payload?.key).toMatch(/^prep\.prompt/);
      expect(h.slack.of('conversations.open')[0]!.args.users).toBe('UMENTEE');

      // Three answers in the DM; the first one is sent twice by Slack (a retry), and counts once.
      const first = slackPayload.dm('UMENTEE', 'Min praktikansøgning', 'EvPrep1');
      await h.send(first);
      await waitFor(() => h.posted('UMENTEE').length === 2, 'the second question');
      await h.send(first, { headers: { 'x-slack-retry-num': '1' } });
      await h.dm('UMENTEE', 'Hvordan man forhandler løn', 'EvPrep2');
      await waitFor(() => h.posted('UMENTEE').length === 3, 'the third question');
      await h.dm('UMENTEE', 'En plan for foråret', 'EvPrep3');
      await waitFor(() => h.posted('UMENTEE').length === 4, 'the fourth question');
      await h.dm('UMENTEE', 'spring over', 'EvPrep4');
      const share = await waitFor(() => h.posted('UMENTEE')[4], 'the share question');
      const buttons = share.blocks.find((b) => b.type === 'actions')!;
      expect(buttons.block_id).toMatch(/^q:prep\.share\./);
      const yes = (buttons.elements as { action_id: string; value: string; text: { text: string } }[]).find((e) => e.value === 'yes')!;

      // The mentee presses "yes" — twice, as an impatient person does.
      const click = {
        type: 'block_actions',
        user: { id: 'UMENTEE', team_id: 'T1' },
        trigger_id: 'trigger-1',
        channel: { id: 'DUMENTEE' },
        container: { type: 'message', channel_id: 'DUMENTEE', message_ts: '1' },
        message: { ts: '1700000005.000100', blocks: share.blocks },
        response_url: `${slack.root}/respond/click`,
        actions: [{ type: 'button', block_id: buttons.block_id, action_id: yes.action_id, value: 'yes', text: yes.text, action_ts: '1' }],
      };
      expect((await h.interact(click)).status).toBe(200);
      const shareUpdate = () => slack.of('chat.update').filter((c) => c.args.ts === '1700000005.000100');
      await waitFor(() => shareUpdate().length === 1, 'the buttons replaced by the answer');
      await h.interact({ ...click, actions: [{ ...click.actions[0]!, action_ts: '2' }] }); // pressed again (the same request replayed is dropped)
      await waitFor(() => h.posted('UMENTEE').length === 7, 'the stale notice');

      const answers = h.core.db.prepare('SELECT question, answer FROM prep_answers ORDER BY question').all();
      expect(answers).toEqual([
        { question: 'achieve', answer: 'En plan for foråret' },
        { question: 'hear', answer: 'Hvordan man forhandler løn' },
        { question: 'say', answer: 'Min praktikansøgning' },
        { question: 'since', answer: null },
      ]);
      expect(h.core.db.prepare('SELECT shared FROM preps').get()).toEqual({ shared: 1 });
      expect(shareUpdate()).toHaveLength(1);
      // Each question answered in the DM had its button replaced by the answer too.
      expect(slack.of('chat.update').map((c) => c.args.text)).toEqual(['Min praktikansøgning', 'Hvordan man forhandler løn', 'En plan for foråret', 'spring over', yes.text.text]);
      const update = shareUpdate()[0]!.args;
      expect(update.channel).toBe('DUMENTEE');
      expect(JSON.stringify(update.blocks)).toContain(`✓ ${yes.text.text}`);
      expect(JSON.stringify(update.blocks)).not.toContain('"button"');
      expect(h.posted('UMENTEE')[5]!.text).toContain('Jonas får din dagsorden');
      expect(h.posted('UMENTEE')[6]!.text).toContain('allerede');

      // The agenda reaches the mentor through the durable delivery.
      await h.scheduler.runOnce();
      const agenda = await waitFor(() => h.posted('UMENTOR')[0], 'the agenda for the mentor');
      expect(agenda.text).toContain('Min praktikansøgning');
      expectValidBlockKit(slack);
    } finally {
      await h.stop();
      await slack.close();
    }
  });

  it('keeps a message through a 429 and sends it after Retry-After, once', async () => {
    const h = await startHarness({ start: '2026-10-05T10:00:00Z' });
    try {
      bookWithOnlyPrep(h.core, h.ids.pair);
      h.slack.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
      await h.scheduler.runOnce();
      expect(h.posted('UMENTEE')).toHaveLength(0);
      const row = h.core.db.prepare("SELECT status, due_at, attempts FROM nudges WHERE kind = 'prep.prompt'").get() as { status: string; due_at: number; attempts: number };
      expect(row.status).toBe('pending');
      expect(row.due_at).toBe(h.clock.now() + 30_000);
      await h.scheduler.runOnce();
      expect(h.posted('UMENTEE')).toHaveLength(0); // not before Slack said
      h.clock.advance(30_000);
      await h.scheduler.runOnce();
      await h.scheduler.runOnce();
      expect(h.posted('UMENTEE')).toHaveLength(1);
      expect(h.core.db.prepare("SELECT status FROM nudges WHERE kind = 'prep.prompt'").get()).toEqual({ status: 'delivered' });
    } finally {
      await h.stop();
    }
  });

  it('retries after an outage', async () => {
    const h = await startHarness({ start: '2026-10-05T10:00:00Z' });
    try {
      bookWithOnlyPrep(h.core, h.ids.pair);
      h.slack.failNext('conversations.open', { status: 503, body: { ok: false } });
      await h.scheduler.runOnce();
      expect(h.core.db.prepare("SELECT status FROM nudges WHERE kind = 'prep.prompt'").get()).toEqual({ status: 'pending' });
      h.clock.advance(60 * 60_000);
      await h.scheduler.runOnce();
      expect(h.posted('UMENTEE')).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });

  it('gives up on a user Slack does not know, instead of retrying for ever', async () => {
    const h = await startHarness({ start: '2026-10-05T10:00:00Z' });
    try {
      h.core.db.prepare("UPDATE identities SET platform_id = 'UGONE', address = 'slack:UGONE' WHERE platform_id = 'UMENTEE'").run();
      bookWithOnlyPrep(h.core, h.ids.pair);
      h.slack.failNext('conversations.open', { body: { ok: false, error: 'user_not_found' } });
      await h.scheduler.runOnce();
      expect(h.core.db.prepare("SELECT status, last_error FROM nudges WHERE kind = 'prep.prompt'").get()).toEqual({ status: 'failed', last_error: expect.stringContaining('user_not_found') });
    } finally {
      await h.stop();
    }
  });

  it('finds a message it posted by its nudge key, for the restart between posting and recording', async () => {
    const h = await startHarness({ start: '2026-10-05T10:00:00Z' });
    try {
      bookWithOnlyPrep(h.core, h.ids.pair);
      await h.scheduler.runOnce();
      const key = h.posted('UMENTEE')[0]!.metadata!.event_payload!.key!;
      expect(await h.adapter.messenger.findDelivered('slack:UMENTEE', key)).toEqual({ messageId: expect.stringMatching(/^DUMENTEE:/) });
      expect(await h.adapter.messenger.findDelivered('slack:UMENTEE', 'prep.prompt:other')).toBeNull();
    } finally {
      await h.stop();
    }
  });
});

describe('Slack: /mentor, modals, App Home, files', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidBlockKit(h.slack);
    await h.stop();
  });

  it('answers /mentor help ephemerally through response_url', async () => {
    expect((await h.command('UMENTOR', 'help')).status).toBe(200);
    const response = await waitFor(() => h.slack.responses[0], 'the ephemeral reply');
    expect(response.response_type).toBe('ephemeral');
    // A mentor's help lists a mentor's commands: booking yes, preparing (the mentee's) no.
    expect(String(response.text)).toContain('*book* — book, flyt eller aflys et møde');
    expect(String(response.text)).not.toContain('forbered');
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
  });

  it('refuses coordinator subcommands to everybody else, with the reason, and answers the coordinator', async () => {
    await h.command('UMENTEE', 'status');
    const refused = await waitFor(() => h.slack.responses[0], 'the refusal');
    expect(String(refused.text)).toContain('Kun programmets koordinatorer');
    expect(String(refused.text)).toContain('mentee');
    await h.command('UCOORD', 'status');
    const status = await waitFor(() => h.slack.responses[1], 'the status');
    expect(String(status.text)).toContain('Efterår 2026');
    expect(status.response_type).toBe('ephemeral');
  });

  it('opens /mentor book as a modal, shows a bad date in the field, and walks the form to a booking', async () => {
    await h.command('UMENTEE', 'book');
    const opened = await waitFor(() => h.slack.of('views.open')[0], 'the booking modal');
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: Block[] };
    expect(opened.args.trigger_id).toMatch(/^trigger-UMENTEE/);
    const input = view.blocks.find((b) => b.type === 'input')!;
    expect((input.element as { type: string }).type).toBe('datetimepicker');

    const submit = async (v: { private_metadata: string }, state: Record<string, unknown>) =>
      h.interact({ type: 'view_submission', user: { id: 'UMENTEE', team_id: 'T1' }, trigger_id: 't', view: { id: 'V1', type: 'modal', callback_id: 'sparring_answer', private_metadata: v.private_metadata, state: { values: { answer: { value: state } } } } });

    const past = await submit(view, { type: 'datetimepicker', selected_date_time: Date.parse('2026-09-20T12:00:00Z') / 1000 });
    expect(JSON.parse(past.text)).toEqual({ response_action: 'errors', errors: { answer: expect.stringContaining('allerede gået') } });

    const when = await submit(view, { type: 'datetimepicker', selected_date_time: Date.parse('2026-10-08T14:00:00Z') / 1000 });
    const next = JSON.parse(when.text) as { response_action: string; view: { private_metadata: string; blocks: Block[] } };
    expect(next.response_action).toBe('update');
    const lengthInput = next.view.blocks.find((b) => b.type === 'input')!;
    expect((lengthInput.element as { type: string }).type).toBe('radio_buttons');
    expect(viewProblems(next.view as unknown as Block)).toEqual([]);

    const length = JSON.parse((await submit(next.view, { type: 'radio_buttons', selected_option: { value: '60', text: { type: 'plain_text', text: '1 time' } } })).text) as typeof next;
    const place = JSON.parse((await submit(length.view, { type: 'radio_buttons', selected_option: { value: 'cafe', text: { type: 'plain_text', text: 'Café' } } })).text) as typeof next;
    const where = await submit(place.view, { type: 'plain_text_input', value: 'Café Aula, Nordre Ringgade 3' });
    expect(JSON.parse(where.text)).toEqual({ response_action: 'clear' });

    const meeting = h.core.db.prepare('SELECT starts_at, duration_min, place FROM meetings').get() as { starts_at: number; duration_min: number; place: string };
    expect(meeting).toEqual({ starts_at: Date.parse('2026-10-08T14:00:00Z'), duration_min: 60, place: 'Café Aula, Nordre Ringgade 3' });
    const done = await waitFor(() => h.posted('UMENTEE').find((m) => m.text.includes('booket')), 'the booking confirmation in the DM');
    expect(done.text).toContain('med Jonas.');
  });

  it('opens a question from its message in a modal, keeps a refused answer in the field, and tidies the message', async () => {
    h.clock.set('2026-10-05T10:00:00Z');
    bookWithOnlyPrep(h.core, h.ids.pair);
    await h.scheduler.runOnce();
    const prompt = h.posted('UMENTEE')[0]!;
    const actions = prompt.blocks.find((b) => b.type === 'actions')!;
    const button = (actions.elements as { action_id: string; value: string; text: { text: string } }[])[0]!;
    expect(button.text.text).toBe('Svar i en formular');
    await h.interact({
      type: 'block_actions',
      user: { id: 'UMENTEE', team_id: 'T1' },
      trigger_id: 'trigger-form',
      channel: { id: 'DUMENTEE' },
      container: { type: 'message', channel_id: 'DUMENTEE' },
      message: { ts: '1700000001.000100', blocks: prompt.blocks },
      actions: [{ type: 'button', block_id: actions.block_id, action_id: button.action_id, value: button.value, action_ts: '1' }],
    });
    const opened = await waitFor(() => h.slack.of('views.open')[0], 'the modal');
    const view = opened.args.view as { private_metadata: string; blocks: Block[] };
    expect(opened.args.trigger_id).toBe('trigger-form');
    expect(sectionText(view.blocks)).toContain('Hvad vil du sige?');
    expect((view.blocks.find((b) => b.type === 'input')!.element as { type: string; multiline: boolean })).toMatchObject({ type: 'plain_text_input', multiline: true });

    const submit = (text: string) =>
      h.interact({ type: 'view_submission', user: { id: 'UMENTEE', team_id: 'T1' }, view: { id: 'V2', type: 'modal', callback_id: 'sparring_answer', private_metadata: view.private_metadata, state: { values: { answer: { value: { type: 'plain_text_input', value: text } } } } } });
    const empty = JSON.parse((await submit('   ')).text) as { response_action: string; errors: Record<string, string> };
    expect(empty.response_action).toBe('errors');
    expect(empty.errors.answer).toContain('spring over');
    expect(h.core.db.prepare('SELECT count(*) AS n FROM prep_answers').get()).toEqual({ n: 0 });

    const next = JSON.parse((await submit('Mit speciale')).text) as { response_action: string; view: { blocks: Block[] } };
    expect(next.response_action).toBe('update');
    expect(sectionText(next.view.blocks)).toContain('Hvad vil du høre?');
    expect(h.core.db.prepare('SELECT question, answer FROM prep_answers').all()).toEqual([{ question: 'say', answer: 'Mit speciale' }]);
    const tidied = await waitFor(() => h.slack.of('chat.update')[0], 'the prompt’s button replaced');
    expect(tidied.args.ts).toBe('1700000001.000100');
    expect(JSON.stringify(tidied.args.blocks)).toContain('✓ Mit speciale');

    // The same modal submitted again (an old copy) is stale, and changes nothing.
    const again = JSON.parse((await submit('Noget andet')).text) as { errors: Record<string, string> };
    expect(again.errors.answer).toContain('allerede');
    expect(h.core.db.prepare("SELECT answer FROM prep_answers WHERE question = 'say'").get()).toEqual({ answer: 'Mit speciale' });
  });

  it('goes on in a modal when a button leads into more of the same form, and keeps the question in the DM too', async () => {
    bookMeeting(h.core, { pairId: h.ids.pair, startsAt: Date.parse('2026-10-08T14:00:00Z'), durationMin: 60 });
    keepOnlyNudges(h.core, 'after.ask');
    for (let due = nextDueAt(h.core.db); due !== null && h.posted('UMENTEE').length === 0; due = nextDueAt(h.core.db)) {
      h.clock.set(Math.max(due, h.clock.now()));
      await h.scheduler.runOnce();
    }
    const ask = h.posted('UMENTEE')[0]!;
    const actions = ask.blocks.find((b) => b.type === 'actions')!;
    const yes = (actions.elements as { action_id: string; value: string; text: { text: string } }[]).find((e) => e.value === 'yes')!;
    await h.interact({
      type: 'block_actions',
      user: { id: 'UMENTEE', team_id: 'T1' },
      trigger_id: 'trigger-yes',
      channel: { id: 'DUMENTEE' },
      container: { type: 'message', channel_id: 'DUMENTEE' },
      message: { ts: '1700000001.000100', blocks: ask.blocks },
      actions: [{ type: 'button', block_id: actions.block_id, action_id: yes.action_id, value: 'yes', text: yes.text, action_ts: '1' }],
    });
    const opened = await waitFor(() => h.slack.of('views.open')[0], 'the summary in a modal');
    expect(opened.args.trigger_id).toBe('trigger-yes');
    const view = opened.args.view as { private_metadata: string; blocks: Block[] };
    expect((view.blocks.find((b) => b.type === 'input')!.element as { type: string }).type).toBe('plain_text_input');
    expect(sectionText(view.blocks)).toContain('vigtigste pointer');

    const answer = await h.interact({ type: 'view_submission', user: { id: 'UMENTEE', team_id: 'T1' }, view: { id: 'V3', type: 'modal', callback_id: 'sparring_answer', private_metadata: view.private_metadata, state: { values: { answer: { value: { type: 'plain_text_input', value: 'Vi talte om CV og netværk' } } } } } });
    const second = JSON.parse(answer.text) as { response_action: string; view: { private_metadata: string; blocks: Block[] } };
    expect(second.response_action).toBe('update');
    expect(h.core.db.prepare('SELECT points FROM summaries').all()).toEqual([]); // saved when the form is done
    expect(h.posted('UMENTEE')).toHaveLength(1); // the DM holds only the question that was answered by button

    // She closes the form half-way: the open question waits for her in the DM.
    await h.interact({ type: 'view_closed', user: { id: 'UMENTEE', team_id: 'T1' }, view: { id: 'V3', type: 'modal', callback_id: 'sparring_answer', private_metadata: second.view.private_metadata, state: { values: {} } }, is_cleared: false });
    const waiting = await waitFor(() => h.posted('UMENTEE')[1], 'the open question in the DM');
    expect(sectionText(waiting.blocks)).toBe(sectionText(second.view.blocks));
    await h.dm('UMENTEE', 'Jeg sender mit CV til Jonas');
    await waitFor(() => h.posted('UMENTEE')[2], 'the next question');
    expect(h.slack.of('chat.update').some((c) => JSON.stringify(c.args.blocks).includes('✓ Jeg sender mit CV'))).toBe(true);
  });

  it('sends calendar invitations as files in the DM', async () => {
    bookMeeting(h.core, { pairId: h.ids.pair, startsAt: Date.parse('2026-10-08T14:00:00Z'), durationMin: 60, place: 'Café' });
    h.clock.advance(5 * 60_000); // invitations wait a few minutes, in case the booking changes again
    for (let i = 0; i < 3; i += 1) await h.scheduler.runOnce();
    await waitFor(() => h.slack.of('files.completeUploadExternal').length >= 2, 'two invitations');
    const channels = h.slack.of('files.completeUploadExternal').map((c) => c.args.channel_id).sort();
    expect(channels).toEqual(['DUMENTEE', 'DUMENTOR']);
    expect(h.slack.of('files.getUploadURLExternal')[0]!.args.filename).toMatch(/\.ics$/);
    expect(h.slack.uploads.some((u) => u.includes('BEGIN:VCALENDAR') && u.includes('DTSTART'))).toBe(true);
  });

  it('publishes App Home: the next meeting for a participant, the programme status for a coordinator', async () => {
    bookMeeting(h.core, { pairId: h.ids.pair, startsAt: Date.parse('2026-10-08T14:00:00Z'), durationMin: 60, place: 'Café' });
    await h.send(slackPayload.event({ type: 'app_home_opened', user: 'UMENTOR', channel: 'DUMENTOR', tab: 'home' }, 'EvHome1'));
    const mentorHome = await waitFor(() => h.slack.of('views.publish')[0], 'the mentor’s home');
    expect(mentorHome.args.user_id).toBe('UMENTOR');
    const mentorText = sectionText((mentorHome.args.view as { blocks: Block[] }).blocks);
    expect(mentorText).toContain('Du og Astrid');
    expect(mentorText).toContain('Næste møde');
    expect(mentorText).not.toContain('Status');

    await h.send(slackPayload.event({ type: 'app_home_opened', user: 'UCOORD', channel: 'DUCOORD', tab: 'home' }, 'EvHome2'));
    const coordinatorHome = await waitFor(() => h.slack.of('views.publish')[1], 'the coordinator’s home');
    expect(sectionText((coordinatorHome.args.view as { blocks: Block[] }).blocks)).toContain('Status: Efterår 2026');
  });

  it('imports a participants CSV a coordinator sends in the DM, and refuses it from anyone else', async () => {
    const csv = 'role,name,email,locale,slack_id,teams_id,faculty,education,interests,company,job_title,capacity\nmentee,Bo Ny,bo@student.example.dk,da,UBO,,Science,Biologi,data;ledelse,,,\nmentor,Eva Ny,eva@firma.example.dk,en,,,Science,,,Novo,Data lead,2\n';
    const url = h.slack.hostFile('deltagere.csv', csv);
    const fileEvent = (user: string, id: string) =>
      slackPayload.event({ type: 'message', subtype: 'file_share', channel_type: 'im', channel: `D${user}`, user, text: '', files: [{ id: 'F1', name: 'deltagere.csv', size: csv.length, url_private_download: url }] }, id);
    await h.send(fileEvent('UMENTEE', 'EvFile1'));
    const refusal = await waitFor(() => h.posted('UMENTEE')[0], 'the refusal');
    expect(refusal.text).toContain('Kun programmets koordinatorer');
    expect(h.core.db.prepare("SELECT count(*) AS n FROM people WHERE email = 'bo@student.example.dk'").get()).toEqual({ n: 0 });

    await h.send(fileEvent('UCOORD', 'EvFile2'));
    const done = await waitFor(() => h.posted('UCOORD')[0], 'the import result');
    expect(done.text).toContain('nye 2');
    expect(h.core.db.prepare("SELECT address FROM identities WHERE platform = 'slack' AND platform_id = 'UBO'").get()).toEqual({ address: 'slack:UBO' });

    const bad = h.slack.hostFile('forkert.csv', 'role,name,email\nboss,X,not-an-email\n');
    await h.send(slackPayload.event({ type: 'message', subtype: 'file_share', channel_type: 'im', channel: 'DUCOORD', user: 'UCOORD', text: '', files: [{ name: 'forkert.csv', size: 40, url_private_download: bad }] }, 'EvFile3'));
    const refused = await waitFor(() => h.posted('UCOORD')[1], 'the refused import');
    expect(refused.text).toContain('blev ikke importeret');
    expect(refused.text).toContain('linje 2, email: er ikke en e-mailadresse');
  });

  it('finds a participant known only by e-mail: in the workspace at start, or when they write', async () => {
    const id = createPerson(h.core, { name: 'Eva Ny', email: 'eva@firma.example.dk' });
    addParticipant(h.core, h.ids.programme, id, 'mentor');
    const other = createPerson(h.core, { name: 'Ole Ny', email: 'ole@firma.example.dk' });
    addParticipant(h.core, h.ids.programme, other, 'mentor');
    h.slack.addUser('UEVA', 'Eva@Firma.example.dk');
    h.slack.addUser('UOLE', 'ole@firma.example.dk');
    h.slack.failNext('users.lookupByEmail', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } });
    expect(await h.adapter.people.resolveByEmail()).toBe(2);
    expect(h.core.db.prepare("SELECT person_id, address, workspace FROM identities WHERE platform = 'slack' AND platform_id = 'UEVA'").get()).toEqual({ person_id: id, address: 'slack:UEVA', workspace: null });

    const late = createPerson(h.core, { name: 'Sif Sen', email: 'sif@student.example.dk' });
    addParticipant(h.core, h.ids.programme, late, 'mentee');
    h.slack.addUser('USIF', 'sif@student.example.dk');
    await h.dm('USIF', 'help');
    await waitFor(() => h.posted('USIF')[0], 'the reply to a person found by e-mail');
    expect(h.posted('USIF')[0]!.text).toContain('hjælp');
    expect(h.core.db.prepare("SELECT person_id, workspace FROM identities WHERE platform = 'slack' AND platform_id = 'USIF'").get()).toEqual({ person_id: late, workspace: 'T1' });
  });
});

describe('Slack: Socket Mode', () => {
  it('receives events and commands over the WebSocket, with no HTTP path of its own', async () => {
    const slack = await startFakeSlack();
    const core = openCore({ databasePath: tempDatabasePath(), clock: createFakeClock('2026-10-01T08:00:00Z'), log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    seed(core);
    const adapter = createSlackAdapter(core, { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: slack.apiUrl, paceMs: 0, resolveEmails: false }, silentLogger);
    const { bot, scheduler } = assemble(core, adapter.messenger);
    try {
      await adapter.start(bot);
      expect(adapter.routes).toEqual([]);
      await slack.socketConnected();
      expect(slack.of('apps.connections.open')[0]!.token).toBe('xapp-test');

      const ack = await slack.socketSend('events_api', JSON.parse(slackPayload.dm('UMENTEE', 'help', 'EvSocket1')) as Record<string, unknown>);
      expect(ack.envelope_id).toBe('env-1');
      await waitFor(() => slack.of('chat.postMessage').find((c) => c.args.channel === 'DUMENTEE'), 'the reply over the Web API');

      await slack.socketSend('slash_commands', Object.fromEntries(new URLSearchParams(slackPayload.command('UCOORD', 'status', `${slack.root}/respond/socket`))));
      const status = await waitFor(() => slack.responses[0], 'the ephemeral status');
      expect(String(status.text)).toContain('Efterår 2026');
    } finally {
      await scheduler.stop();
      await adapter.stop();
      core.db.close();
      await slack.close();
    }
  });
});
