/**
 * Hostile requests to /slack/events, through the real Bolt receiver on loopback and a fake Slack Web
 * API: a replayed command or click is handled once, a timestamp from the future is refused, an
 * oversized body is refused while it streams (memory stays flat), malformed signed payloads neither
 * crash the process nor give a 500 and store nothing, and replies go to the person's own DM whatever
 * channel a payload names.
 */
import { request } from 'node:http';
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { createSlackAdapter } from '../../adapters/slack/app';
import type { Core } from '../../src/core';
import { silentLogger } from '../../src/log';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock } from '../helpers/fake-clock';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { tempDatabasePath } from '../helpers/sparring';

const SECRET = 'test-signing-secret';
const FORM = { contentType: 'application/x-www-form-urlencoded' };

let slack: FakeSlack;
let core: Core;
let scheduler: Scheduler;
let http: HttpServer;
let url: string;
const strays: unknown[] = [];
const onStray = (reason: unknown) => strays.push(reason);

const send = (body: string, options: Parameters<typeof sendSigned>[3] = {}) => sendSigned(url, SECRET, body, options);
const interaction = (payload: Record<string, unknown>) => slackPayload.interaction(payload);
const postsTo = (channel: string) => slack.of('chat.postMessage').filter((c) => c.ok && c.args.channel === channel);
const storedEvents = () => (core.db.prepare('SELECT count(*) AS n FROM slack_events').get() as { n: number }).n;
const settle = (ms = 250) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(probe: () => boolean, what: string, ms = 4000): Promise<void> {
  const until = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await settle(10);
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onStray);
  slack = await startFakeSlack();
  core = openCore({ databasePath: tempDatabasePath(), clock: createFakeClock('2026-10-01T08:00:00Z'), log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  for (const [name, slackId, role] of [['Astrid Holm', 'UMENTEE', 'mentee'], ['Jonas Berg', 'UMENTOR', 'mentor']] as const) {
    const id = createPerson(core, { name, email: `${slackId.toLowerCase()}@example.dk` });
    addIdentity(core, id, 'slack', slackId, `slack:${slackId}`);
    addParticipant(core, programme.id, id, role);
  }
  const adapter = createSlackAdapter(core, { botToken: 'xoxb-test', signingSecret: SECRET, apiUrl: slack.apiUrl, paceMs: 0, resolveEmails: false }, silentLogger);
  const assembled = assemble(core, adapter.messenger);
  scheduler = assembled.scheduler;
  await adapter.start(assembled.bot);
  http = await startHttpServer(0, adapter.routes, silentLogger, '127.0.0.1');
  url = `http://127.0.0.1:${http.port}/slack/events`;
});

afterAll(async () => {
  await scheduler.stop();
  await http.close();
  core.db.close();
  await slack.close();
  process.off('unhandledRejection', onStray);
});

describe('Slack: each request handled at most once', () => {
  it('handles a replayed slash command once', async () => {
    const body = slackPayload.command('UMENTEE', 'help', `${slack.root}/respond/replay`);
    const before = slack.responses.length;
    expect((await send(body, FORM)).status).toBe(200);
    await waitFor(() => slack.responses.length === before + 1, 'the answer to the command');
    expect((await send(body, FORM)).status).toBe(200);
    await settle();
    expect(slack.responses.length).toBe(before + 1);
  });

  it('handles a replayed button click once', async () => {
    const click = interaction({
      type: 'block_actions',
      user: { id: 'UMENTOR', team_id: 'T1' },
      trigger_id: 'trigger-replay',
      actions: [{ type: 'button', block_id: 'q:prep.share', action_id: 'answer:yes', value: 'yes', action_ts: '1700000000.1' }],
    });
    expect((await send(click, FORM)).status).toBe(200);
    await waitFor(() => postsTo('DUMENTOR').length === 1, 'the reply to the click');
    expect((await send(click, FORM)).status).toBe(200);
    await settle();
    expect(postsTo('DUMENTOR')).toHaveLength(1);
  });

  it('refuses a request signed with a timestamp an hour in the future', async () => {
    const events = storedEvents();
    const future = await send(slackPayload.dm('UMENTEE', 'help', 'EvFuture'), { timestamp: Math.floor(Date.now() / 1000) + 60 * 60 });
    expect(future.status).toBe(401);
    await settle();
    expect(storedEvents()).toBe(events);
  });
});

