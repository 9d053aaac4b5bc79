/**
 * `npm run bench`: the scheduler tick on programmes of 1,000, 10,000 and 100,000 pairs, idle and
 * with 1,000 nudges due, delivered to an in-memory messenger; and matching 2,000 mentees to 1,000
 * mentors. Prints tables; not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Core } from '../src/core';
import { silentLogger } from '../src/log';
import type { Messenger } from '../src/messenger';
import { bestMatches, suggestMatches } from '../src/coordinator/matching';
import { assemble, openCore } from '../src/sparring';
import { DAY, HOUR } from '../src/time';

const NOW = Date.parse('2026-10-06T08:00:00Z'); // a Tuesday, 10:00 in Copenhagen
const DUE = 1_000;
/** Busy ticks before the measured ones, and the measured ones. */
const WARM_UP = 2;
const BUSY_ROUNDS = 7;

/** Fills the database like a season in full swing: every pair has a meeting, two delivered nudges and one planned. */
function populate(core: Core, pairs: number): void {
  const db = core.db;
  db.transaction(() => {
    db.prepare("INSERT INTO programmes (id, name, starts_on, ends_on, locale, timezone, created_at) VALUES (1, 'Bench', '2026-09-01', '2026-12-18', 'da', 'Europe/Copenhagen', 0)").run();
    const person = db.prepare('INSERT INTO people (id, name, created_at) VALUES (?, ?, 0)');
    const identity = db.prepare("INSERT INTO identities (platform, platform_id, person_id, address) VALUES ('bench', ?, ?, ?)");
    const participant = db.prepare('INSERT INTO participants (programme_id, person_id, role, joined_at) VALUES (1, ?, ?, 0)');
    const pair = db.prepare('INSERT INTO pairs (id, programme_id, mentee_id, mentor_id, matched_at) VALUES (?, 1, ?, ?, 0)');
    const meeting = db.prepare('INSERT INTO meetings (id, pair_id, starts_at, duration_min, created_at) VALUES (?, ?, ?, 60, 0)');
    const nudge = db.prepare(
      `INSERT INTO nudges (key, kind, person_id, subject, payload, due_at, expires_at, status, delivered_at, created_at)
       VALUES (?, 'prep.prompt', ?, ?, ?, ?, ?, ?, ?, 0)`,
    );
    for (let i = 1; i <= pairs; i += 1) {
      const mentee = 2 * i - 1;
      const mentor = 2 * i;
      for (const [id, role] of [[mentee, 'mentee'], [mentor, 'mentor']] as const) {
        person.run(id, `Person ${id}`);
        identity.run(String(id), id, `bench:${id}`);
        participant.run(id, role);
      }
      pair.run(i, mentee, mentor);
      const startsAt = NOW + 3 * DAY + (i % 40) * HOUR;
      meeting.run(i, i, startsAt);
      const payload = JSON.stringify({ meetingId: i });
      nudge.run(`old-a:${i}`, mentee, `meeting:${i}`, payload, NOW - 30 * DAY, null, 'delivered', NOW - 30 * DAY);
      nudge.run(`old-b:${i}`, mentor, `meeting:${i}`, payload, NOW - 20 * DAY, null, 'delivered', NOW - 20 * DAY);
      nudge.run(`prep:${i}`, mentee, `meeting:${i}`, payload, startsAt - 2 * DAY, startsAt - HOUR, 'pending', null);
    }
  })();
  // No ANALYZE: Sparring never runs it, and with its statistics (this SQLite keeps STAT4) every query
  // with a parameter on an indexed column is planned again each time it runs, three times the cost.
}

