/**
 * What Teams will take: no card over 28 KB, no message Teams refuses. A coordinator's list of a
 * thousand pairs comes in pages with "show more"; the report chart goes by a signed, expiring link
 * under PUBLIC_URL, or inline reduced when there is none; and a message the connector refuses as too
 * large (413) goes again smaller, so the person always gets something. botbuilder's real CloudAdapter
 * behind POST /api/messages on loopback, the fake connector (which can refuse large bodies with 413),
 * the core on a real SQLite file.
 */
import { PNG } from 'pngjs';
import { startHttpServer, type HttpServer } from '../../adapters/http';
import { createTeamsAdapter, type TeamsAdapter } from '../../adapters/teams/app';
import { cardProblems, MORE_KIND, type Card } from '../../adapters/teams/cards';
import { IMAGE_LINK_MS, IMAGE_PATH } from '../../adapters/teams/images';
import { reportPng } from '../../src/coordinator/chart';
import { seasonReport } from '../../src/coordinator/report';
import type { Core } from '../../src/core';
import { silentLogger } from '../../src/log';
import { createPair } from '../../src/pairs';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { assemble, openCore } from '../../src/sparring';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { startFakeConnector, type FakeConnector, type Sent } from '../helpers/fake-connector';
import { freePort } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

/** Teams' limit for a card, and for a whole message. */
const TEAMS_LIMIT = 28 * 1024;
const COORDINATOR = { user: '29:coord', conversation: 'a:conv-coord' };

interface Harness {
  core: Core;
  clock: FakeClock;
  connector: FakeConnector;
  teams: TeamsAdapter;
  base: string;
  say(text: string): Promise<void>;
  press(data: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

function seed(core: Core, pairs: number): number {
  const programme = createProgramme(core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  core.db.transaction(() => {
    const coordinator = createPerson(core, { name: 'Karen Lund', email: 'karen@uni.example.dk' });
    addIdentity(core, coordinator, 'teams', COORDINATOR.user, null);
    addParticipant(core, programme.id, coordinator, 'coordinator');
    for (let i = 1; i <= pairs; i += 1) {
      const n = String(i).padStart(4, '0');
      const mentee = createPerson(core, { name: `Mentee ${n} Studerende` });
      const mentor = createPerson(core, { name: `Mentor ${n} Rådgiver` });
      addParticipant(core, programme.id, mentee, 'mentee');
      addParticipant(core, programme.id, mentor, 'mentor');
      createPair(core, programme.id, mentee, mentor);
    }
  })();
  return programme.id;
}

let seq = 0;

async function startHarness(o: { pairs?: number; publicUrl?: boolean; maxBodyBytes?: number } = {}): Promise<Harness> {
  const clock = createFakeClock('2026-10-01T08:00:00Z');
  const connector = await startFakeConnector({ maxBodyBytes: o.maxBodyBytes });
  const core = openCore({ databasePath: tempDatabasePath(), clock, log: silentLogger, defaults: { locale: 'da', timezone: 'Europe/Copenhagen' } });
  seed(core, o.pairs ?? 3);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const teams = createTeamsAdapter(core, { allowUnauthenticated: true, ...(o.publicUrl ? { publicUrl: `${base}/` } : {}) }, silentLogger);
  const { bot, scheduler } = assemble(core, teams.messenger);
  teams.start(bot);
  const http: HttpServer = await startHttpServer(port, teams.routes, silentLogger, '127.0.0.1');
  const post = async (extra: Record<string, unknown>) => {
    const activity = {
      id: `act-in-${(seq += 1)}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: COORDINATOR.user, name: 'Karen' },
      recipient: { id: '28:sparring-bot', name: 'Sparring' },
      conversation: { id: COORDINATOR.conversation, conversationType: 'personal', tenantId: 'tenant-1' },
      locale: 'da-DK',
      ...extra,
    };
    const response = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await response.text();
    expect(response.status).toBe(200);
  };
  await post({ type: 'conversationUpdate', membersAdded: [{ id: '28:sparring-bot' }] });
  return {
    core,
    clock,
    connector,
    teams,
    base,
    say: (text) => post({ type: 'message', text }),
    press: (data) => post({ type: 'message', value: data }),
    async stop() {
      await scheduler.stop();
      await http.close();
      core.db.close();
      await connector.close();
    },
  };
}

const cardOf = (s: Sent) => ((s.activity.attachments as { contentType: string; content: Card }[]) ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
const textOf = (card: Card) => card.body.filter((e) => e.type === 'TextBlock').map((e) => e.text as string).join('\n');
const size = (x: unknown) => Buffer.byteLength(JSON.stringify(x));
const last = (h: Harness) => h.connector.to(COORDINATOR.conversation).at(-1)!;

describe('Teams: a coordinator’s long list', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  it('comes in pages of less than 28 KB each, with “show more” until all 1,000 pairs are shown', async () => {
    h = await startHarness({ pairs: 1000 });
    await h.say('par');
    const cards: Card[] = [cardOf(last(h))!];
    for (let guard = 0; guard < 50; guard += 1) {
      const more = (cards.at(-1)!.actions ?? []).find((a) => (a.data as { kind?: string } | undefined)?.kind === MORE_KIND);
      if (!more) break;
      expect(more.title).toBe('Vis flere');
      await h.press(more.data as Record<string, unknown>);
      cards.push(cardOf(last(h))!);
    }

    expect(cards.length).toBeGreaterThan(4);
    for (const card of cards) {
      expect(size(card)).toBeLessThan(TEAMS_LIMIT);
      expect(cardProblems(card)).toEqual([]);
    }
    for (const sent of h.connector.to(COORDINATOR.conversation)) expect(size(sent.activity)).toBeLessThan(TEAMS_LIMIT);
    const text = cards.map(textOf).join('\n');
    expect(text).toContain('*Par i Efterår 2026* (1000):'.replace(/\*(.+?)\*/, '**$1**'));
    const shown = new Set(text.match(/Mentee \d{4}/g));
    expect(shown.size).toBe(1000);
    expect(textOf(cards[0]!)).toContain(`Side 1 af ${cards.length}`);
    expect(textOf(cards.at(-1)!)).toContain(`Side ${cards.length} af ${cards.length}`);
    expect(h.connector.sent.filter((s) => !s.ok)).toEqual([]);
  });

  it('says the list is gone, and how to ask again, when “show more” comes after the pages were let go', async () => {
    h = await startHarness({ pairs: 3 });
    await h.press({ kind: MORE_KIND, list: 'AAAAAAAAAAAAAAAA', page: 2 });
    expect(textOf(cardOf(last(h))!)).toContain('Den liste har jeg ikke længere ved hånden');
  });
});

/** The report chart as the coordinator's `report` attaches it (drawn once: drawing takes seconds under jest). */
let chart: Buffer | null = null;
function chartMessage(h: Harness) {
  const programme = (h.core.db.prepare('SELECT id FROM programmes').get() as { id: number }).id;
  chart ??= reportPng(h.core, seasonReport(h.core, programme), 'da', 'Efterår 2026');
  return { text: 'Evalueringen af Efterår 2026', attachments: [{ filename: 'evaluering.png', mediaType: 'image/png', content: chart.toString('base64'), encoding: 'base64' as const }] };
}

describe('Teams: the report chart', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  it('with PUBLIC_URL, is shown from a signed link the bot serves until it expires', async () => {
    h = await startHarness({ publicUrl: true });
    await h.say('rapport');
    const sent = last(h);
    expect(size(sent.activity)).toBeLessThan(8 * 1024);
    const image = cardOf(sent)!.body.find((e) => e.type === 'Image')!;
    const url = new URL(image.url as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.base}${IMAGE_PATH}`);

    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await served.arrayBuffer()));
    expect(png.width).toBeGreaterThan(500);

    const forged = new URL(url);
    forged.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400_000));
    expect((await fetch(forged)).status).toBe(403);
    h.clock.advance(IMAGE_LINK_MS + 1000);
    expect((await fetch(url)).status).toBe(410);
  });

  it('without PUBLIC_URL, goes inline as a smaller PNG, the whole message under the limit', async () => {
    h = await startHarness();
    const message = chartMessage(h);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeGreaterThan(TEAMS_LIMIT); // as it is, Teams would refuse it
    await h.teams.messenger.deliver(`teams:${COORDINATOR.user}`, message, { key: 'report:1' });
    const sent = last(h);
    expect(size(sent.activity)).toBeLessThan(TEAMS_LIMIT);
    const inline = (sent.activity.attachments as { contentType: string; contentUrl?: string }[]).find((a) => a.contentType === 'image/png')!;
    const png = PNG.sync.read(Buffer.from(inline.contentUrl!.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(png.width).toBeGreaterThanOrEqual(500);
  });
});

