/**
 * Stopping gracefully, on a real server (startServer, on loopback) in front of a slow Slack: a small
 * proxy holds users.info and chat.postMessage before passing them to the fake Slack. A form is
 * submitted (its answer waits for users.info) and a planned message is being posted when the stop
 * begins — what SIGTERM does (bin/cli.ts calls the same stop with SHUTDOWN_TIMEOUT_MS). Meanwhile
 * /healthz and /readyz answer 503 and new work is refused; the form gets its real answer, the
 * delivery is recorded, and only then does the server close. A request slower than the deadline is
 * cut at the deadline.
 */
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../adapters/http';
import { startServer, type RunningServer } from '../../bin/server';
import { seedDeliveries } from '../../scripts/seed-deliveries';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(30_000);

interface SlowSlack {
  apiUrl: string;
  /** Calls of each held method that have reached the proxy. */
  arrived: Record<string, number>;
  close(): Promise<void>;
}

/** Forwards every Web API call to the fake Slack, holding the named methods for `delayMs` first. */
async function slowSlack(target: FakeSlack, hold: Record<string, number>): Promise<SlowSlack> {
  const self: SlowSlack = { apiUrl: '', arrived: {}, close: async () => {} };
  const holding = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      if (hold[method] !== undefined) {
        self.arrived[method] = (self.arrived[method] ?? 0) + 1;
        await new Promise((resolve) => {
          const timer = setTimeout(() => resolve(holding.delete(timer)), hold[method]);
          holding.add(timer);
        });
      }
      const answer = await fetch(`${target.root}${req.url}`, { method: req.method, headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: req.method === 'POST' ? body : undefined });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  self.close = () =>
    new Promise((resolve) => {
      for (const timer of holding) clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return self;
}

async function serve(apiUrl: string, databasePath: string): Promise<{ server: RunningServer; url: string }> {
  const config = { ...loadConfig({ DATABASE_PATH: databasePath, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: apiUrl }), port: 0 };
  const server = await startServer(config, silentLogger, { owner: `shutdown:${process.pid}`, host: '127.0.0.1' });
  return { server, url: `http://127.0.0.1:${server.port}` };
}

/** A stranger submits a form: Bolt answers only after the handler has asked Slack who they are. */
function submitForm(url: string): Promise<{ status: number; text: string }> {
  const body = slackPayload.interaction({
    type: 'view_submission',
    user: { id: 'USTRANGER', team_id: 'T1' },
    view: { id: 'V1', type: 'modal', callback_id: 'sparring_answer', private_metadata: '{"questionId":"prep.say"}', state: { values: {} } },
  });
  return sendSigned(`${url}/slack/events`, 'secret', body, { contentType: 'application/x-www-form-urlencoded' });
}

describe('stopping gracefully', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.close());

  it('answers 503 on /healthz and /readyz, refuses new work, and lets the request and the delivery under way finish first', async () => {
    const slow = await slowSlack(slack, { 'users.info': 1500, 'chat.postMessage': 1500 });
    const databasePath = tempDatabasePath();
    const { keys } = seedDeliveries(databasePath, 1, { platform: 'slack' });
    const { server, url } = await serve(slow.apiUrl, databasePath);
    try {
      await until(() => slow.arrived['chat.postMessage'] === 1, 'the delivery to reach Slack');
      const form = submitForm(url);
      await until(() => slow.arrived['users.info'] === 1, 'the form’s handler to ask Slack');

      const signalled = Date.now();
      const stopped = server.stop(8000);
      const healthz = await fetch(`${url}/healthz`);
      expect([healthz.status, await healthz.text()]).toEqual([503, 'stopping']);
      const readyz = await fetch(`${url}/readyz`);
      expect(readyz.status).toBe(503);
      expect(((await readyz.json()) as { status: string }).status).toBe('stopping');
      const late = await sendSigned(`${url}/slack/events`, 'secret', JSON.stringify({ type: 'url_verification', challenge: 'late' }));
      expect(late.status).toBe(503);

      // The form started before the stop gets its real answer.
      const answered = await form;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.text)).toMatchObject({ response_action: 'errors' });

      await stopped;
      const took = Date.now() - signalled;
      expect(took).toBeGreaterThanOrEqual(1000);
      expect(took).toBeLessThan(8000);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();

      // The delivery under way was accepted and recorded, once.
      expect(slack.of('chat.postMessage').filter((c) => c.ok)).toHaveLength(1);
      const db = new Database(databasePath, { readonly: true });
      const row = db.prepare('SELECT status FROM nudges WHERE key = ?').get([...keys.values()][0]) as { status: string };
      db.close();
      expect(row.status).toBe('delivered');
    } finally {
      await slow.close();
    }
  });

  it('cuts a request still under way when the deadline has passed', async () => {
    const slow = await slowSlack(slack, { 'users.info': 5000 });
    const { server, url } = await serve(slow.apiUrl, tempDatabasePath());
    try {
      const form = submitForm(url).then(
        (r) => r.status,
        () => 'cut',
      );
      await until(() => slow.arrived['users.info'] === 1, 'the form’s handler to ask Slack');

      const signalled = Date.now();
      await server.stop(1000);
      expect(Date.now() - signalled).toBeLessThan(2000);
      expect(await form).toBe('cut');
    } finally {
      await slow.close();
    }
  });
});
