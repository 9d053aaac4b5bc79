/**
 * The crash test (`npm run test:faults`): the real process against the fake Slack and the fake Bot
 * Framework connector on loopback. For each platform it seeds N people with one message due each,
 * starts `node dist/bin/sparring.js start`, kills it with SIGKILL at a random moment while it
 * delivers, starts it again, and so on; the last run may finish. Then it counts, from what the fake
 * recorded, the messages lost and doubled, and prints a table. Bounded: FAULTS_NUDGES (default 300),
 * FAULTS_KILLS per platform (default 12), FAULTS_SLACK_MS + FAULTS_TEAMS_MS (200 s + 80 s) for the kills and
 * the last run; the last run may go on for up to FAULTS_SETTLE_MS more (15 min) while it still settles a
 * message every 90 s (messages a kill left in doubt wait for Slack's history, one look-up a minute). Exit 1
 * when anything was lost, doubled or left undelivered. Only processes it started are signalled, by pid.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { startFakeConnector } from '../test/helpers/fake-connector';
import { startFakeSlack } from '../test/helpers/fake-slack';
import { freePort } from '../test/helpers/net';
import { startBot, type BotProcess } from './bot-process';
import { seedDeliveries, type SeedPlatform } from './seed-deliveries';

const env = z
  .object({
    FAULTS_NUDGES: z.string().regex(/^\d+$/).transform(Number).default(300),
    FAULTS_KILLS: z.string().regex(/^\d+$/).transform(Number).default(12),
    /** Time for each platform's trial: Slack is paced by its limits (and in-doubt rows by its history, 1 request a minute). */
    FAULTS_SLACK_MS: z.string().regex(/^\d+$/).transform(Number).default(200_000),
    FAULTS_TEAMS_MS: z.string().regex(/^\d+$/).transform(Number).default(80_000),
    /** How much longer the last run may go on while it still settles messages (see SETTLE_PATIENCE_MS). */
    FAULTS_SETTLE_MS: z.string().regex(/^\d+$/).transform(Number).default(900_000),
    FAULTS_PLATFORMS: z.string().default('slack,teams'),
    /** The bot's LOG_LEVEL; its stderr is written to FAULTS_LOG_DIR/<platform>-<start>.log when set. */
    FAULTS_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('error'),
    FAULTS_LOG_DIR: z.string().optional(),
  })
  .parse(process.env);

/** What the fake recorded: one entry per message it accepted, by recipient, with the key it carried if any. */
interface Recorded {
  recipient: string;
  key: string | null;
}

interface Fake {
  platform: 'slack' | 'teams';
  seed: SeedPlatform;
  env: Record<string, string>;
  recorded(): Recorded[];
  close(): Promise<void>;
}

interface Result {
  platform: string;
  planned: number;
  kills: number;
  starts: number;
  arrived: number;
  lost: number;
  doubled: number;
  /** Arrived, but still in flight in the database when the time was up (would be checked, not sent, at the next start). */
  inDoubt: number;
  /** Neither arrived nor given up: still waiting when the time was up. */
  unfinished: number;
  keyed: number;
  seconds: number;
}

/** Past the trial's time, the last run stops when no message was settled for this long (Slack's history allows one look-up a minute). */
const SETTLE_PATIENCE_MS = 90_000;

const running = new Set<BotProcess>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function keyIn(value: unknown): string | null {
  const match = /reply:\d+:faults:\d+/.exec(JSON.stringify(value ?? null));
  return match ? match[0] : null;
}

async function fakeSlack(): Promise<Fake> {
  const slack = await startFakeSlack({ enforceLimits: true });
  return {
    platform: 'slack',
    seed: { platform: 'slack' },
    env: { ADAPTERS: 'slack', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl },
    recorded: () => slack.of('chat.postMessage').filter((c) => c.ok).map((c) => ({ recipient: String(c.args.channel), key: keyIn(c.args.metadata) })),
    close: () => slack.close(),
  };
}

async function fakeTeams(): Promise<Fake> {
  const connector = await startFakeConnector();
  return {
    platform: 'teams',
    seed: { platform: 'teams', serviceUrl: connector.url },
    env: { ADAPTERS: 'teams', TEAMS_ALLOW_UNAUTHENTICATED: 'true' },
    recorded: () => connector.sent.filter((s) => s.ok && s.method === 'POST').map((s) => ({ recipient: s.conversationId, key: keyIn(s.activity) })),
    close: () => connector.close(),
  };
}

function statusOf(databasePath: string): Map<string, string> {
  const db = new Database(databasePath, { readonly: true, timeout: 1000 });
  try {
    const rows = db.prepare("SELECT key, status FROM nudges WHERE key LIKE 'reply:%:faults:%'").all() as { key: string; status: string }[];
    return new Map(rows.map((r) => [r.key, r.status]));
  } finally {
    db.close();
  }
}

function statusCounts(databasePath: string): Record<string, number> {
  const db = new Database(databasePath, { readonly: true, timeout: 1000 });
  try {
    const rows = db.prepare("SELECT status, count(*) AS n FROM nudges WHERE key LIKE 'reply:%:faults:%' GROUP BY status").all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    db.close();
  }
}