/** Streams `total` bytes (unsigned, chunked: no length announced) and says how the server answered. */
function streamBody(total: number): Promise<number | 'cut'> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (result: number | 'cut') => {
      if (!done) (done = true), resolve(result);
    };
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      finish(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => finish('cut'));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe('Slack: a body larger than 1 MB', () => {
  it('is refused with 413 while it streams, before the signature check, and memory stays flat', async () => {
    const size = 50 * 1024 * 1024;
    global.gc?.();
    const before = process.memoryUsage().rss;
    const answer = await streamBody(size);
    const growth = process.memoryUsage().rss - before;
    expect(answer).toBe(413);
    expect(growth).toBeLessThan(size / 5);
  });

  it('is refused at once when its announced length is too large', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(response.status).toBe(413);
  });
});

describe('Slack: malformed signed payloads', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const malformed: [string, string, string?][] = [
    ['payload=null', 'payload=null', FORM.contentType],
    ['payload that is not JSON', form({ payload: '{not json' }), FORM.contentType],
    ['payload that is a list', form({ payload: '[]' }), FORM.contentType],
    ['payload that is a string', form({ payload: '"block_actions"' }), FORM.contentType],
    ['block_actions without user or actions', form({ payload: '{"type":"block_actions"}' }), FORM.contentType],
    ['block_actions with no actions', interaction({ type: 'block_actions', user: { id: 'UMENTEE' }, actions: [] }), FORM.contentType],
    ['block_actions with a null user', interaction({ type: 'block_actions', user: null, actions: [{ action_id: 'answer:x', block_id: 'q:x', action_ts: '1' }] }), FORM.contentType],
    ['block_actions with an empty action', interaction({ type: 'block_actions', user: { id: 'UMENTEE' }, actions: [{}] }), FORM.contentType],
    ['view_submission without a view', interaction({ type: 'view_submission', user: { id: 'UMENTEE' } }), FORM.contentType],
    ['view_submission with a null state', interaction({ type: 'view_submission', user: { id: 'UMENTEE' }, view: { id: 'V9', callback_id: 'sparring_answer', private_metadata: '{}', state: null } }), FORM.contentType],
    ['view_closed without a user', interaction({ type: 'view_closed', view: { id: 'V9', callback_id: 'sparring_answer' } }), FORM.contentType],
    ['a command without a user', form({ command: '/mentor', text: 'help', team_id: 'T1', trigger_id: 't', response_url: `${'http'}://127.0.0.1/x` }), FORM.contentType],
    ['a command without text', form({ command: '/mentor', user_id: 'UMENTEE', team_id: 'T1', trigger_id: 't2', response_url: `${'http'}://127.0.0.1/x` }), FORM.contentType],
    ['JSON null', 'null'],
    ['a JSON list', '[]'],
    ['an event callback without an event', JSON.stringify({ type: 'event_callback', event_id: 'EvBad1' })],
    ['an event that is null', JSON.stringify({ type: 'event_callback', event_id: 'EvBad2', event: null })],
    ['a message whose user is a number', slackPayload.event({ type: 'message', channel_type: 'im', channel: 'DUMENTEE', user: 42, text: 'hej' }, 'EvBad3')],
    ['a body that is not JSON', '{"type":'],
  ];

  it('never crash the process, never give a 500, and store nothing', async () => {
    const calls = slack.calls.length;
    const events = storedEvents();
    const answers: Record<string, number> = {};
    for (const [name, body, contentType] of malformed) answers[name] = (await send(body, { contentType })).status;
    await settle(400);
    for (const [name] of malformed) expect({ name, ok: [200, 400].includes(answers[name]!) }).toEqual({ name, ok: true });
    expect(strays).toEqual([]);
    expect(slack.calls.length).toBe(calls);
    expect(storedEvents()).toBe(events);
    // Still serving: a well-formed DM afterwards is answered.
    const dmBefore = postsTo('DUMENTEE').length;
    expect((await send(slackPayload.dm('UMENTEE', 'help', 'EvAfterMalformed'))).status).toBe(200);
    await waitFor(() => postsTo('DUMENTEE').length === dmBefore + 1, 'the reply after the malformed requests');
  });
});

describe('Slack: replies go to the person’s own DM', () => {
  it('answers a click that names another channel in the clicker’s DM', async () => {
    const before = postsTo('DUMENTEE').length;
    const click = interaction({
      type: 'block_actions',
      user: { id: 'UMENTEE', team_id: 'T1' },
      trigger_id: 'trigger-forged',
      channel: { id: 'CPUBLIC' },
      container: { type: 'message', channel_id: 'CPUBLIC', message_ts: '1' },
      actions: [{ type: 'button', block_id: 'q:prep.share', action_id: 'answer:yes', value: 'yes', action_ts: '1700000001.1' }],
    });
    expect((await send(click, FORM)).status).toBe(200);
    await waitFor(() => postsTo('DUMENTEE').length === before + 1, 'the reply in the DM');
    expect(postsTo('CPUBLIC')).toHaveLength(0);
  });

  it('answers a DM event that names someone else’s DM in the writer’s own DM', async () => {
    const before = postsTo('DUMENTEE').length;
    const mentorBefore = postsTo('DUMENTOR').length;
    const forged = slackPayload.event({ type: 'message', channel_type: 'im', channel: 'DUMENTOR', user: 'UMENTEE', text: 'help' }, 'EvForgedChannel');
    expect((await send(forged)).status).toBe(200);
    await waitFor(() => postsTo('DUMENTEE').length === before + 1, 'the reply in the writer’s DM');
    await settle();
    expect(postsTo('DUMENTOR')).toHaveLength(mentorBefore);
  });
});

