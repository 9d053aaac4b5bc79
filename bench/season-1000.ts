/**
 * `npm run bench:season`: a whole season (September to December, and the survey's close in late
 * December) of 1,000 pairs in the simulation: the scripted people of test/season answer what the bot
 * asks through its front door, on the real SQLite store, with a fake clock and an in-memory messenger,
 * the scheduler run at every moment something falls due. Prints the total time beside its goal (10 s),
 * and the scheduler's tick with 1,000 nudges due (bench/scheduler.ts, 1,000 pairs) beside its goal
 * (200 ms), and how many transactions the season takes beside what the smallest one costs on the same file.
 * Not a test. Usage: node dist/bench/season-1000.js [pairs]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { joinProgramme, matchPair } from '../src/flows/season';
import { silentLogger } from '../src/log';
import type { Message } from '../src/message';
import { addIdentity, createPerson } from '../src/people';
import { createProgramme } from '../src/programme/programmes';
import { nextDueAt } from '../src/scheduler/nudges';
import { assemble, openCore } from '../src/sparring';
import { inTransaction, type Db } from '../src/store/database';
import { createFakeClock } from '../test/helpers/fake-clock';
import { createFakeMessenger } from '../test/helpers/fake-messenger';
import { type, type Agent, type Behaviour } from '../test/season/agents';
import { catchUp, react, type Stage } from '../test/season/mischief';

const SEASON_END = Date.parse('2027-01-08T00:00:00Z');
const GOAL_SEASON_S = 10;
const GOAL_TICK_MS = 200;

/** The cast of test/season/season.test.ts (54 pairs), repeated: mostly diligent, a few of every kind. */
function cast(pairs: number): { behaviour: Behaviour; locale: 'da' | 'en'; shares: boolean }[] {
  const one: { behaviour: Behaviour; locale: 'da' | 'en'; shares: boolean }[] = [];
  for (let i = 0; i < 42; i += 1) one.push({ behaviour: 'diligent', locale: i % 8 === 7 ? 'en' : 'da', shares: i % 3 !== 0 });
  for (const behaviour of ['quiet', 'cancels', 'silent', 'stressed'] as const) one.push({ behaviour, locale: 'da', shares: behaviour !== 'silent' && behaviour !== 'stressed' });
  for (const behaviour of ['late', 'wrong', 'commander', 'notYet'] as const) {
    one.push({ behaviour, locale: 'da', shares: true });
    one.push({ behaviour, locale: 'en', shares: false });
  }
  return Array.from({ length: pairs }, (_, i) => one[i % one.length]!);
}

