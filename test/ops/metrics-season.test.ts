/**
 * /metrics after a small season: two pairs on Slack from late September to Christmas, delivered by
 * the real scheduler through the real Slack messenger to the fake Slack, on a fake clock. The
 * exposition, read back with a Prometheus text parser, says what happened: the messages the fake
 * Slack accepted, the one 429 it answered and its Retry-After, the ticks that ran, the answers the
 * mentee gave, the nudges in the database by state and kind (housekeeping has deleted the oldest
 * delivered rows by then, so these are the table's, not the season's). No label names a person.
 */
import { createSlackAdapter } from '../../adapters/slack/app';
import { acceleratedTimer } from '../../adapters/slack/limits';
import { silentLogger } from '../../src/log';
import { bookMeeting } from '../../src/meetings';
import { createMetrics } from '../../src/metrics/prometheus';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { nextDueAt } from '../../src/scheduler/nudges';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock } from '../helpers/fake-clock';
import { startFakeSlack } from '../helpers/fake-slack';
import { tempDatabasePath } from '../helpers/sparring';

jest.setTimeout(60_000);

/** What parse-prometheus-text-format returns (prom2json's shape). */
interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Family[];

/** The value of one sample (0 when the series does not exist). */
function sample(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  const hit = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return hit ? Number(hit.value ?? hit.count) : 0;
}

const ALIGNMENT_ANSWERS = ['spring over', 'spring over', 'spring over', 'spring over', '4', 'spring over', 'spring over'];

describe('/metrics after a small season on Slack', () => {
  it('counts the deliveries, the 429 and its wait, the ticks, the answers and the nudges as they happened, naming nobody', async () => {
    const slack = await startFakeSlack();
    const clock = createFakeClock('2026-09-28T08:00:00Z'); // a Monday, 10:00 in Copenhagen
    const metrics = createMetrics({ nudgeCacheMs: 0 });
    const core = openCore({ databasePath: tempDatabasePath(), clock, log: silentLogger, metrics: metrics.core, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    metrics.countNudges(core.db);
    try {
      const adapter = createSlackAdapter(core, { botToken: 'xoxb-test', signingSecret: 'secret', apiUrl: slack.apiUrl, paceMs: 0, timer: acceleratedTimer(1000), resolveEmails: false }, silentLogger);
      const { bot, scheduler } = assemble(core, adapter.messenger, { owner: 'metrics-season' });
      const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
      const person = (name: string, user: string, role: 'mentee' | 'mentor') => {
        const id = createPerson(core, { name, locale: null, timezone: null });
        addIdentity(core, id, 'slack', user, `slack:${user}`);
        addParticipant(core, programme.id, id, role);
        return id;
      };
      const astrid = person('Astrid Holm', 'UASTRID01', 'mentee');
      const jonas = person('Jonas Berg', 'UJONAS001', 'mentor');
      const mikkel = person('Mikkel Lund', 'UMIKKEL01', 'mentee');
      const sofie = person('Sofie Dahl', 'USOFIE001', 'mentor');
      for (const [mentee, mentor] of [
        [astrid, jonas],
        [mikkel, sofie],
      ] as const) {
        bookMeeting(core, { pairId: createPair(core, programme.id, mentee, mentor), startsAt: Date.parse('2026-10-01T14:00:00Z'), durationMin: 60 });
      }
      let ticks = 0;
      const tick = async () => {
        ticks += 1;
        await scheduler.runOnce();
      };

      await tick(); // the invitations and the expectation alignment go out
      for (const text of ALIGNMENT_ANSWERS) bot.handle(astrid, { type: 'text', text });
      slack.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } });
      const end = Date.parse('2026-12-20T00:00:00Z');
      for (let due = nextDueAt(core.db); due !== null && due <= end; due = nextDueAt(core.db)) {
        if (due > clock.now()) clock.set(due);
        await tick();
      }

      const families = parsePrometheus((await metrics.render()).body);
      const posted = slack.of('chat.postMessage');
      const accepted = posted.filter((c) => c.ok).length;
      expect(accepted).toBeGreaterThan(10);
      expect(sample(families, 'sparring_deliveries_total', { platform: 'slack' })).toBe(accepted);
      expect(slack.rateLimited()).toHaveLength(1);
      expect(sample(families, 'sparring_delivery_failures_total', { platform: 'slack', reason: 'rate_limited' })).toBe(1);
      expect(sample(families, 'sparring_rate_limited_total', { platform: 'slack' })).toBe(1);
      expect(sample(families, 'sparring_retry_after_milliseconds_total', { platform: 'slack' })).toBe(3000);
      expect(sample(families, 'sparring_scheduler_tick_duration_seconds')).toBe(ticks);
      expect(sample(families, 'sparring_dialogue_answers_total', { flow: 'align' })).toBe(ALIGNMENT_ANSWERS.length);

      // The nudges by state and kind are the table's, row for row.
      const rows = core.db.prepare('SELECT status, kind, count(*) AS n FROM nudges GROUP BY status, kind').all() as { status: string; kind: string; n: number }[];
      const nudges = families.find((f) => f.name === 'sparring_nudges')!;
      expect(nudges.type).toBe('GAUGE');
      expect(nudges.metrics.map((m) => [m.labels!.state, m.labels!.kind, Number(m.value)]).sort()).toEqual(rows.map((r) => [r.status, r.kind, r.n]).sort());
      expect(rows.some((r) => r.status === 'delivered')).toBe(true);

      // No label carries a person: no Slack id, no name, no words anyone wrote.
      const values = families.flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
      for (const value of values) expect(value).not.toMatch(/U[A-Z0-9]{6,}|Astrid|Jonas|Mikkel|Sofie|spring over/);
    } finally {
      core.db.close();
      await slack.close();
    }
  });
});
