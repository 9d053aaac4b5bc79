/**
 * Into the desk without a password: the coordinator types `skrivebord` and gets a one-time link in a
 * direct message; opening it once opens a session. Nothing but hashes is stored; a link opened twice,
 * too late, or by a preview bot opens nothing; every request is checked again for the role, every
 * form for the session's CSRF token; and every response forbids script and framing.
 */
import { createHash } from 'node:crypto';
import { html, raw } from '../../adapters/desk/html';
import { CONTENT_SECURITY_POLICY } from '../../adapters/desk/web';
import { endPair } from '../../src/coordinator/pair-actions';
import { getPair } from '../../src/pairs';
import { erasePerson } from '../../src/privacy/erase';
import { MINUTE } from '../../src/time';
import { createTestSparring, type TestSparring } from '../helpers/sparring';
import { seedDeskSeason, type DeskSeason } from './season';
import { askForLink, csrfOf, openLink, serveDesk, signIn, type ServedDesk } from './serve';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let s: TestSparring;
let season: DeskSeason;
let desk: ServedDesk;

beforeEach(async () => {
  s = createTestSparring();
  season = seedDeskSeason(s.core, s.clock);
  desk = await serveDesk(s);
});

afterEach(async () => {
  await desk.close();
  s.close();
});

const open = (link: string, headers: Record<string, string> = {}) => openLink(desk, link, headers);
const signedIn = (personId = season.coordinatorId) => signIn(s, desk, personId);
const get = (path: string, cookie: string) => desk.get(path, cookie);
const post = (path: string, cookie: string, fields: Record<string, string>) => desk.post(path, cookie, fields);