describe('Teams: a message refused as too large (413)', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  it('goes again without the picture when it was the picture, and is delivered', async () => {
    h = await startHarness({ maxBodyBytes: 8_000 });
    const message = chartMessage(h);
    const delivered = await h.teams.messenger.deliver(`teams:${COORDINATOR.user}`, message, { key: 'report:1' });

    expect(delivered.messageId).toMatch(/^a:conv-coord:act-/);
    expect(h.connector.sent.filter((s) => s.status === 413)).toHaveLength(1);
    const card = cardOf(last(h))!;
    expect(textOf(card)).toContain('Evalueringen af Efterår 2026');
    expect(textOf(card)).toContain('Billedet evaluering.png kunne ikke vises i Teams');
    // and it counts as delivered once: asking again finds it
    expect(await h.teams.messenger.findDelivered(`teams:${COORDINATOR.user}`, 'report:1')).toEqual(delivered);
  });

  it('comes down to plain text, then to a short notice, rather than to nothing', async () => {
    h = await startHarness({ pairs: 300, maxBodyBytes: 4_000 });
    await h.say('par');
    // the card, then the plain text (the form without pictures is the same card here, and is not tried)
    const refused = h.connector.sent.filter((s) => s.status === 413);
    expect(refused.map((s) => (s.activity.attachments ? 'card' : 'text'))).toEqual(['card', 'text']);
    const accepted = last(h);
    expect(accepted.activity.attachments ?? []).toEqual([]);
    expect(accepted.activity.text).toContain('Svaret var for stort til, at Teams ville tage imod det');
  });
});
