/**
 * Logs never carry what people wrote or secrets, at any level. A season's worth of Slack traffic at
 * LOG_LEVEL=debug (the real Bolt receiver, the real Web API client, a fake Slack on loopback), with
 * marked words in every answer, a modal, a worry, a refused date, App Home and the agenda the mentor
 * receives: not one log line holds a marked word, the bot token or the signing secret.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/app';
import type { Block } from '../../adapters/slack/blocks';
import type { Core } from '../../src/core';
import { createLogger, libraryLine, maskSecrets, withLogContext, type Logger } from '../../src/log';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { assemble, openCore } from '../../src/sparring';
import { waitFor } from '../helpers/wait';
import { createFakeClock } from '../helpers/fake-clock';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { bookWithOnlyPrep, tempDatabasePath } from '../helpers/sparring';

const SECRET = 'test-signing-secret-7f3a';
const TOKEN = 'xoxb-1234-5678-abcdefSECRET';

function capture(): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', { write: (line) => lines.push(line) }) };
}

describe('the logger', () => {
  it('writes one JSON line per entry whose time, level, msg and scope a caller cannot overwrite', () => {
    const { lines, log } = capture();
    log.child('bot').info('handled', { level: 'fatal', time: 'never', msg: 'forged', scope: 'x', requestId: 'r', rows: 3 });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', msg: 'handled', scope: 'sparring.bot', rows: 3, field_level: 'fatal', field_msg: 'forged', field_scope: 'x', field_requestId: 'r' });
    expect(Date.parse(String(entry.time))).not.toBeNaN();
  });

  it('redacts fields that can hold words or credentials, at the top and one level down', () => {
    const { lines, log } = capture();
    log.debug('posted', { text: 'Jeg er bange for eksamen', answer: 'hemmeligt', token: TOKEN, call: { body: 'DM-tekst', blocks: [{ text: 'x' }] }, channel: 'D1' });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ text: '[redacted]', answer: '[redacted]', token: '[redacted]', call: { body: '[redacted]', blocks: '[redacted]' }, channel: 'D1' });
  });

  it('masks tokens wherever they appear in a message or a string field', () => {
    const { lines, log } = capture();
    log.warn(`auth failed for ${TOKEN}`, { error: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig rejected', hint: 'xapp-1-A1-xyz' });
    expect(lines[0]).not.toContain('SECRET');
    expect(lines[0]).not.toContain('eyJzdWIi');
    expect(lines[0]).not.toContain('xapp-1');
    expect(maskSecrets('token xoxp-1-2-3 here')).toBe('token [secret] here');
  });

  it('puts the request id of the request being handled on every line, however deep and async', async () => {
    const { lines, log } = capture();
    await withLogContext({ requestId: 'req-42' }, async () => {
      log.info('first');
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.child('deep').info('second');
    });
    log.info('outside');
    expect(lines.map((l) => (JSON.parse(l) as { requestId?: string }).requestId)).toEqual(['req-42', 'req-42', undefined]);
  });

  it('cuts a library’s line before anything that could be a payload', () => {
    expect(libraryLine(['http request body: {"channel":"D1","text":"Jeg har det svært"}'])).toBe('http request body:');
    expect(libraryLine(['http request url:', 'https://slack.com/api/chat.postMessage'])).toBe('http request url: https://slack.com/api/chat.postMessage');
    expect(libraryLine(['apiCall("chat.postMessage") start'])).toBe('apiCall(');
  });

  it('writes pretty, redacted lines for people to the local chat’s log file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sparring-log-')), 'logs', 'sparring.log');
    createLogger('info', { prettyFile: file }).child('bot').warn('a reply could not be sent', { rows: 2, text: 'Jeg er bange' });
    const written = readFileSync(file, 'utf8');
    expect(written).toMatch(/WARN: a reply could not be sent/);
    expect(written).toContain('sparring.bot');
    expect(written).not.toContain('bange');
  });

  it('writes nothing below its level', () => {
    const lines: string[] = [];
    const log = createLogger('warn', { write: (l) => lines.push(l) });
    log.debug('a');
    log.info('b');
    log.warn('c');
    expect(lines).toHaveLength(1);
  });
});


describe('a season at LOG_LEVEL=debug', () => {
  let slack: FakeSlack;
  let core: Core;
  let adapter: SlackAdapter;
  let scheduler: Scheduler;
  let http: HttpServer;
  let url: string;
  const { lines, log } = capture();

  beforeAll(async () => {
    slack = await startFakeSlack();
    core = openCore({ databasePath: tempDatabasePath(), clock: createFakeClock('2026-10-05T10:00:00Z'), log, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const person = (name: string, slackId: string, role: Role) => {
      const id = createPerson(core, { name, email: `${slackId.toLowerCase()}@example.dk` });
      addIdentity(core, id, 'slack', slackId, `slack:${slackId}`);
      addParticipant(core, programme.id, id, role);
      return id;
    };
    const mentee = person('Astrid Holm', 'UMENTEE', 'mentee');
    const mentor = person('Jonas Berg', 'UMENTOR', 'mentor');
    person('Karen Lund', 'UCOORD', 'coordinator');
    const pair = createPair(core, programme.id, mentee, mentor);
    bookWithOnlyPrep(core, pair);
    adapter = createSlackAdapter(core, { botToken: TOKEN, signingSecret: SECRET, apiUrl: slack.apiUrl, paceMs: 0, resolveEmails: false }, log);
    const assembled = assemble(core, adapter.messenger);
    scheduler = assembled.scheduler;
    await adapter.start(assembled.bot);
    http = await startHttpServer(0, adapter.routes, log, '127.0.0.1');
    url = `http://127.0.0.1:${http.port}/slack/events`;
  });

  afterAll(async () => {
    await scheduler.stop();
    await http.close();
    await adapter.stop();
    core.db.close();
    await slack.close();
  });

  const send = (body: string, form = false) => sendSigned(url, SECRET, body, form ? { contentType: 'application/x-www-form-urlencoded' } : {});
  const posted = (user: string) => slack.of('chat.postMessage').filter((c) => c.ok && c.args.channel === `D${user}`).map((c) => ({ text: String(c.args.text), blocks: c.args.blocks as Block[] }));

  it('logs at debug, and no line holds a word anyone wrote, a word the bot wrote to them, or a secret', async () => {
    await scheduler.runOnce();
    const prompt = await waitFor(() => posted('UMENTEE')[0], 'the prep prompt');

    await send(slackPayload.dm('UMENTEE', 'Markørord-sige: min praktikansøgning hos Novo', 'EvL1'));
    await waitFor(() => posted('UMENTEE').length >= 2, 'the second question');
    // A worry where the answer would reach the partner: asked about, signposted.
    await send(slackPayload.dm('UMENTEE', 'Markørord-bekymring jeg har det virkelig svært og sover ikke', 'EvL2'));
    await waitFor(() => posted('UMENTEE').length >= 3, 'the worry answered');
    await send(slackPayload.dm('UMENTEE', 'annuller', 'EvL3'));
    await waitFor(() => posted('UMENTEE').length >= 4, 'the cancel');

    // A modal opened from the prompt's button, and an answer submitted there.
    const actions = prompt.blocks.find((b) => b.type === 'actions');
    if (actions) {
      const button = (actions.elements as { action_id: string; value: string }[])[0]!;
      await send(
        slackPayload.interaction({
          type: 'block_actions',
          user: { id: 'UMENTEE', team_id: 'T1' },
          trigger_id: 'trigger-log',
          channel: { id: 'DUMENTEE' },
          container: { type: 'message', channel_id: 'DUMENTEE' },
          message: { ts: '1700000001.000100', blocks: prompt.blocks },
          actions: [{ type: 'button', block_id: actions.block_id, action_id: button.action_id, value: button.value, action_ts: '11' }],
        }),
        true,
      );
    }

    // A slash command with words, a refused date, App Home.
    await send(slackPayload.command('UMENTEE', 'book Markørord-dato', `${slack.root}/respond/UMENTEE`), true);
    await send(slackPayload.command('UMENTOR', 'emner Markørord-emne', `${slack.root}/respond/UMENTOR`), true);
    await send(slackPayload.event({ type: 'app_home_opened', user: 'UMENTEE', channel: 'DUMENTEE', tab: 'home' }, 'EvL4'));
    await waitFor(() => slack.of('views.publish').length >= 1, 'App Home');

    // The mentee prepares again and shares the agenda; the mentor receives it through the scheduler.
    await send(slackPayload.command('UMENTEE', 'forbered', `${slack.root}/respond/UMENTEE`), true);
    const before = posted('UMENTEE').length;
    await send(slackPayload.dm('UMENTEE', 'Markørord-sige2 om lønforhandling', 'EvL5'));
    await waitFor(() => posted('UMENTEE').length > before, 'the next prep question');
    await send(slackPayload.dm('UMENTEE', 'Markørord-høre hvordan man starter', 'EvL6'));
    await send(slackPayload.dm('UMENTEE', 'Markørord-opnå en plan', 'EvL7'));
    await send(slackPayload.dm('UMENTEE', 'spring over', 'EvL8'));
    await send(slackPayload.dm('UMENTEE', 'ja', 'EvL9'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await scheduler.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The test saw real traffic: the answers are stored and many debug lines were written.
    const stored = JSON.stringify(core.db.prepare('SELECT answer FROM prep_answers').all());
    expect(stored).toContain('Markørord-sige2');
    const everything = JSON.stringify(slack.calls.map((c) => c.args));
    expect(everything).toContain('Markørord');
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.some((l) => (JSON.parse(l) as { level: string }).level === 'debug')).toBe(true);

    const leaks = lines.filter((l) => /markørord|praktikansøgning|sover ikke|lønforhandling/i.test(l) || l.includes(TOKEN) || l.includes('SECRET') || l.includes(SECRET));
    expect(leaks).toEqual([]);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