const messenger: Messenger = {
  platforms: ['bench'],
  deliver: async () => ({ messageId: 'x' }),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(pairs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-bench-'));
  try {
    const core = openCore({ databasePath: join(dir, 'bench.db'), clock: { now: () => NOW }, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const t0 = performance.now();
    populate(core, pairs);
    const populateMs = performance.now() - t0;
    const { scheduler } = assemble(core, messenger);
    await scheduler.runOnce(); // the first tick of a process also looks for rows left in flight

    const idle: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const start = performance.now();
      const report = await scheduler.runOnce();
      idle.push(performance.now() - start);
      if (report.claimed !== 0) throw new Error('the idle tick claimed something');
    }

    // The first busy ticks of a process also compile the delivery path (V8's optimising compiler runs
    // beside it: more CPU than wall time). The first is reported on its own; the goal is for a warm
    // process, as a server is after its first minutes: the median of BUSY_ROUNDS after WARM_UP rounds.
    const busy: number[] = [];
    let firstMs = 0;
    for (let round = 0; round < WARM_UP + BUSY_ROUNDS; round += 1) {
      core.db.transaction(() => {
        core.db.exec('DELETE FROM dialogues; DELETE FROM preps');
        core.db.prepare(`UPDATE nudges SET status = 'pending', due_at = ?, attempts = 0, delivered_at = NULL WHERE key IN (${Array.from({ length: DUE }, (_, i) => `'prep:${i + 1}'`).join(',')})`).run(NOW - 1000);
      })();
      const start = performance.now();
      const report = await scheduler.runOnce();
      if (round === 0) firstMs = performance.now() - start;
      if (round >= WARM_UP) busy.push(performance.now() - start);
      if (report.delivered !== DUE) throw new Error(`expected ${DUE} deliveries, got ${JSON.stringify(report)}`);
    }
    const rows = (core.db.prepare('SELECT count(*) AS n FROM nudges').get() as { n: number }).n;
    core.db.close();
    return { pairs, rows, populateMs, idleMs: median(idle), firstMs, busyMs: median(busy) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Matching 2,000 mentees to 1,000 mentors (capacity 2), through the real store. */
async function measureMatching() {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-bench-'));
  try {
    const core = openCore({ databasePath: join(dir, 'match.db'), clock: { now: () => NOW }, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const faculties = ['it', 'jura', 'humaniora', 'sundhed', 'natur'];
    const words = ['ux', 'data', 'ledelse', 'etik', 'software', 'marketing', 'finans', 'forskning', 'design', 'sikkerhed'];
    core.db.transaction(() => {
      core.db.prepare("INSERT INTO programmes (id, name, starts_on, ends_on, locale, timezone, created_at) VALUES (1, 'Match', '2026-09-01', '2026-12-18', 'da', 'Europe/Copenhagen', 0)").run();
      const person = core.db.prepare('INSERT INTO people (id, name, created_at) VALUES (?, ?, 0)');
      const participant = core.db.prepare('INSERT INTO participants (programme_id, person_id, role, profile, joined_at) VALUES (1, ?, ?, ?, 0)');
      for (let i = 1; i <= 3000; i += 1) {
        const mentor = i > 2000;
        person.run(i, `Person ${i}`);
        const profile = { faculty: faculties[i % 5], interests: [words[i % 10], words[(i * 7) % 10]], job_title: mentor ? `${words[(i * 3) % 10]} lead` : undefined, capacity: mentor ? 2 : undefined };
        participant.run(i, mentor ? 'mentor' : 'mentee', JSON.stringify(profile));
      }
    })();
    const times: number[] = [];
    let matched = 0;
    for (let round = 0; round < 5; round += 1) {
      const start = performance.now();
      matched = bestMatches(core, 1).length;
      times.push(performance.now() - start);
    }
    const suggestStart = performance.now();
    suggestMatches(core, 1);
    const suggestMs = performance.now() - suggestStart;
    core.db.close();
    return { bestMs: median(times), suggestMs, matched };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const results = [];
  for (const pairs of sizes.length > 0 ? sizes : [1_000, 10_000, 100_000]) {
    process.stderr.write(`measuring ${pairs.toLocaleString('en')} pairs…\n`);
    results.push(await measure(pairs));
  }
  const fmt = (n: number, digits = 3) => n.toFixed(digits);
  console.log(
    `Scheduler tick on a SQLite file (WAL), in-memory messenger; median of 200 idle ticks, and of ${BUSY_ROUNDS} ticks with ${DUE.toLocaleString('en')} due after ${WARM_UP} that warm the process up (the first one shown on its own).\n`,
  );
  console.log('| pairs | nudge rows | idle tick (ms) | tick with 1,000 due (ms) | per delivered nudge (ms) | first tick with 1,000 due (ms) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(`| ${r.pairs.toLocaleString('en')} | ${r.rows.toLocaleString('en')} | ${fmt(r.idleMs)} | ${fmt(r.busyMs, 1)} | ${fmt(r.busyMs / DUE)} | ${fmt(r.firstMs, 1)} |`);
  }
  process.stderr.write('measuring matching…\n');
  const m = await measureMatching();
  console.log('\nMatching 2,000 mentees to 1,000 mentors (capacity 2 each), median of 5:\n');
  console.log('| best assignment (ms) | suggestions, 3 per mentee (ms) | pairs matched |');
  console.log('| ---: | ---: | ---: |');
  console.log(`| ${fmt(m.bestMs, 1)} | ${fmt(m.suggestMs, 1)} | ${m.matched.toLocaleString('en')} |`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
