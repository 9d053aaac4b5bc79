/** One running Sparring per database file: a second start is refused; a killed one's lock is free again. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startBot, sparringBin, type BotProcess } from '../../scripts/bot-process';
import { acquireProcessLock, AlreadyRunningError, lockPaths } from '../../src/store/lock';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { freePort } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(60_000);

describe('one process per database file', () => {
  let slack: FakeSlack;
  const started: BotProcess[] = [];
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    for (const bot of started.splice(0)) {
      bot.signal('SIGKILL');
      await bot.exited;
    }
    await slack.close();
  });

  const env = async (databasePath: string) => ({
    ADAPTERS: 'slack',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_API_URL: slack.apiUrl,
    PORT: String(await freePort()),
    DATABASE_PATH: databasePath,
  });
  const start = (e: Record<string, string>) => {
    const bot = startBot(['start'], e);
    started.push(bot);
    return bot;
  };

  it('refuses a second start on the same file, naming the running one, while read-only commands still work', async () => {
    const databasePath = tempDatabasePath();
    const firstEnv = await env(databasePath);
    const first = start(firstEnv);
    await first.listening(Number(firstEnv.PORT));

    const second = start(await env(databasePath));
    const { code } = await second.exited;

    expect(code).toBe(1);
    expect(second.stderr()).toContain(`another Sparring is already running on ${databasePath} (pid ${first.pid} on `);
    expect(second.stderr()).toContain('stop it first');
    const created = spawnSync(process.execPath, [sparringBin, 'programme', 'create', '--name', 'Efterår 2026', '--start', '2026-09-01', '--end', '2026-12-18'], {
      env: { PATH: process.env.PATH, DATABASE_PATH: databasePath },
      encoding: 'utf8',
    });
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect((await fetch(`http://127.0.0.1:${firstEnv.PORT}/healthz`)).status).toBe(200);
  });

  it('takes over the lock of a process that was killed', async () => {
    const databasePath = tempDatabasePath();
    const firstEnv = await env(databasePath);
    const first = start(firstEnv);
    await first.listening(Number(firstEnv.PORT));
    first.signal('SIGKILL');
    await first.exited;
    expect(JSON.parse(readFileSync(lockPaths(databasePath).owner, 'utf8')).pid).toBe(first.pid);

    const nextEnv = await env(databasePath);
    const next = start(nextEnv);
    await next.listening(Number(nextEnv.PORT));

    expect(JSON.parse(readFileSync(lockPaths(databasePath).owner, 'utf8')).pid).toBe(next.pid);
    next.signal('SIGTERM');
    expect((await next.exited).code).toBe(0);
  });

  it('is free again once released, and a second holder in the same process is refused too', () => {
    const databasePath = tempDatabasePath();
    const lock = acquireProcessLock(databasePath);
    expect(() => acquireProcessLock(databasePath)).toThrow(AlreadyRunningError);
    lock.release();
    const again = acquireProcessLock(databasePath);
    expect(again.id).toBe(`${process.pid}:${again.owner.startedAt}`);
    again.release();
  });
});