describe('signing in to the desk', () => {
  it('sends the coordinator a one-time link in a direct message, and keeps only its hash', async () => {
    const { reply, link } = await askForLink(s, season.coordinatorId);

    expect(reply).toContain('Jeg har sendt dig et link til skrivebordet i en direkte besked');
    expect(link).toMatch(new RegExp(`^${desk.local}/desk/sign-in\\?token=[0-9a-f]{64}$`));
    const token = new URL(link!).searchParams.get('token')!;
    const rows = s.core.db.prepare('SELECT * FROM desk_links').all() as Record<string, unknown>[];
    expect(rows).toEqual([expect.objectContaining({ person_id: season.coordinatorId, token_hash: sha256(token), used_at: null })]);
    // The token is in the message and nowhere in the database: not in the links, not in the planned nudge.
    const everything = JSON.stringify([rows, s.core.db.prepare("SELECT * FROM nudges WHERE kind = 'desk.link'").all()]);
    expect(everything).not.toContain(token);
  });

  it('answers in English to "desk" too, for a coordinator who writes English', async () => {
    s.core.db.prepare("UPDATE people SET locale = 'en' WHERE id = ?").run(season.coordinatorId);
    const { reply, link } = await askForLink(s, season.coordinatorId, '/mentor desk');
    expect(reply).toContain("I've sent you a link to the desk in a direct message. It works once, within 10 minutes.");
    expect(link).not.toBeNull();
  });

  it('opens a session once: an HttpOnly, SameSite=Strict cookie, and a page that moves on without the token', async () => {
    const { link } = await askForLink(s, season.coordinatorId);
    const first = await open(link!);

    expect(first.res.status).toBe(200);
    expect(first.setCookie).toMatch(/^sparring-desk=[0-9a-f]{64}; Path=\/desk; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(first.body).toContain('<meta http-equiv="refresh" content="0; url=/desk">');
    expect((await get('/desk', first.cookie)).status).toBe(200);
    // The session's token is stored hashed too.
    expect(s.core.db.prepare('SELECT token_hash FROM desk_sessions').pluck().all()).toEqual([sha256(first.cookie.split('=')[1]!)]);

    const again = await open(link!);
    expect(again.res.status).toBe(410);
    expect(again.setCookie).toBe('');
    expect(again.body).toContain('Linket er allerede brugt');
    expect(again.body).toContain('/mentor skrivebord');
  });

  it('refuses a link older than ten minutes, and one that was never issued', async () => {
    const { link } = await askForLink(s, season.coordinatorId);
    s.clock.advance(10 * MINUTE + 1);
    const late = await open(link!);
    expect(late.res.status).toBe(410);
    expect(late.body).toContain('Linket er udløbet');
    expect(late.setCookie).toBe('');

    const made_up = await open(`${desk.local}/desk/sign-in?token=${'ab'.repeat(32)}`);
    expect(made_up.res.status).toBe(404);
    expect(made_up.body).toContain('Linket virker ikke');
  });

  it('leaves the link unused when a chat platform fetches it for a preview', async () => {
    const { link } = await askForLink(s, season.coordinatorId);
    const preview = await open(link!, { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' });
    expect(preview.res.status).toBe(200);
    expect(preview.setCookie).toBe('');
    expect((await open(link!)).res.status).toBe(200);
  });

  it('makes the cookie Secure (and __Host-) when PUBLIC_URL is https', async () => {
    await desk.close();
    desk = await serveDesk(s, { publicUrl: 'https://sparring.example.org' });
    const { link } = await askForLink(s, season.coordinatorId);
    expect(link).toMatch(/^https:\/\/sparring\.example\.org\/desk\/sign-in\?token=/);
    const { setCookie, res } = await open(link!);
    expect(setCookie).toMatch(/^__Host-sparring-desk=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=28800$/);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('ends the session after an hour without a request, and when the coordinator signs out', async () => {
    const cookie = await signedIn();
    s.clock.advance(61 * MINUTE);
    expect((await get('/desk', cookie)).status).toBe(401);

    const fresh = await signedIn();
    const page = await (await get('/desk', fresh)).text();
    const out = await post('/desk/sign-out', fresh, { csrf: csrfOf(page)! });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^sparring-desk=; .*Max-Age=0$/);
    expect((await get('/desk', fresh)).status).toBe(401);
  });

  it('tells the coordinator to start the server with PUBLIC_URL when no desk is served', async () => {
    const other = createTestSparring({ databasePath: s.databasePath, clock: s.clock });
    const reply = other.bot.handle(season.coordinatorId, { type: 'text', text: 'skrivebord' }).replies.map((r) => r.text).join('\n');
    expect(reply).toContain('Skrivebordet kører ikke på denne server. Sæt PUBLIC_URL');
    other.close();
  });
});

describe('who the desk lets in', () => {
  it('gives a mentee no link, and refuses a mentee’s session on every page and export', async () => {
    const { reply, link } = await askForLink(s, season.menteeId);
    expect(link).toBeNull();
    expect(reply).toContain('Kun programmets koordinatorer kan bruge *desk*');

    // A session for a mentee (made directly, as a stolen or forged one would be) opens nothing.
    const { createSession } = await import('../../src/desk/sessions');
    const cookie = `sparring-desk=${createSession(s.core, season.menteeId).token}`;
    for (const path of ['/desk', '/desk/pairs', '/desk/participants', '/desk/report', '/desk/export.csv', '/desk/export.xlsx']) {
      const res = await get(`${path}?p=${season.programme.id}`, cookie);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(await res.text()).toContain('Du er mentee (Efterår 2026)');
    }
  });

  it('refuses another programme’s coordinator this programme, its pages, forms and exports', async () => {
    const cookie = await signedIn(season.otherCoordinatorId);
    const own = await get(`/desk?p=${season.other.id}`, cookie);
    expect(own.status).toBe(200);
    const csrf = csrfOf(await own.text())!;

    for (const path of ['/desk', '/desk/pairs', `/desk/pair?id=${season.pairs[0]!.id}`, '/desk/report', '/desk/export.csv', '/desk/export.xlsx']) {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}p=${season.programme.id}`, cookie);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      const body = await res.text();
      expect(body).toContain('Du er ikke koordinator for et program, der hedder &quot;Efterår 2026&quot;');
      expect(body).not.toContain('Astrid Holm');
    }
    const matched = await post('/desk/matching', cookie, { csrf, p: String(season.programme.id), action: 'best' });
    expect(matched.status).toBe(403);
    expect(s.core.db.prepare("SELECT count(*) FROM pairs WHERE programme_id = ?").pluck().get(season.programme.id)).toBe(12);
    // And a pair of this programme is not found through their own, to read or to end.
    expect((await get(`/desk/pair?p=${season.other.id}&id=${season.pairs[0]!.id}`, cookie)).status).toBe(404);
    const pair = String(season.pairs[0]!.id);
    for (const fields of [{ action: 'end' }, { action: 'rematch', mentor: String(season.mentors[0]!.id) }] as Record<string, string>[]) {
      expect((await post('/desk/pair/change', cookie, { csrf, p: String(season.other.id), pair, confirm: 'yes', ...fields })).status).toBe(404);
      expect((await post('/desk/pair/change', cookie, { csrf, p: String(season.programme.id), pair, confirm: 'yes', ...fields })).status).toBe(403);
    }
    expect(s.core.db.prepare("SELECT count(*) FROM pairs WHERE programme_id = ? AND status = 'active'").pluck().get(season.programme.id)).toBe(12);
  });

  it('offers no one from outside the programme as a new mentor, and shows no name of theirs', async () => {
    const cookie = await signedIn();
    const csrf = csrfOf(await (await get('/desk', cookie)).text())!;
    const pair = season.pairs[0]!;
    // Birgit coordinates another programme: her id, posted by hand, must not bring her name onto this desk.
    const res = await post('/desk/pair/change', cookie, { csrf, p: String(season.programme.id), pair: String(pair.id), action: 'rematch', mentor: String(season.otherCoordinatorId), confirm: 'yes' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('Birgit');
    expect(s.core.db.prepare('SELECT status FROM pairs WHERE id = ?').pluck().get(pair.id)).toBe('active');
  });

  it('says why a match was refused when the two were a pair before', async () => {
    const cookie = await signedIn();
    const pair = season.pairs.at(-1)!;
    endPair(s.core, getPair(s.core, pair.id)!); // they part; the mentee waits for a new mentor
    const csrf = csrfOf(await (await get('/desk/matching', cookie)).text())!;
    const refused = await post('/desk/matching', cookie, { csrf, p: String(season.programme.id), action: 'confirm', mentee: String(pair.menteeId), mentor: String(pair.mentorId) });
    expect(refused.status).toBe(303);
    const res = await get(refused.headers.get('location')!.replace(/^https?:\/\/[^/]+/, ''), cookie);
    expect(await res.text()).toContain(`${pair.mentee} og ${pair.mentor} har været et par før`);
    expect(s.core.db.prepare("SELECT count(*) FROM pairs WHERE mentee_id = ? AND status = 'active'").pluck().get(pair.menteeId)).toBe(0);
  });

  it('checks the role on every request: a coordinator whose role is taken away is refused at once', async () => {
    const cookie = await signedIn();
    expect((await get('/desk', cookie)).status).toBe(200);
    s.core.db.prepare("DELETE FROM participants WHERE person_id = ? AND role = 'coordinator'").run(season.coordinatorId);
    const res = await get('/desk', cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Du er ikke koordinator i noget program');
  });

  it('refuses a form without the session’s CSRF token, and changes nothing', async () => {
    const cookie = await signedIn();
    const before = s.core.db.prepare('SELECT count(*) FROM pairs').pluck().get();
    for (const csrf of [undefined, 'f'.repeat(64)]) {
      const res = await post('/desk/matching', cookie, { ...(csrf ? { csrf } : {}), p: String(season.programme.id), action: 'best' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Formularen er udløbet');
    }
    // Another session's token is no better.
    const otherPage = await (await get('/desk', await signedIn())).text();
    expect((await post('/desk/matching', cookie, { csrf: csrfOf(otherPage)!, p: String(season.programme.id), action: 'best' })).status).toBe(403);
    expect(s.core.db.prepare('SELECT count(*) FROM pairs').pluck().get()).toBe(before);
  });

  it('forgets a person’s links and sessions when the person is erased', async () => {
    const cookie = await signedIn();
    await askForLink(s, season.coordinatorId);
    erasePerson(s.core, season.coordinatorId);
    expect(s.core.db.prepare('SELECT count(*) FROM desk_links').pluck().get()).toBe(0);
    expect(s.core.db.prepare('SELECT count(*) FROM desk_sessions').pluck().get()).toBe(0);
    expect((await get('/desk', cookie)).status).toBe(401);
  });
});

describe('every desk response', () => {
  it('forbids script, framing, other origins and caching, signed in or not', async () => {
    const cookie = await signedIn();
    for (const [path, c] of [['/desk', cookie], ['/desk/report', cookie], ['/desk/export.csv', cookie], ['/desk', ''], ['/desk/sign-in?token=x', '']] as const) {
      const res = await get(path, c);
      expect({ path, csp: res.headers.get('content-security-policy') }).toEqual({ path, csp: CONTENT_SECURITY_POLICY });
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    }
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  });

  it('escapes every name and value it shows', async () => {
    s.core.db.prepare('UPDATE people SET name = ? WHERE id = ?').run('<img src=x onerror=alert(1)> "Astrid"', season.menteeId);
    const page = await (await get('/desk/pairs', await signedIn())).text();
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Astrid&quot;');
  });

  it('logs who signed in and what was refused, never a token', async () => {
    const { link } = await askForLink(s, season.coordinatorId);
    const { cookie } = await open(link!);
    await open(link!);
    const logs = desk.logs.join('\n');
    expect(logs).toContain('a coordinator signed in to the desk');
    expect(logs).toContain('a desk sign-in link was refused');
    expect(logs).not.toContain(new URL(link!).searchParams.get('token')!);
    expect(logs).not.toContain(cookie.split('=')[1]!);
  });
});

describe('the template', () => {
  it('escapes every interpolated value and inserts only Html and raw() as it is', () => {
    const name = `"><script>alert('x')</script>`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe('<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>');
    expect(html`<ul>${['a<b', html`<li>ok</li>`, null, false, 3]}</ul>`.value).toBe('<ul>a&lt;b<li>ok</li>3</ul>');
    expect(html`${raw('<br>')}`.value).toBe('<br>');
  });
});
