/**
 * Launch day through Slack: a programme starts for 1,000 people (500 pairs), so each is owed a
 * welcome and an introduction. They go through the real scheduler (assemble) and the real
 * SlackMessenger to a fake Slack on loopback that keeps Slack's documented limits and answers 429
 * beyond them. Then a restart and one more message to everyone (the DM channels are stored, so no
 * conversation is opened again). Everything (the core's clock, the adapter's buckets, the fake's
 * limits) runs on one clock accelerated `speed` times (default 20), so the ~25 simulated minutes take
 * about 75 s. Prints a table: simulated wall time against the floor the limits imply, the share of
 * calls answered 429, lost and doubled messages. Not a test. Usage: node dist/bench/slack-launch.js [people] [speed]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SlackClient } from '../adapters/slack/client';
import { acceleratedTimer, SlackLimits } from '../adapters/slack/limits';
import { SlackMessenger } from '../adapters/slack/messenger';
import { silentLogger } from '../src/log';
import { REPLY } from '../src/replies';
import { planNudge } from '../src/scheduler/nudges';
import { addIdentity, createPerson } from '../src/people';
import { createProgramme } from '../src/programme/programmes';
import { joinProgramme, matchPair } from '../src/flows/season';
import { assemble, openCore } from '../src/sparring';
import { FAKE_SLACK_RATES, startFakeSlack } from '../test/helpers/fake-slack';

const START = Date.parse('2026-10-06T08:00:00Z'); // a Tuesday, 10:00 in Copenhagen
const HINTS = { reply: 'Svar her', openForm: 'Svar i en formular', pickDate: 'Vælg dato' };

/** The shortest time Slack's limits allow for `users` conversations opened and `posts` messages. */
function floorMs(users: number, posts: number, perUser: number): number {
  const tier3 = FAKE_SLACK_RATES.tier3;
  const workspace = FAKE_SLACK_RATES.postPerWorkspace;
  const channel = FAKE_SLACK_RATES.postPerChannel;
  const opens = (Math.max(0, users - tier3.burst) * 60_000) / tier3.perMinute;
  const allPosts = (Math.max(0, posts - workspace.burst) * 60_000) / workspace.perMinute;
  const oneChannel = (Math.max(0, perUser - channel.burst) * 60_000) / channel.perMinute;
  return Math.max(opens, allPosts, oneChannel);
}

