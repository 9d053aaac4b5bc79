/**
 * `npm run bench` (startup): how long an operator waits, each command run as a real process, the
 * median of several runs beside its goal:
 * - `sparring --help` and `sparring status --programme "Demo 2026"` (a demo database): goal < 150 ms;
 * - `node dist/bin/sparring.js start` (the image's command) on Slack, against a fake Slack on
 *   loopback, over a database of 100,000 pairs, until GET /healthz answers 200: goal < 1 s;
 * - `npm start` the same way (npm itself, and the check whether the sources changed since the last
 *   build; dist/ is current here): goal < 1 s.
 * Not a test. Usage: node dist/bench/startup.js [pairs] [runs]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/paths';
import { openDatabase } from '../src/store/database';
import { startFakeSlack } from '../test/helpers/fake-slack';
import { freePort } from '../test/helpers/net';

const root = projectRoot();
const bin = join(root, 'dist', 'bin', 'sparring.js');
const PAIRS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function cli(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`sparring ${args.join(' ')} failed: ${run.stderr}`);
  return ms;
}

/** A season in full swing for `pairs` pairs, written in SQL: people, identities, participants, pairs, a planned nudge each. */
function populate(path: string, pairs: number): void {
  const db = openDatabase(path);
  db.exec(`
    INSERT INTO programmes (id, name, starts_on, ends_on, locale, timezone, created_at) VALUES (1, 'Bench', '2026-09-01', '2026-12-18', 'da', 'Europe/Copenhagen', 0);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${2 * pairs})
      INSERT INTO people (id, name, created_at) SELECT i, 'Person ' || i, 0 FROM n;
    INSERT INTO identities (platform, platform_id, person_id, address) SELECT 'slack', 'U' || id, id, 'slack:U' || id FROM people;
    INSERT INTO participants (programme_id, person_id, role, joined_at) SELECT 1, id, CASE id % 2 WHEN 1 THEN 'mentee' ELSE 'mentor' END, 0 FROM people;
    INSERT INTO pairs (id, programme_id, mentee_id, mentor_id, matched_at) SELECT (id + 1) / 2, 1, id, id + 1, 0 FROM people WHERE id % 2 = 1;
    INSERT INTO nudges (key, kind, person_id, subject, payload, due_at, status, created_at)
      SELECT 'bench:' || id, 'prep.prompt', mentee_id, 'pair:' || id, '{}', 4102444800000, 'pending', 0 FROM pairs;
    ANALYZE;
  `);
  db.close();
}

/** Spawns `command` and measures until GET /healthz answers 200; then stops it with SIGTERM (its process group). */
async function startToHealthz(command: string, args: string[], env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const done = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  try {
    for (;;) {
      if (exited) throw new Error(`${command} ${args.join(' ')} exited before /healthz answered: ${stderr}`);
      const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status === 200) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error(`no 200 from /healthz within 120 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGTERM');
    await done;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-startup-'));
  const slack = await startFakeSlack();
  try {
    const demo = { DATABASE_PATH: join(dir, 'demo.db') };
    cli(['demo'], demo);
    const help = Array.from({ length: RUNS }, () => cli(['--help'], demo));
    const status = Array.from({ length: RUNS }, () => cli(['status', '--programme', 'Demo 2026'], demo));

    const big = join(dir, 'big.db');
    const t0 = performance.now();
    populate(big, PAIRS);
    const populateMs = performance.now() - t0;
    const env = { ADAPTERS: 'slack', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench', SLACK_API_URL: slack.apiUrl, DATABASE_PATH: big, NODE_ENV: 'production' };
    const node: number[] = [];
    const npm: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      node.push(await startToHealthz(process.execPath, [bin, 'start'], env, await freePort()));
      npm.push(await startToHealthz('npm', ['start', '--silent'], env, await freePort()));
    }

    const row = (what: string, ms: number[], goal: number) =>
      `| ${what} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} | < ${goal} | ${median(ms) < goal ? 'yes' : 'no'} |`;
    console.log(`\nStartup (median of ${RUNS} runs; Node ${process.versions.node}; ${PAIRS.toLocaleString('en')} pairs filled in ${(populateMs / 1000).toFixed(1)} s)\n`);
    console.log('| what | median (ms) | range (ms) | goal (ms) | met |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    console.log(row('`sparring --help`', help, 150));
    console.log(row('`sparring status --programme …`', status, 150));
    console.log(row(`\`node dist/bin/sparring.js start\` to /healthz 200 (${PAIRS.toLocaleString('en')} pairs)`, node, 1000));
    console.log(row(`\`npm start\` to /healthz 200 (${PAIRS.toLocaleString('en')} pairs)`, npm, 1000));
    console.log(`\n(node itself: ${median(Array.from({ length: RUNS }, () => { const s = performance.now(); spawnSync(process.execPath, ['-e', '0']); return performance.now() - s; })).toFixed(0)} ms to start and exit)`);
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