async function stop(bot: BotProcess, signal: NodeJS.Signals): Promise<void> {
  bot.signal(signal);
  await bot.exited;
  running.delete(bot);
}

async function trial(make: () => Promise<Fake>): Promise<Result> {
  const fake = await make();
  const dir = mkdtempSync(join(tmpdir(), 'sparring-faults-'));
  const databasePath = join(dir, 'sparring.db');
  const began = Date.now();
  const end = began + (fake.platform === 'slack' ? env.FAULTS_SLACK_MS : env.FAULTS_TEAMS_MS);
  const { byConversation } = seedDeliveries(databasePath, env.FAULTS_NUDGES, fake.seed);
  let kills = 0;
  let starts = 0;
  try {
    while (Date.now() < end && (statusCounts(databasePath).delivered ?? 0) < env.FAULTS_NUDGES) {
      const port = await freePort();
      const bot = startBot(['start'], { ...fake.env, PORT: String(port), DATABASE_PATH: databasePath, LOG_LEVEL: env.FAULTS_LOG_LEVEL });
      if (env.FAULTS_LOG_DIR) void bot.exited.then(() => writeFileSync(join(env.FAULTS_LOG_DIR!, `${fake.platform}-${starts}.log`), bot.stderr()));
      running.add(bot);
      starts += 1;
      try {
        await bot.listening(port, 20_000);
      } catch (error) {
        process.stderr.write(`faults: a start failed: ${(error as Error).message.slice(0, 2000)}\n`);
        await stop(bot, 'SIGKILL');
        continue;
      }
      if (kills < env.FAULTS_KILLS) {
        // Wait until it is delivering, then kill it a random moment later.
        const before = fake.recorded().length;
        const waitEnd = Date.now() + 10_000;
        while (fake.recorded().length === before && Date.now() < waitEnd) await sleep(10);
        await sleep(Math.floor(Math.random() * 800));
        await stop(bot, 'SIGKILL');
        kills += 1;
      } else {
        // The last run goes on past the trial's time while it still settles messages: a message left in
        // doubt by a kill waits for Slack's history, one look-up a minute for the whole workspace.
        let settled = statusCounts(databasePath).delivered ?? 0;
        let progressAt = Date.now();
        const settleEnd = end + env.FAULTS_SETTLE_MS;
        while (settled < env.FAULTS_NUDGES && Date.now() < settleEnd && (Date.now() < end || Date.now() - progressAt < SETTLE_PATIENCE_MS)) {
          await sleep(200);
          const now = statusCounts(databasePath).delivered ?? 0;
          if (now > settled) [settled, progressAt] = [now, Date.now()];
        }
        await stop(bot, 'SIGTERM');
      }
    }
    const recorded = fake.recorded();
    const arrivals = new Map<string, number>();
    for (const r of recorded) arrivals.set(r.recipient, (arrivals.get(r.recipient) ?? 0) + 1);
    const statuses = statusOf(databasePath);
    const result = { arrived: 0, lost: 0, doubled: 0, inDoubt: 0, unfinished: 0 };
    for (const [conversation, key] of byConversation) {
      const arrived = arrivals.get(conversation) ?? 0;
      const waiting = ['pending', 'sending'].includes(statuses.get(key) ?? '');
      if (arrived > 0) result.arrived += 1;
      result.doubled += Math.max(0, arrived - 1);
      if (arrived > 0 && waiting) result.inDoubt += 1;
      if (arrived === 0 && waiting) result.unfinished += 1;
      // Given up on (failed, dropped) or recorded as delivered, and never arrived.
      if (arrived === 0 && !waiting) result.lost += 1;
    }
    return {
      platform: fake.platform,
      planned: env.FAULTS_NUDGES,
      kills,
      starts,
      ...result,
      keyed: recorded.filter((r) => r.key !== null).length,
      seconds: Math.round((Date.now() - began) / 100) / 10,
    };
  } finally {
    for (const bot of [...running]) await stop(bot, 'SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(results: Result[]): string {
  const head = ['platform', 'planned', 'kill -9', 'starts', 'arrived', 'lost', 'doubled', 'arrived, in doubt at the end', 'not yet sent at the end', 'carrying their key', 'seconds'];
  const rows = results.map((r) => [r.platform, r.planned, r.kills, r.starts, r.arrived, r.lost, r.doubled, r.inDoubt, r.unfinished, r.keyed, r.seconds].map(String));
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

async function main(): Promise<number> {
  const fakes: Record<string, () => Promise<Fake>> = { slack: fakeSlack, teams: fakeTeams };
  const results: Result[] = [];
  for (const name of env.FAULTS_PLATFORMS.split(',').map((s) => s.trim()).filter(Boolean)) {
    const make = fakes[name];
    if (!make) throw new Error(`FAULTS_PLATFORMS: unknown platform ${name}; use slack, teams`);
    process.stdout.write(`faults: ${name}, ${env.FAULTS_NUDGES} messages, up to ${env.FAULTS_KILLS} kills …\n`);
    results.push(await trial(make));
  }
  process.stdout.write(table(results));
  return results.some((r) => r.lost > 0 || r.doubled > 0 || r.unfinished > 0) ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const bot of running) bot.signal('SIGKILL');
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    for (const bot of running) bot.signal('SIGKILL');
    process.stderr.write(`faults: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
