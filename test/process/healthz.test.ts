/**
 * /readyz under a busy database: while another connection holds the write lock for five seconds,
 * the running bot answers at once, 503 not ready, naming the lock; afterwards it is ready again.
 */
import Database from 'better-sqlite3';
import { startBot } from '../../scripts/bot-process';
import { startFakeSlack } from '../helpers/fake-slack';
import { freePort, until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(60_000);

async function healthz(port: number): Promise<{ status: number; body: { status: string; checks: Record<string, { ok: boolean; state: string }> }; ms: number }> {
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean; state: string }> };
  return { status: response.status, body, ms: Date.now() - started };
}

describe('/readyz', () => {
  it('answers 503 not ready at once while another connection holds the write lock, and ok when it is released', async () => {
    const slack = await startFakeSlack();
    const databasePath = tempDatabasePath();
    const port = await freePort();
    const bot = startBot(['start'], { ADAPTERS: 'slack', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: String(port), DATABASE_PATH: databasePath });
    const other = new Database(databasePath, { timeout: 5000 });
    try {
      await bot.listening(port);
      expect((await healthz(port)).body.status).toBe('ready');

      other.exec('BEGIN IMMEDIATE');
      const locked = Date.now();
      const answers = [];
      while (Date.now() - locked < 5000) {
        answers.push(await healthz(port));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      other.exec('COMMIT');

      expect(answers.length).toBeGreaterThan(10);
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.body.checks.database).toEqual({ ok: false, state: 'the database is locked by another connection' });
        expect(answer.ms).toBeLessThan(500);
      }
      await until(async () => (await healthz(port)).status === 200, '/readyz to be ready again', 5000);
    } finally {
      other.close();
      bot.signal('SIGTERM');
      expect((await bot.exited).code).toBe(0);
      await slack.close();
    }
  });
});
