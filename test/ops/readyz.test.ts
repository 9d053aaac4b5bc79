/**
 * GET /readyz on a real server (startServer, on loopback) with the fake Slack: every check named with
 * its state; 503 while another connection holds the database's write lock (probeWritable cannot
 * begin a write) and 200 again once it lets go; 503 while the database is at a schema newer than this
 * Sparring; in Socket Mode the socket's state; Teams without credentials says so.
 * /healthz, meanwhile, only says the process is alive.
 */
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../../bin/server';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { latestMigration } from '../../src/metrics/readiness';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(30_000);

interface Ready {
  status: number;
  body: { status: string; checks: Record<string, { ok: boolean; state: string }> };
}

async function serve(env: Record<string, string>): Promise<{ server: RunningServer; url: string; databasePath: string }> {
  const databasePath = tempDatabasePath();
  const config = { ...loadConfig({ DATABASE_PATH: databasePath, ...env }), port: 0 };
  const server = await startServer(config, silentLogger, { owner: `readyz:${process.pid}`, host: '127.0.0.1' });
  return { server, url: `http://127.0.0.1:${server.port}`, databasePath };
}

async function readyz(url: string): Promise<Ready> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Ready['body'] };
}

const slackEnv = (slack: FakeSlack) => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl });

describe('/readyz', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.close());

  it('lists every check; fails while another connection holds the write lock, and passes once it lets go', async () => {
    const { server, url, databasePath } = await serve(slackEnv(slack));
    const other = new Database(databasePath, { timeout: 0 });
    try {
      const ready = await readyz(url);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({
        status: 'ready',
        checks: {
          database: { ok: true, state: 'writable' },
          migrations: { ok: true, state: `current (${latestMigration()})` },
          'slack.auth': { ok: true, state: expect.stringMatching(/^auth\.test passed at \d{4}-\d\d-\d\dT/) },
          deliveries: { ok: true, state: 'ok' },
        },
      });
      expect(slack.of('auth.test')).toHaveLength(1);

      other.exec('BEGIN IMMEDIATE');
      const locked = await readyz(url);
      expect(locked.status).toBe(503);
      expect(locked.body.status).toBe('not ready');
      expect(locked.body.checks.database).toEqual({ ok: false, state: 'the database is locked by another connection' });
      expect(locked.body.checks.migrations!.ok).toBe(true);
      // Alive all the same: /healthz is for restarting a stuck process, not for a busy database.
      const alive = await fetch(`${url}/healthz`);
      expect([alive.status, await alive.text()]).toEqual([200, 'ok']);

      other.exec('ROLLBACK');
      const again = await readyz(url);
      expect(again.status).toBe(200);
      expect(again.body.checks.database).toEqual({ ok: true, state: 'writable' });
    } finally {
      other.close();
      await server.stop(2000);
    }
  });

  it('fails while the database is at a schema newer than this Sparring', async () => {
    const { server, url, databasePath } = await serve(slackEnv(slack));
    const other = new Database(databasePath);
    const newer = latestMigration() + 1;
    try {
      other.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(newer, 'from_a_newer_sparring', Date.now());
      const ahead = await readyz(url);
      expect(ahead.status).toBe(503);
      expect(ahead.body.checks.migrations).toEqual({ ok: false, state: `the database is at ${newer}, newer than this Sparring (${latestMigration()}): upgrade Sparring` });

      other.prepare('DELETE FROM schema_migrations WHERE version = ?').run(newer);
      expect((await readyz(url)).status).toBe(200);
    } finally {
      other.close();
      await server.stop(2000);
    }
  });

  it('in Socket Mode, names the socket: open once Slack has connected it', async () => {
    const { server, url } = await serve({ ...slackEnv(slack), SLACK_APP_TOKEN: 'xapp-test' });
    try {
      await slack.socketConnected();
      const ready = await readyz(url);
      expect(ready.status).toBe(200);
      expect(ready.body.checks['slack.socket']).toEqual({ ok: true, state: 'Socket Mode open' });
      expect(ready.body.checks['slack.auth']!.ok).toBe(true);
    } finally {
      await server.stop(2000);
    }
  });

  it('for Teams without credentials, says it runs unauthenticated for local testing', async () => {
    const { server, url } = await serve({ ADAPTERS: 'teams', TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    try {
      const ready = await readyz(url);
      expect(ready.status).toBe(200);
      expect(ready.body.checks['teams.credentials']).toEqual({ ok: true, state: 'unauthenticated (local testing)' });
    } finally {
      await server.stop(2000);
    }
  });
});
