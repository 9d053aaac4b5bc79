/**
 * SIGTERM while a delivery is under way: the process stops claiming, lets the delivery finish,
 * records it and exits 0 within SHUTDOWN_TIMEOUT_MS. Slack is slow here: a small proxy in front of
 * the fake Slack holds every chat.postMessage for two seconds.
 */
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../adapters/http';
import { startBot } from '../../scripts/bot-process';
import { seedDeliveries } from '../../scripts/seed-deliveries';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { freePort, until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(60_000);

interface SlowSlack {
  apiUrl: string;
  /** chat.postMessage requests that have reached the proxy (answered or not). */
  posts: number;
  close(): Promise<void>;
}

/** Forwards every Web API call to `target`, holding chat.postMessage for `delayMs` first. */
async function slowSlack(target: FakeSlack, delayMs: number): Promise<SlowSlack> {
  const self = { apiUrl: '', posts: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if ((req.url ?? '').includes('chat.postMessage')) {
        self.posts += 1;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      const answer = await fetch(`${target.root}${req.url}`, { method: req.method, headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: req.method === 'POST' ? body : undefined });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  self.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return self;
}

describe('stopping on SIGTERM', () => {
  it('finishes the delivery under way, records it and exits 0 within the deadline', async () => {
    const slack = await startFakeSlack();
    const slow = await slowSlack(slack, 2000);
    const databasePath = tempDatabasePath();
    const { keys } = seedDeliveries(databasePath, 1, { platform: 'slack' }, { text: 'Hej Astrid, velkommen.' });
    const port = await freePort();
    const bot = startBot(['start'], {
      ADAPTERS: 'slack',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slow.apiUrl,
      PORT: String(port),
      DATABASE_PATH: databasePath,
      SHUTDOWN_TIMEOUT_MS: '6000',
    });
    try {
      await until(() => slow.posts === 1, 'the delivery to reach Slack', 20_000);

      const signalled = Date.now();
      bot.signal('SIGTERM');
      const { code } = await bot.exited;
      const took = Date.now() - signalled;

      expect(code).toBe(0);
      expect(took).toBeGreaterThanOrEqual(1000);
      expect(took).toBeLessThan(6000);
      expect(slack.of('chat.postMessage')).toHaveLength(1);
      const db = new Database(databasePath, { readonly: true });
      const row = db.prepare('SELECT status, platform_message_id AS messageId FROM nudges WHERE key = ?').get([...keys.values()][0]) as { status: string; messageId: string };
      db.close();
      expect(row.status).toBe('delivered');
      expect(row.messageId).toContain(String(slack.of('chat.postMessage')[0]!.args.channel));
    } finally {
      bot.signal('SIGKILL');
      await slow.close();
      await slack.close();
    }
  });
});
