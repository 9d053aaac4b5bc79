/**
 * The Slack app asks for no scope it does not use, and reads a DM's history within what Slack allows
 * apps outside the Marketplace: 15 messages a request, one request a minute, a budget every recovery
 * shares. Six messages whose acceptance a crash left unrecorded are recovered by the real scheduler
 * through the real SlackMessenger against a fake Slack that keeps those limits itself; the history
 * reads are counted against them. While the budget is spent, a row stays in doubt (not sent again,
 * not given up) and the log says so.
 */
import { SlackClient } from '../../adapters/slack/client';
import { BOT_SCOPES, slackManifest } from '../../adapters/slack/manifest';
import { SlackLimits } from '../../adapters/slack/limits';
import { SlackMessenger } from '../../adapters/slack/messenger';
import { createLogger } from '../../src/log';
import { addIdentity, createPerson } from '../../src/people';
import { planNudge } from '../../src/scheduler/nudges';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock } from '../helpers/fake-clock';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { noteTasks } from '../helpers/note-task';
import { tempDatabasePath } from '../helpers/sparring';

describe('the Slack app manifest', () => {
  it('asks for im:history and im:write for the DMs, and not im:read, which nothing uses', () => {
    const scopes = BOT_SCOPES.map(([scope]) => scope);
    expect(scopes).toEqual(['chat:write', 'commands', 'im:history', 'im:write', 'users:read', 'users:read.email', 'files:read', 'files:write']);
    const yaml = slackManifest({ url: 'https://sparring.uni.example' });
    expect(yaml).not.toContain('im:read');
    for (const [scope, why] of BOT_SCOPES) expect(yaml).toContain(`- ${scope} # ${why}`);
  });
});

describe('Slack: recovering messages in doubt within the history budget', () => {
  const MINUTE = 60_000;
  let slack: FakeSlack;
  afterEach(async () => slack.close());

  it('reads at most 15 messages a request and at most one request a minute for all of them, and keeps the rest in doubt meanwhile', async () => {
    // Tuesday 09:00 in Copenhagen: no quiet hours in the way.
    const clock = createFakeClock('2026-10-06T07:00:00Z');
    slack = await startFakeSlack({ enforceLimits: true, now: () => clock.now() });
    const lines: string[] = [];
    const log = createLogger('debug', (line) => lines.push(line));
    const core = openCore({ databasePath: tempDatabasePath(), clock, log, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
    const timer = { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms) };
    const messenger = new SlackMessenger(new SlackClient('xoxb-test', { apiUrl: slack.apiUrl, limits: new SlackLimits(timer) }), core.db, () => clock.now(), () => ({ reply: 'Svar her', openForm: 'Svar i en formular', pickDate: 'Vælg dato' }));
    const { scheduler } = assemble(core, messenger, { owner: 'after-the-crash' }, noteTasks);

    // A process posted six messages, Slack took them, and it died before writing down their ts.
    const users = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'];
    for (const [i, user] of users.entries()) {
      const person = createPerson(core, { name: `Person ${i + 1}` });
      addIdentity(core, person, 'slack', user, `slack:${user}`);
      const key = `note:${user}`;
      planNudge(core.db, { key, kind: 'test.note', personId: person, payload: { text: 'hej' }, dueAt: clock.now() }, clock.now());
      await messenger.deliver(`slack:${user}`, { text: 'hej' }, { key });
      slack.userWrites(`D${user}`, user, 'tak!');
      core.db.prepare('UPDATE slack_sends SET ts = NULL WHERE key = ?').run(key);
      core.db.prepare("UPDATE nudges SET status = 'sending', locked_by = 'dead', attempts = 1, lease_until = ? WHERE key = ?").run(clock.now(), key);
    }
    const started = clock.now();
    const posts = () => slack.of('chat.postMessage').filter((c) => c.ok).length;
    expect(posts()).toBe(6);
    const state = () => core.db.prepare("SELECT status, in_doubt AS inDoubt, count(*) AS n FROM nudges GROUP BY status, in_doubt ORDER BY status").all();

    // Within the first minute: one read, one message found; the others wait, still in doubt.
    for (let t = 0; t < 50_000; t += 10_000) {
      await scheduler.runOnce();
      clock.advance(10_000);
    }
    expect(slack.of('conversations.history')).toHaveLength(1);
    expect(state()).toEqual([
      { status: 'delivered', inDoubt: 0, n: 1 },
      { status: 'pending', inDoubt: 1, n: 5 },
    ]);
    const waiting = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'could not ask whether a message arrived; asking again later, not sending');
    expect(waiting.length).toBeGreaterThanOrEqual(5);
    expect(waiting.every((l) => l.unknown === true && String(l.error).includes('history budget is spent'))).toBe(true);

    // Minute by minute (the scheduler asks again a minute after it could not tell), the rest.
    while (clock.now() - started < 15 * MINUTE) {
      await scheduler.runOnce();
      clock.advance(10_000);
    }
    const reads = slack.of('conversations.history');
    expect(reads).toHaveLength(6);
    expect(reads.every((c) => Number(c.args.limit) <= 15)).toBe(true);
    expect(reads.every((c) => c.ok)).toBe(true);
    reads.slice(1).forEach((c, i) => expect(c.at - reads[i]!.at).toBeGreaterThanOrEqual(MINUTE));
    expect(slack.rateLimited()).toEqual([]); // Slack never had to say no
    expect(state()).toEqual([{ status: 'delivered', inDoubt: 0, n: 6 }]);
    // Found, not sent again.
    expect(posts()).toBe(6);
    await scheduler.stop();
    core.db.close();
  });
});
