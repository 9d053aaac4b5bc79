/**
 * `npm run bench:slack-ack`: how fast a Slack request is acknowledged. Sparring's real Slack adapter
 * (createSlackAdapter behind startHttpServer, HTTP receiver, a SQLite file) against a bare Bolt app
 * (an HTTPReceiver that acks `message` and does nothing else), each in its own process, both talking
 * to the same fake Slack Web API on loopback (a third process). A load generator (this process) sends
 * signed DM events with fresh event ids, open loop (on a timer, never waiting for answers) over a
 * keep-alive agent: 100 requests/s for 10 s per round, a share of them from Slack users Sparring does
 * not know. Several rounds, alternating; the table shows the median of the rounds. Also counted per
 * request: Web API calls the server made (during the round and 2 s after), and in Sparring the SQL
 * write statements run and rows changed. Not a test.
 * Usage: node dist/bench/slack-ack.js [rate=100] [seconds=10] [rounds=3] [unknownShare=0.2]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const KNOWN = 400; // Slack users that are participants (mentees and mentors)
const UNKNOWN = 100; // Slack users Sparring does not know (and Slack's users.info does not either)
const GOAL_RATIO = 1.3;

type Reply = { type: string; [k: string]: unknown };

const knownUser = (i: number) => `UK${String(i).padStart(5, '0')}`;
const unknownUser = (i: number) => `UX${String(i).padStart(5, '0')}`;

/** Waits for one message of `type` from a child. */
function next(child: ChildProcess, type: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Reply) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`a bench process exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function ask(child: ChildProcess, type: string): Promise<Reply> {
  const answer = next(child, type);
  child.send({ type });
  return answer;
}

// ---------------------------------------------------------------- child: the fake Slack Web API

async function runFakeSlack(): Promise<void> {
  const { startFakeSlack } = await import('../test/helpers/fake-slack');
  const slack = await startFakeSlack();
  let mark = 0;
  process.on('message', (m: Reply) => {
    if (m.type === 'mark') {
      mark = slack.calls.length;
      process.send!({ type: 'mark' });
    } else if (m.type === 'calls') {
      const byMethod: Record<string, number> = {};
      for (const c of slack.calls.slice(mark)) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
      process.send!({ type: 'calls', byMethod });
    }
  });
  process.send!({ type: 'ready', apiUrl: slack.apiUrl });
}

// ---------------------------------------------------------------- child: the servers under test

/** How long the server's event loop was blocked (what delays every request behind the blocker). */
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const loopDelay = () => ({ loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 });

/** Counts write statements run and rows changed on a better-sqlite3 connection (through its prepare). */
function countWrites(db: import('better-sqlite3').Database) {
  const wrapped = new WeakSet<object>();
  const prepare = db.prepare.bind(db);
  let statements = 0;
  let slowest = 0;
  // BENCH_SQL=1: which write statements, to stderr (for finding where the writes come from).
  const bySql = process.env.BENCH_SQL ? new Map<string, number>() : null;
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (!statement.reader && !wrapped.has(statement)) {
      wrapped.add(statement);
      const run = statement.run.bind(statement);
      statement.run = ((...args: unknown[]) => {
        statements += 1;
        if (bySql) bySql.set(sql, (bySql.get(sql) ?? 0) + 1);
        const start = performance.now();
        try {
          return run(...(args as []));
        } finally {
          slowest = Math.max(slowest, performance.now() - start);
        }
      }) as typeof statement.run;
    }
    return statement;
  }) as typeof db.prepare;
  const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  let base = { statements: 0, changes: 0 };
  return {
    mark: () => {
      base = { statements, changes: changes() };
      slowest = 0;
      bySql?.clear();
    },
    since: () => {
      if (bySql) for (const [sql, n] of [...bySql].sort((a, b) => b[1] - a[1])) process.stderr.write(`  ${n}\t${sql.replace(/\s+/g, ' ').slice(0, 110)}\n`);
      return { statements: statements - base.statements, changes: changes() - base.changes, slowestMs: slowest };
    },
  };
}

async function runSparring(apiUrl: string): Promise<void> {
  const { startHttpServer } = await import('../adapters/http');
  const { createSlackAdapter } = await import('../adapters/slack/app');
  const { silentLogger } = await import('../src/log');
  const { addIdentity, createPerson } = await import('../src/people');
  const { createProgramme } = await import('../src/programme/programmes');
  const { joinProgramme, matchPair } = await import('../src/flows/season');
  const { assemble, openCore } = await import('../src/sparring');
  const dir = mkdtempSync(join(tmpdir(), 'sparring-ack-bench-'));
  const core = openCore({ databasePath: join(dir, 'bench.db'), clock: { now: () => Date.now() }, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  const programme = createProgramme(core, { name: 'Ack', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  core.db.transaction(() => {
    for (let i = 0; i < KNOWN; i += 2) {
      const ids = (['mentee', 'mentor'] as const).map((role, k) => {
        const user = knownUser(i + k);
        const id = createPerson(core, { name: `${role} ${user}` });
        addIdentity(core, id, 'slack', user, `slack:${user}`);
        joinProgramme(core, programme.id, id, role);
        return id;
      });
      matchPair(core, programme.id, ids[0]!, ids[1]!);
    }
  })();
  const writes = countWrites(core.db);
  const adapter = createSlackAdapter(core, { botToken: TOKEN, signingSecret: SECRET, apiUrl, resolveEmails: false }, silentLogger);
  const { bot } = assemble(core, adapter.messenger);
  await adapter.start(bot);
  const http = await startHttpServer(0, adapter.routes, silentLogger, '127.0.0.1');
  process.on('message', (m: Reply) => {
    if (m.type === 'mark') writes.mark(), loop.reset(), process.send!({ type: 'mark' });
    else if (m.type === 'writes') process.send!({ type: 'writes', ...writes.since(), ...loopDelay() });
    else if (m.type === 'stop') {
      void http.close().then(async () => {
        await adapter.stop();
        core.db.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  process.send!({ type: 'ready', port: http.port });
}

async function runBareBolt(apiUrl: string): Promise<void> {
  const { App, HTTPReceiver, LogLevel } = await import('@slack/bolt');
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const app = new App({ token: TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl } });
  app.event('message', async () => undefined);
  const server = (await app.start(0)) as import('node:http').Server;
  const port = (server.address() as import('node:net').AddressInfo).port;
  process.on('message', (m: Reply) => {
    if (m.type === 'mark') loop.reset(), process.send!({ type: 'mark' });
    else if (m.type === 'writes') process.send!({ type: 'writes', ...loopDelay() });
    else if (m.type === 'stop') void app.stop().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', port });
}

// ---------------------------------------------------------------- the load generator

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Round {
  p50: number;
  p95: number;
  p99: number;
  sent: number;
  ok: number;
  failed: number;
  calls: Record<string, number>;
  writes?: { statements: number; changes: number; slowestMs: number };
  loopMaxMs: number;
}

let eventSeq = 0;

/** Sends `rate`/s for `seconds` to `port`, open loop; resolves with the ack latencies. */
function load(port: number, rate: number, seconds: number, unknownShare: number, tag: string): Promise<{ latencies: number[]; failed: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let failed = 0;
  let done = 0;
  return new Promise((resolve) => {
    const finish = () => {
      done += 1;
      if (done === total) {
        agent.destroy();
        resolve({ latencies, failed });
      }
    };
    const send = (i: number) => {
      eventSeq += 1;
      const unknown = (i * 7919) % 1000 < unknownShare * 1000;
      const user = unknown ? unknownUser(i % UNKNOWN) : knownUser(i % KNOWN);
      const now = Date.now();
      const body = JSON.stringify({
        token: 'legacy',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: `Ev${tag}${process.pid}x${eventSeq}`,
        event_time: Math.floor(now / 1000),
        event: { type: 'message', channel_type: 'im', channel: `D${user}`, user, text: 'hej', ts: `${now / 1000}`, event_ts: `${now / 1000}` },
      });
      const timestamp = Math.floor(now / 1000);
      const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      const start = performance.now();
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path: '/slack/events',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - start);
            else failed += 1;
            finish();
          });
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => ((failed += 1), finish()));
      req.end(body);
    };
    const t0 = performance.now();
    let sent = 0;
    const pump = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(pump, 1);
    };
    pump();
  });
}

async function round(which: 'sparring' | 'bolt', slack: ChildProcess, apiUrl: string, rate: number, seconds: number, unknownShare: number): Promise<Round> {
  // BENCH_CPU_PROF=dir: the server processes write a V8 CPU profile there.
  const execArgv = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, which)}`] : [];
  const server = fork(__filename, [which, apiUrl], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  try {
    const { port } = (await next(server, 'ready')) as unknown as { port: number };
    await load(port, rate, 1, unknownShare, 'warm'); // warm-up: JIT, connections, caches of the first users
    await ask(slack, 'mark');
    await ask(server, 'mark');
    const { latencies, failed } = await load(port, rate, seconds, unknownShare, which);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the work after the ack (replies) settles
    const { byMethod } = (await ask(slack, 'calls')) as unknown as { byMethod: Record<string, number> };
    const w = (await ask(server, 'writes')) as unknown as { statements?: number; changes?: number; slowestMs?: number; loopMaxMs: number };
    const sorted = latencies.sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      sent: Math.round(rate * seconds),
      ok: latencies.length,
      failed,
      calls: byMethod,
      writes: w.statements === undefined ? undefined : { statements: w.statements, changes: w.changes!, slowestMs: w.slowestMs! },
      loopMaxMs: w.loopMaxMs,
    };
  } finally {
    server.send({ type: 'stop' });
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
  }
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 100);
  const seconds = Number(process.argv[3] ?? 10);
  const rounds = Number(process.argv[4] ?? 3);
  const unknownShare = Number(process.argv[5] ?? 0.2);
  const slack = fork(__filename, ['fake-slack'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { apiUrl } = (await next(slack, 'ready')) as unknown as { apiUrl: string };
  const results: Record<'sparring' | 'bolt', Round[]> = { sparring: [], bolt: [] };
  try {
    for (let r = 0; r < rounds; r += 1) {
      for (const which of r % 2 === 0 ? (['sparring', 'bolt'] as const) : (['bolt', 'sparring'] as const)) {
        process.stderr.write(`round ${r + 1}/${rounds}: ${which}, ${rate}/s for ${seconds} s…\n`);
        const result = await round(which, slack, apiUrl, rate, seconds, unknownShare);
        process.stderr.write(`  p50 ${result.p50.toFixed(1)} p95 ${result.p95.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, event loop blocked ≤ ${result.loopMaxMs.toFixed(0)} ms, ${result.failed} failed, calls ${JSON.stringify(result.calls)}${result.writes ? `, writes ${JSON.stringify(result.writes)}` : ''}\n`);
        results[which].push(result);
      }
    }
  } finally {
    slack.kill();
  }
  const summary = (rs: Round[]) => {
    const sent = rs.reduce((n, r) => n + r.sent, 0);
    const calls: Record<string, number> = {};
    for (const r of rs) for (const [m, n] of Object.entries(r.calls)) calls[m] = (calls[m] ?? 0) + n;
    const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);
    const written = rs.every((r) => r.writes) ? rs.reduce((acc, r) => ({ statements: acc.statements + r.writes!.statements, changes: acc.changes + r.writes!.changes }), { statements: 0, changes: 0 }) : null;
    return {
      p50: median(rs.map((r) => r.p50)),
      p95: median(rs.map((r) => r.p95)),
      p99: median(rs.map((r) => r.p99)),
      worstP99: Math.max(...rs.map((r) => r.p99)),
      loopMax: median(rs.map((r) => r.loopMaxMs)),
      failed: rs.reduce((n, r) => n + r.failed, 0),
      sent,
      callsPerRequest: totalCalls / sent,
      calls: Object.entries(calls)
        .sort((a, b) => b[1] - a[1])
        .map(([m, n]) => `${m} ${(n / sent).toFixed(2)}`)
        .join(', '),
      writes: written ? `${(written.statements / sent).toFixed(2)} statements, ${(written.changes / sent).toFixed(2)} rows` : '–',
    };
  };
  const s = summary(results.sparring);
  const b = summary(results.bolt);
  const ratio = s.p99 / b.p99;
  const f = (n: number) => n.toFixed(1);
  console.log(`Slack DM event → ack, ${rate} requests/s open loop for ${seconds} s, ${Math.round(unknownShare * 100)} % from users Sparring does not know, fresh event ids; median of ${rounds} rounds (each in a fresh server process).\n`);
  console.log('| server | p50 (ms) | p95 (ms) | p99 (ms) | worst p99 (ms) | event loop blocked, max (ms) | failed | Web API calls / request | DB writes / event |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  console.log(`| Sparring (adapter + http.ts) | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.worstP99)} | ${f(s.loopMax)} | ${s.failed}/${s.sent} | ${s.callsPerRequest.toFixed(2)} (${s.calls || 'none'}) | ${s.writes} |`);
  console.log(`| bare Bolt (HTTPReceiver) | ${f(b.p50)} | ${f(b.p95)} | ${f(b.p99)} | ${f(b.worstP99)} | ${f(b.loopMax)} | ${b.failed}/${b.sent} | ${b.callsPerRequest.toFixed(2)}${b.calls ? ` (${b.calls})` : ''} | – |`);
  console.log(`\np99 ratio Sparring / bare Bolt: ${ratio.toFixed(2)}× (goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'met' : 'not met'})`);
}

const role = process.argv[2];
const started = role === 'fake-slack' ? runFakeSlack() : role === 'sparring' ? runSparring(process.argv[3]!) : role === 'bolt' ? runBareBolt(process.argv[3]!) : main();
started.catch((error) => {
  console.error(error);
  process.exitCode = 1;
  if (role === 'fake-slack' || role === 'sparring' || role === 'bolt') process.exit(1);
});