async function season(pairCount: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-season-bench-'));
  try {
    const clock = createFakeClock('2026-08-25T08:00:00Z');
    const messenger = createFakeMessenger();
    const core = openCore({ databasePath: join(dir, 'season.db'), clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const { bot, scheduler } = assemble(core, messenger);
    const transactions = countTransactions(core.db);
    const t0 = performance.now();
    const programme = createProgramme(core, { name: 'Mentorprogram 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const agents = new Map<number, Agent>();
    const person = (name: string, role: 'mentee' | 'mentor', behaviour: Behaviour, locale: 'da' | 'en', shares: boolean): Agent => {
      const id = createPerson(core, { name, locale });
      addIdentity(core, id, 'test', String(id), `test:${id}`);
      joinProgramme(core, programme.id, id, role, role === 'mentor' ? { company: 'Firma', job_title: 'Konsulent', faculty: 'IT' } : { education: 'cand.it', interests: ['UX'] });
      const agent: Agent = { personId: id, role, behaviour: role === 'mentor' ? 'diligent' : behaviour, locale, shares, secrets: [], state: {} };
      agents.set(id, agent);
      return agent;
    };
    const pairs = cast(pairCount).map((c, i) => ({ behaviour: c.behaviour, mentee: person(`Mentee ${i + 1}`, 'mentee', c.behaviour, c.locale, c.shares), mentor: person(`Mentor ${i + 1}`, 'mentor', c.behaviour, c.locale, true) }));
    clock.set('2026-08-28T10:00:00Z');
    for (const p of pairs) matchPair(core, programme.id, p.mentee.personId, p.mentor.personId);
    const setupMs = performance.now() - t0;

    const stage: Stage = { bot, now: clock.now(), later: [], surprises: [] };
    let ticks = 0;
    let tickMs = 0;
    let slowestTick = 0;
    const t1 = performance.now();
    for (let guard = 0; guard < 1_000_000; guard += 1) {
      const nudgeDue = nextDueAt(core.db);
      const lateDue = stage.later.length > 0 ? Math.min(...stage.later.map((l) => l.at)) : null;
      const due = nudgeDue === null ? lateDue : lateDue === null ? nudgeDue : Math.min(nudgeDue, lateDue);
      if (due === null || due > SEASON_END) break;
      if (due > clock.now()) clock.set(due);
      stage.now = clock.now();
      const ready = stage.later.filter((l) => l.at <= stage.now);
      stage.later = stage.later.filter((l) => l.at > stage.now);
      for (const item of ready) catchUp(stage, item, []);
      const before = messenger.deliveries.length;
      const tickStart = performance.now();
      await scheduler.runOnce();
      const took = performance.now() - tickStart;
      ticks += 1;
      tickMs += took;
      slowestTick = Math.max(slowestTick, took);
      for (const d of messenger.deliveries.slice(before)) {
        const agent = agents.get(Number(d.address.slice('test:'.length)))!;
        const out: Message[] = [];
        if (agent.behaviour === 'cancels' && d.key.startsWith('meeting.reminder') && !agent.state.cancelled) {
          type(bot, agent, 'book', clock.now(), out);
          type(bot, agent, 'book', clock.now(), out);
          continue;
        }
        react(stage, agent, d, out);
      }
    }
    const runMs = performance.now() - t1;
    const deliveries = messenger.deliveries.length;
    const commits = transactions();
    const commitUs = fivePageTransactionUs(core.db);
    core.db.close();
    return { pairs: pairCount, setupMs, runMs, ticks, tickMs, slowestTick, deliveries, commits, commitUs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Counts the outermost transactions begun on `db` from now on (one per use case, and the scheduler's). */
function countTransactions(db: Db): () => number {
  let count = 0;
  const make = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = make(fn);
    const counted = <F extends (...args: never[]) => unknown>(f: F) =>
      ((...args: Parameters<F>) => {
        if (!db.inTransaction) count += 1;
        return f(...args);
      }) as F;
    const wrapped = counted(t) as typeof t;
    for (const variant of ['default', 'deferred', 'immediate', 'exclusive'] as const) Object.defineProperty(wrapped, variant, { value: counted(t[variant]) });
    return wrapped;
  }) as Db['transaction'];
  return () => count;
}

/**
 * What the smallest use case costs on this file, begin to commit (µs, median of 2,000): one IMMEDIATE
 * transaction writing one row in each of five tables, five pages, as a season's use case writes on
 * average (measured once with checkpoints off: 192,397 WAL frames for 37,385 transactions, 200 pairs).
 */
function fivePageTransactionUs(db: Db): number {
  const columns = { programmes: 'name', people: 'name', pairs: 'matched_at', meetings: 'created_at', dialogues: 'updated_at' };
  const writes = Object.entries(columns).map(([table, column]) =>
    db.prepare(`UPDATE ${table} SET ${column} = ${column} WHERE rowid = (SELECT min(rowid) FROM ${table})`),
  );
  const times: number[] = [];
  for (let i = 0; i < 2000; i += 1) {
    const start = performance.now();
    inTransaction(db, () => {
      for (const w of writes) w.run();
    });
    times.push((performance.now() - start) * 1000);
  }
  return times.sort((a, b) => a - b)[1000]!;
}

/** bench/scheduler.ts's own measurement (a warm process: median of 7 ticks with 1,000 due, 1,000 pairs), read from its table. */
function tickWithThousandDue(): number | null {
  try {
    const out = execFileSync(process.execPath, [join(__dirname, 'scheduler.js'), '1000'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const row = out.split('\n').find((l) => l.startsWith('| 1,000 |'));
    return row ? Number(row.split('|')[4]!.trim()) : null;
  } catch {
    return null;
  }
}

async function main() {
  const pairs = Number(process.argv[2] ?? 1000);
  process.stderr.write(`simulating a season of ${pairs.toLocaleString('en')} pairs…\n`);
  const r = await season(pairs);
  process.stderr.write('measuring a tick with 1,000 nudges due (bench/scheduler.js 1000)…\n');
  const tick = tickWithThousandDue();
  const totalS = (r.setupMs + r.runMs) / 1000;
  const mark = (ok: boolean) => (ok ? 'met' : 'not met');
  console.log(`Season simulation, ${r.pairs.toLocaleString('en')} pairs, Sep–Dec, fake clock, SQLite file, in-memory messenger (${r.deliveries.toLocaleString('en')} deliveries in ${r.ticks.toLocaleString('en')} ticks).\n`);
  console.log('| measure | value | goal | |');
  console.log('| --- | ---: | ---: | --- |');
  console.log(`| whole season (setup ${(r.setupMs / 1000).toFixed(1)} s + run ${(r.runMs / 1000).toFixed(1)} s) | ${totalS.toFixed(1)} s | ≤ ${GOAL_SEASON_S} s | ${mark(totalS <= GOAL_SEASON_S)} |`);
  console.log(`| of which in scheduler ticks (slowest ${r.slowestTick.toFixed(0)} ms) | ${(r.tickMs / 1000).toFixed(1)} s | | |`);
  const floorS = (r.commits * r.commitUs) / 1e6;
  const perTransactionUs = ((r.setupMs + r.runMs) * 1000) / r.commits;
  console.log(`| transactions (one per use case; the scheduler's batched) | ${r.commits.toLocaleString('en')}, ${perTransactionUs.toFixed(0)} µs each with everything in them | | |`);
  console.log(`| the smallest use case here: begin, one row in each of five tables (five pages), commit | ${r.commitUs.toFixed(0)} µs | | |`);
  console.log(`| that many transactions of that size alone | ${floorS.toFixed(1)} s | ≤ ${GOAL_SEASON_S} s | leaves ${Math.max(0, GOAL_SEASON_S - floorS).toFixed(1)} s for all else |`);
  console.log(`| one tick with 1,000 nudges due (bench/scheduler.ts, warm, median of 7) | ${tick === null ? 'n/a' : `${tick.toFixed(1)} ms`} | ≤ ${GOAL_TICK_MS} ms | ${tick === null ? '' : mark(tick <= GOAL_TICK_MS)} |`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
