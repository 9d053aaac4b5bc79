/** `npx sparring start` with Teams (and Slack beside it on the same port), and `npx sparring manifest teams`. */
import { unzipSync } from 'fflate';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { projectRoot } from '../../src/paths';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector';
import { sendSigned, slackPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { freePort, until } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

const bin = join(projectRoot(), 'dist', 'bin', 'sparring.js');
const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('npx sparring start, on Teams and Slack at once', () => {
  let connector: FakeConnector;
  let slack: FakeSlack;
  beforeEach(async () => {
    connector = await startFakeConnector();
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await connector.close();
    await slack.close();
  });

  it('serves /api/messages, /slack/events and /healthz on one port, warns loudly without an app id, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = { PATH: process.env.PATH, LOG_LEVEL: 'warn', ADAPTERS: 'slack,teams', TEAMS_ALLOW_UNAUTHENTICATED: 'true', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: String(port), DATABASE_PATH: tempDatabasePath() };
    const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0)) === 200, '/healthz');
      expect(stderr).toContain('WITHOUT AUTHENTICATION');
      const install = {
        type: 'conversationUpdate',
        id: 'in-1',
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: '29:someone', aadObjectId: 'aad-someone' },
        recipient: { id: '28:bot' },
        conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: 't' },
        membersAdded: [{ id: '28:bot' }],
      };
      const response = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(install) });
      expect(response.status).toBe(200);
      await until(() => connector.to('a:conv-1').length === 1, 'the reply in Teams');
      const slackReply = await sendSigned(`http://127.0.0.1:${port}/slack/events`, 'secret', slackPayload.dm('UX', 'hej', 'EvBoth'));
      expect(slackReply.status).toBe(200);
      await until(() => slack.of('chat.postMessage').length === 1, 'the reply in Slack');
      expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/api/messages`)).status).toBe(405);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('npx sparring manifest teams', () => {
  const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [bin, 'manifest', 'teams', ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

  it('writes the app package: manifest.json on schema 1.19 with the bot and its commands, and the two icons', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'sparring-manifest-')), 'app.zip');
    const result = run(['--url', 'https://sparring.uni.example', '--output', output], { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'MultiTenant' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = unzipSync(readFileSync(output));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'da.json', 'manifest.json', 'outline.png']); // da.json: the Danish strings
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as Record<string, any>;
    expect(manifest.manifestVersion).toBe('1.19');
    expect(manifest.$schema).toContain('/v1.19/');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes).toEqual(['personal']);
    const commands = manifest.bots[0].commandLists[0].commands as { title: string; description: string }[];
    expect(commands.length).toBeLessThanOrEqual(10);
    expect(commands.map((c) => c.title)).toEqual(expect.arrayContaining(['help', 'prep', 'book', 'status']));
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.validDomains).toEqual(['sparring.uni.example']);
    const color = PNG.sync.read(Buffer.from(files['color.png']!));
    const outline = PNG.sync.read(Buffer.from(files['outline.png']!));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    // The outline icon is white on transparent, and not empty.
    let opaque = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3]! > 0) {
        opaque += 1;
        expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(opaque).toBeGreaterThan(100);
  });

  it('asks for the app id, and warns when the address is left to a placeholder', () => {
    expect(run(['--url', 'https://sparring.uni.example']).stderr).toContain('--app-id');
    expect(run(['--app-id', 'not-a-guid', '--url', 'https://x.example']).status).toBe(2);
    const output = join(mkdtempSync(join(tmpdir(), 'sparring-manifest-')), 'app.zip');
    const placeholder = run(['--app-id', APP_ID, '--output', output]);
    expect(placeholder.status).toBe(0);
    expect(placeholder.stderr).toContain('--url');
    const manifest = JSON.parse(Buffer.from(unzipSync(readFileSync(output))['manifest.json']!).toString('utf8')) as { developer: { privacyUrl: string } };
    expect(manifest.developer.privacyUrl).toBe('https://sparring.example.org/privacy');
  });
});
