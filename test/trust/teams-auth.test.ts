/**
 * Teams without authentication only on purpose (issue 12, item 9): no app id and no
 * TEAMS_ALLOW_UNAUTHENTICATED stops the start; with it, an unsigned activity that names a service URL
 * off this machine is refused and nothing is called there, in the turn or later.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { createTeamsAdapter, isLoopbackUrl, type TeamsAdapter } from '../../adapters/teams/app';
import type { Core } from '../../src/core';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock } from '../helpers/fake-clock';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector';
import { tempDatabasePath } from '../helpers/sparring';

/** A server that only counts requests, reachable at this machine's outward address (not loopback). */
async function startElsewhere(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const outward = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? '10.255.255.1';
  return { url: `http://${outward}:${(server.address() as AddressInfo).port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function openTestCore(): Core {
  const core = openCore({ databasePath: tempDatabasePath(), clock: createFakeClock('2026-10-01T08:00:00Z'), log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  const programme = createProgramme(core, { name: 'Programme', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  const astrid = createPerson(core, { name: 'Astrid Holm' });
  addIdentity(core, astrid, 'teams', '29:astrid', null);
  addParticipant(core, programme.id, astrid, 'mentee');
  return core;
}

describe('Teams without an app id', () => {
  it('does not start unless TEAMS_ALLOW_UNAUTHENTICATED asks for it, and says what to set', () => {
    const core = openTestCore();
    expect(() => createTeamsAdapter(core, {}, silentLogger)).toThrow(ConfigError);
    expect(() => createTeamsAdapter(core, {}, silentLogger)).toThrow(/MicrosoftAppId is missing: .*TEAMS_ALLOW_UNAUTHENTICATED=true/);
    core.db.close();
  });

  describe('when allowed, for local testing', () => {
    let core: Core;
    let teams: TeamsAdapter;
    let http: HttpServer;
    let connector: FakeConnector;
    let elsewhere: Awaited<ReturnType<typeof startElsewhere>>;
    const post = async (serviceUrl: string) => {
      const activity = {
        type: 'message',
        id: 'act-1',
        channelId: 'msteams',
        serviceUrl,
        from: { id: '29:astrid', name: 'Astrid' },
        recipient: { id: '28:sparring-bot' },
        conversation: { id: 'a:astrid', conversationType: 'personal', tenantId: 't' },
        text: 'hjælp',
      };
      const response = await fetch(`http://127.0.0.1:${http.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await response.text();
      return response.status;
    };

    beforeEach(async () => {
      core = openTestCore();
      teams = createTeamsAdapter(core, { allowUnauthenticated: true }, silentLogger);
      teams.start(assemble(core, teams.messenger).bot);
      http = await startHttpServer(0, teams.routes, silentLogger, '127.0.0.1');
      connector = await startFakeConnector();
      elsewhere = await startElsewhere();
    });
    afterEach(async () => {
      await http.close();
      await connector.close();
      await elsewhere.close();
      core.db.close();
    });

    it('refuses an activity whose serviceUrl is not on this machine, and calls nothing there', async () => {
      expect(isLoopbackUrl(elsewhere.url)).toBe(false);

      const status = await post(elsewhere.url);

      expect(status).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(elsewhere.requests).toEqual([]);
      expect(core.db.prepare('SELECT count(*) FROM teams_conversations').pluck().get()).toBe(0);
    });

    it('answers an activity from a local connector', async () => {
      expect(await post(connector.url)).toBe(200);
      expect(connector.to('a:astrid')).toHaveLength(1);
    });

    it('sends nothing later to a service URL kept from before, off this machine', async () => {
      const reference = { serviceUrl: elsewhere.url, conversation: { id: 'a:astrid' }, user: { id: '29:astrid' }, bot: { id: '28:sparring-bot' }, channelId: 'msteams' };
      core.db.prepare("INSERT INTO teams_conversations (user_id, reference, updated_at) VALUES ('29:astrid', ?, 0)").run(JSON.stringify(reference));

      await expect(teams.messenger.deliver('teams:29:astrid', { text: 'Hej Astrid' }, { key: 'test:1' })).rejects.toThrow(/not installed/);

      expect(elsewhere.requests).toEqual([]);
    });
  });
});