async function main() {
  const people = Number(process.argv[2] ?? 1000);
  const speed = Number(process.argv[3] ?? 20);
  const dir = mkdtempSync(join(tmpdir(), 'sparring-slack-bench-'));
  const timer = acceleratedTimer(speed, START);
  const slack = await startFakeSlack({ enforceLimits: true, now: timer.now });
  try {
    const core = openCore({ databasePath: join(dir, 'bench.db'), clock: { now: timer.now }, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const programme = createProgramme(core, { name: 'Launch', startsOn: '2026-10-06', endsOn: '2026-12-18' });
    core.db.transaction(() => {
      for (let pair = 1; pair <= people / 2; pair += 1) {
        const ids = (['mentee', 'mentor'] as const).map((role, i) => {
          const user = `U${String(2 * pair - 1 + i).padStart(5, '0')}`;
          const id = createPerson(core, { name: `${role === 'mentee' ? 'Mia' : 'Max'} ${user}` });
          addIdentity(core, id, 'slack', user, `slack:${user}`);
          joinProgramme(core, programme.id, id, role);
          return id;
        });
        matchPair(core, programme.id, ids[0]!, ids[1]!);
      }
    })();

    const table: string[] = [];
    const fmtMin = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;

    /** Delivers what `where` selects through a fresh client and messenger (a process start), and adds a row to the table. */
    async function wave(label: string, where: string): Promise<void> {
      const client = new SlackClient('xoxb-test', { apiUrl: slack.apiUrl, limits: new SlackLimits(timer) });
      const messenger = new SlackMessenger(client, core.db, timer.now, () => HINTS);
      const { scheduler } = assemble(core, messenger);
      const planned = (core.db.prepare(`SELECT count(*) AS n FROM nudges WHERE ${where}`).get() as { n: number }).n;
      const callsBefore = slack.calls.length;
      const postsBefore = slack.of('chat.postMessage').filter((c) => c.ok).length;
      const opensBefore = slack.of('conversations.open').filter((c) => c.ok).length;
      process.stderr.write(`${label}: delivering ${planned} nudges to ${people} people at ${speed}× speed…\n`);
      const t0 = performance.now();
      const simStart = timer.now();
      let lastDelivery = simStart;
      const open = () => (core.db.prepare(`SELECT count(*) AS n FROM nudges WHERE ${where} AND status IN ('pending', 'sending')`).get() as { n: number }).n;
      while (open() > 0 && timer.now() < simStart + 3 * 60 * 60_000) {
        const report = await scheduler.runOnce();
        if (report.delivered > 0) lastDelivery = timer.now();
        if (report.claimed === 0) await timer.sleep(1000);
      }
      const realMs = performance.now() - t0;
      await scheduler.stop({ deadlineMs: 1000 });

      const rows = core.db.prepare(`SELECT status, count(*) AS n FROM nudges WHERE ${where} GROUP BY status`).all() as { status: string; n: number }[];
      const delivered = rows.find((r) => r.status === 'delivered')?.n ?? 0;
      const posts = slack.of('chat.postMessage').filter((c) => c.ok).slice(postsBefore);
      const opened = slack.of('conversations.open').filter((c) => c.ok).length - opensBefore;
      const calls = slack.calls.slice(callsBefore);
      const tooMany = calls.filter((c) => c.status === 429).length;
      const channels = new Map<string, number>();
      for (const p of posts) channels.set(String(p.args.channel), (channels.get(String(p.args.channel)) ?? 0) + 1);
      const wallMs = lastDelivery - simStart;
      const floor = floorMs(opened, posts.length, Math.max(0, ...channels.values()));
      table.push(
        `| ${label} | ${planned.toLocaleString('en')} | ${posts.length.toLocaleString('en')} | ${opened.toLocaleString('en')} | ${fmtMin(wallMs)} | ${fmtMin(floor)} | ${(wallMs / floor).toFixed(3)}× | ${(realMs / 1000).toFixed(1)} s | ${calls.length.toLocaleString('en')} | ${tooMany} (${((100 * tooMany) / Math.max(1, calls.length)).toFixed(2)} %) | ${planned - delivered} | ${doubledSoFar()} |`,
      );
    }

    /** Messages posted more than once under one nudge key, over the whole run. */
    function doubledSoFar(): number {
      const seen = new Set<string>();
      let doubled = 0;
      for (const p of slack.of('chat.postMessage').filter((c) => c.ok)) {
        const key = (p.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '';
        if (seen.has(key)) doubled += 1;
        seen.add(key);
      }
      return doubled;
    }

    await wave('launch: welcome + introduction', "kind IN ('onboarding.welcome', 'intro.match')");
    // A restart, then one more message to everyone: the DM channels are known, only the post budget counts.
    const now = timer.now();
    const persons = core.db.prepare("SELECT person_id AS id FROM identities WHERE platform = 'slack'").all() as { id: number }[];
    for (const { id } of persons) planNudge(core.db, { key: `bench-second:${id}`, kind: REPLY, personId: id, payload: { message: { text: 'Husk at booke jeres første møde.' } }, dueAt: now, expiresAt: now + 3 * 60 * 60_000 }, now);
    await wave('after a restart: one more each', "key LIKE 'bench-second:%'");

    console.log(`Slack launch day: ${people.toLocaleString('en')} people (${people / 2} pairs), the real scheduler and SlackMessenger, a fake Slack on loopback keeping the documented limits; every clock accelerated ${speed}× (simulated times below).\n`);
    console.log('| wave | nudges | messages posted | conversations opened | wall time | floor from the limits | ratio (goal ≤ 1.1×) | real time | Web API calls | answered 429 (goal < 1 %) | lost | doubled |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of table) console.log(row);
    console.log(
      `\nFloor: the longest of conversations.open at ${FAKE_SLACK_RATES.tier3.perMinute}/min (burst ${FAKE_SLACK_RATES.tier3.burst}), chat.postMessage at ${FAKE_SLACK_RATES.postPerWorkspace.perMinute}/min per workspace (burst ${FAKE_SLACK_RATES.postPerWorkspace.burst}) and ${FAKE_SLACK_RATES.postPerChannel.perMinute}/min per channel (burst ${FAKE_SLACK_RATES.postPerChannel.burst}). The adapter keeps 95 % of each rate.`,
    );
    core.db.close();
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
