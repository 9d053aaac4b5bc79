/** `npx sparring start` on Slack and `npx sparring manifest slack`, as separate processes. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { freePort, until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

const bin = join(projectRoot(), 'dist', 'bin', 'sparring.js');

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [bin, 'start'], { env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('npx sparring start, on Slack', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.close());

  it('serves /healthz and /slack/events on PORT, answers a coordinator named in COORDINATORS, and stops on SIGTERM', async () => {
    const port = await freePort();
    const databasePath = tempDatabasePath();
    const created = spawnSync(process.execPath, [bin, 'programme', 'create', '--name', 'Efterår 2026', '--start', '2026-09-01', '--end', '2026-12-18'], { env: { PATH: process.env.PATH, DATABASE_PATH: databasePath }, encoding: 'utf8' });
    expect(created.status).toBe(0);
    const run = start({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: String(port), DATABASE_PATH: databasePath, COORDINATORS: 'slack:UCOORD' });
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0)) === 200, '/healthz');
      const reply = await sendSigned(`http://127.0.0.1:${port}/slack/events`, 'secret', slackPayload.dm('UCOORD', 'help', 'EvCli1'));
      expect(reply.status).toBe(200);
      await until(() => slack.of('chat.postMessage').length > 0, 'the reply');
      expect(slack.of('chat.postMessage')[0]!.args.channel).toBe('DUCOORD');
      expect(String(slack.of('chat.postMessage')[0]!.args.text)).toContain('status');
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });

  it('stops with a clear reason when Slack refuses the token', async () => {
    slack.failNext('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    const run = start({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: String(await freePort()), DATABASE_PATH: tempDatabasePath() });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('Slack did not accept SLACK_BOT_TOKEN (invalid_auth)');
  });
});

describe('npx sparring manifest slack', () => {
  const manifest = (...args: string[]) => spawnSync(process.execPath, [bin, 'manifest', 'slack', ...args], { env: { PATH: process.env.PATH }, encoding: 'utf8' });

  it('prints the manifest for HTTP, with the request URL, scopes, events and /mentor', () => {
    const run = manifest('--url', 'https://sparring.uni.example/');
    expect(run.status).toBe(0);
    const yaml = run.stdout;
    expect(yaml.match(/request_url: "https:\/\/sparring\.uni\.example\/slack\/events"/g)).toHaveLength(2);
    expect(yaml).toContain('url: "https://sparring.uni.example/slack/events"');
    for (const scope of ['chat:write', 'commands', 'im:history', 'im:write', 'users:read.email', 'files:read', 'files:write']) expect(yaml).toContain(`- ${scope} #`);
    for (const event of ['message.im', 'app_home_opened']) expect(yaml).toContain(`- ${event}`);
    expect(yaml).toContain('command: /mentor');
    expect(yaml).toContain('socket_mode_enabled: false');
    expect(yaml).toContain('home_tab_enabled: true');
    expect(yaml).not.toMatch(/\t/);
  });

  it('prints the Socket Mode manifest without URLs', () => {
    const run = manifest('--socket');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('socket_mode_enabled: true');
    expect(run.stdout).not.toContain('url:');
  });

  it('refuses a URL that is not https', () => {
    const run = manifest('--url', 'http://insecure.example');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--url must be the public https address');
  });
});