describe('Slack: response_url only to Slack', () => {
  it('refuses a signed command whose response_url points outside Slack, and answers nowhere', async () => {
    const before = slack.responses.length;
    const calls = slack.calls.length;
    for (const target of ['https://evil.example/steal', 'http://hooks.slack.com/commands/T1/1/x', 'https://hooks.slack.com.evil.example/x']) {
      const body = slackPayload.command('UMENTEE', 'mydata', target);
      expect((await send(body, FORM)).status).toBe(400);
    }
    await settle();
    expect(slack.responses.length).toBe(before);
    expect(slack.calls.length).toBe(calls);
  });
});

describe('Slack: Socket Mode gets the same checks', () => {
  it('handles a re-sent command envelope once, drops malformed and foreign-response_url payloads, and keeps serving', async () => {
    const socketSlack = await startFakeSlack();
    const socketCore = openCore({ databasePath: tempDatabasePath(), clock: createFakeClock('2026-10-01T08:00:00Z'), log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const programme = createProgramme(socketCore, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const id = createPerson(socketCore, { name: 'Astrid Holm', email: 'astrid@example.dk' });
    addIdentity(socketCore, id, 'slack', 'UMENTEE', 'slack:UMENTEE');
    addParticipant(socketCore, programme.id, id, 'mentee');
    const adapter = createSlackAdapter(socketCore, { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: socketSlack.apiUrl, paceMs: 0, resolveEmails: false }, silentLogger);
    const { bot, scheduler: socketScheduler } = assemble(socketCore, adapter.messenger);
    try {
      await adapter.start(bot);
      await socketSlack.socketConnected();
      const command = Object.fromEntries(new URLSearchParams(slackPayload.command('UMENTEE', 'help', `${socketSlack.root}/respond/socket`)));
      await socketSlack.socketSend('slash_commands', command);
      await waitFor(() => socketSlack.responses.length === 1, 'the answer to the command');
      // Slack re-sends an envelope it saw no acknowledgement for: a new envelope, the same command.
      const again = await socketSlack.socketSend('slash_commands', command);
      expect(again.envelope_id).toBeDefined();
      await settle();
      expect(socketSlack.responses).toHaveLength(1);

      const calls = socketSlack.calls.length;
      const bad: ['slash_commands' | 'interactive' | 'events_api', Record<string, unknown>][] = [
        ['interactive', { type: 'block_actions', actions: [] }],
        ['interactive', { type: 'block_actions', user: null, actions: [{ action_id: 'answer:x', block_id: 'q:x', action_ts: '1' }] }],
        ['interactive', { type: 'view_submission', user: { id: 'UMENTEE' } }],
        ['slash_commands', { ...command, trigger_id: 'other', response_url: 'https://evil.example/steal' }],
        ['slash_commands', { command: '/mentor', team_id: 'T1' }],
        ['events_api', { type: 'event_callback', event_id: 'EvSockBad', event: { type: 'message', channel_type: 'im', channel: 'DUMENTEE', user: 42, text: 'hej' } }],
      ];
      const acked: Record<string, boolean> = {};
      for (const [type, payload] of bad) {
        const ack = await Promise.race([socketSlack.socketSend(type, payload).then(() => true), settle(1500).then(() => false)]);
        acked[JSON.stringify(payload).slice(0, 60)] = ack;
      }
      await settle(400);
      expect(Object.entries(acked).filter(([, ok]) => !ok).map(([p]) => p)).toEqual([]);
      expect(socketSlack.calls.length).toBe(calls);
      expect(socketSlack.responses).toHaveLength(1);
      expect(strays).toEqual([]);

      await socketSlack.socketSend('events_api', JSON.parse(slackPayload.dm('UMENTEE', 'help', 'EvSockGood')) as Record<string, unknown>);
      await waitFor(() => socketSlack.of('chat.postMessage').some((c) => c.args.channel === 'DUMENTEE'), 'the reply after the bad payloads');
    } finally {
      await socketScheduler.stop();
      await adapter.stop();
      socketCore.db.close();
      await socketSlack.close();
    }
  });
});
