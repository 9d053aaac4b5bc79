/**
 * GET /healthz and request ids on a real server (startServer, on loopback). /healthz only says the
 * process is alive. Every request gets an id — the caller's `x-request-id` when it is a short safe
 * token, else a new one — sent back in the response and written on every log line of its handling,
 * down into the adapter's work after Slack has been answered; the scheduler's ticks, which a request
 * may wake, are not part of it.
 */
import { startServer, type RunningServer } from '../../bin/server';
import { loadConfig } from '../../src/config';
import { createLogger, silentLogger, type Logger } from '../../src/log';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';
import { seedDeliveries, slackUser } from '../../scripts/seed-deliveries';

jest.setTimeout(30_000);

async function serve(env: Record<string, string>, log: Logger = silentLogger): Promise<{ server: RunningServer; url: string }> {
  const config = { ...loadConfig({ DATABASE_PATH: env.DATABASE_PATH ?? tempDatabasePath(), ...env }), port: 0 };
  const server = await startServer(config, log, { owner: `healthz:${process.pid}`, host: '127.0.0.1' });
  return { server, url: `http://127.0.0.1:${server.port}` };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('/healthz and request ids', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.close());
  const slackEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl });

  it('says alive, and answers each request with its id: the caller’s when it is a short safe token, else a new one', async () => {
    const { server, url } = await serve(slackEnv());
    try {
      const alive = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.42:1' } });
      expect([alive.status, await alive.text(), alive.headers.get('cache-control')]).toEqual([200, 'ok', 'no-store']);
      expect(alive.headers.get('x-request-id')).toBe('lb-7f3a.42:1');

      for (const unsafe of ['two words', 'a'.repeat(65), '<script>', '']) {
        const response = await fetch(`${url}/healthz`, { headers: { 'x-request-id': unsafe } });
        expect(response.headers.get('x-request-id')).toMatch(UUID);
      }
      const first = (await fetch(`${url}/nowhere`)).headers.get('x-request-id');
      const second = (await fetch(`${url}/nowhere`)).headers.get('x-request-id');
      expect(first).toMatch(UUID);
      expect(second).toMatch(UUID);
      expect(first).not.toBe(second);
    } finally {
      await server.stop(2000);
    }
  });

  it('writes the request id on the log lines of its handling, also after Slack has been answered', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const { server, url } = await serve(slackEnv(), log);
    try {
      // A stranger writes; the reply cannot be posted, which the adapter logs after the ack.
      slack.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
      const event = slackPayload.dm('USTRANGER', 'hej', 'Ev-request-id');
      const acked = await sendSigned(`${url}/slack/events`, 'secret', event, { headers: { 'x-request-id': 'req-slack-1' } });
      expect(acked.status).toBe(200);
      await until(() => lines.some((l) => l.msg === 'a reply could not be posted'), 'the failed reply to be logged');
      expect(lines.find((l) => l.msg === 'a reply could not be posted')).toMatchObject({ requestId: 'req-slack-1', level: 'warn' });

      // Lines written outside any request carry no id.
      expect(lines.find((l) => l.msg === 'Sparring is running')).not.toHaveProperty('requestId');
    } finally {
      await server.stop(2000);
    }
  });

  it('keeps the scheduler’s ticks out of the request that woke them', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const databasePath = tempDatabasePath();
    seedDeliveries(databasePath, 1, { platform: 'slack' }, { dueAt: Date.now() + 3_600_000 });
    const { server, url } = await serve({ ...slackEnv(), DATABASE_PATH: databasePath }, log);
    try {
      // A participant writes; Slack fails the reply for now, so it is planned, and the request wakes the scheduler to send it.
      slack.failNext('chat.postMessage', { body: { ok: false, error: 'internal_error' } });
      const acked = await sendSigned(`${url}/slack/events`, 'secret', slackPayload.dm(slackUser(1), 'hjælp', 'Ev-wakes'), { headers: { 'x-request-id': 'req-slack-2' } });
      expect(acked.status).toBe(200);
      await until(() => lines.some((l) => l.msg === 'tick' && l.delivered === 1), 'the planned reply to go out on a tick');

      expect(lines.find((l) => l.msg === 'a reply could not be posted')).toMatchObject({ requestId: 'req-slack-2' });
      expect(lines.find((l) => l.msg === 'tick')).not.toHaveProperty('requestId');
    } finally {
      await server.stop(2000);
    }
  });
});
