/**
 * The desk in a real browser (Debian's chromium, driven by playwright-core): a coordinator signs in
 * with the link from the DM, reads the programme at a glance, filters the pairs, deals with a flag,
 * imports a file with errors and then a good one, confirms matches, downloads the spreadsheet and
 * reads it back, and reads the evaluation. axe-core finds nothing on any page, each page fits a
 * phone, the browser enforces the Content-Security-Policy, and no page, export or log ever shows
 * what a participant wrote. One browser for the whole story; a fresh profile (playwright gives each
 * launch its own temporary user-data-dir) and a context per person.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createSession } from '../../src/desk/sessions';
import { projectRoot } from '../../src/paths';
import { MINUTE } from '../../src/time';
import { createTestSparring, type TestSparring } from '../helpers/sparring';
import { LEARNED, MARKERS, seedDeskSeason, type DeskSeason } from './season';
import { askForLink, serveDesk, type ServedDesk } from './serve';

jest.setTimeout(60_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js');

let s: TestSparring;
let season: DeskSeason;
let desk: ServedDesk;
let browser: Browser;
let coordinator: { context: BrowserContext; page: Page };
/** Every page the coordinator saw and every file downloaded, for the last check. */
const seen: { where: string; text: string }[] = [];

beforeAll(async () => {
  s = createTestSparring();
  season = seedDeskSeason(s.core, s.clock);
  desk = await serveDesk(s);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  s?.close();
});

/** A browser context of its own; bypassCSP only so that axe can be injected into the page. */
async function newContext(options: { phone?: boolean; csp?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    bypassCSP: !options.csp,
    acceptDownloads: true,
    viewport: options.phone ? { width: 375, height: 740 } : { width: 1280, height: 900 },
    locale: 'da-DK',
  });
  return { context, page: await context.newPage() };
}

/** What the tests use of the browser's window (the project's TypeScript has no DOM library). */
interface Win {
  document: {
    documentElement: { scrollWidth: number };
    createElement(tag: 'script'): { textContent: string };
    body: { append(node: unknown): void; dataset: Record<string, string | undefined> };
  };
  innerWidth: number;
  axe: { run(context: unknown, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> };
  getComputedStyle(element: unknown): { backgroundColor: string };
}

/** axe-core's violations on the page as it is now (WCAG 2.1 A and AA and best practice). */
async function axe(page: Page): Promise<{ id: string; impact: string | null; nodes: string[] }[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const w = globalThis as unknown as Win;
    const result = await w.axe.run(w.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Keeps what the page shows (before axe is injected) and checks it with axe. */
async function look(page: Page, where: string): Promise<void> {
  seen.push({ where, text: await page.content() });
  expect({ where, violations: await axe(page) }).toEqual({ where, violations: [] });
}

const main = (page: Page) => page.locator('main');

describe('the coordinator at the desk', () => {
  it('signs in with the link from the DM and sees the programme at a glance', async () => {
    coordinator = await newContext();
    const { page } = coordinator;
    const { link } = await askForLink(s, season.coordinatorId);
    await page.goto(link!);
    await page.waitForURL(`${desk.local}/desk`);
    expect(page.url()).not.toContain('token');

    await expect(page.locator('h1').textContent()).resolves.toBe('Overblik');
    const glance = await main(page).locator('dl.cards').innerText();
    expect(glance).toContain('mentees: 15 · mentorer: 8 · koordinatorer: 1');
    expect(glance).toContain('12 aktive · 0 afsluttede');
    expect(glance).toContain('10 af 15 afholdte møder');
    // The charts have names a screen reader reads, and a table beside them.
    await expect(page.getByRole('img', { name: 'Par efter tilstand' }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: 'Møder uge for uge' }).count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'Møder uge for uge' }).locator('tbody tr').count()).resolves.toBe(16);
    await expect(page.getByRole('table', { name: /Åbne og kvitterede flag/ }).innerText()).resolves.toContain('Bad dig om hjælp');
    await page.screenshot({ path: join(projectRoot(), 'docs', 'desk-overview.png'), fullPage: true });
    await look(page, 'overview');

    // The same link again, and a link opened too late, are refused with a page that says why.
    const other = await newContext();
    await other.page.goto(link!);
    await expect(other.page.locator('h1').textContent()).resolves.toBe('Linket er allerede brugt');
    await look(other.page, 'used link');
    const { link: late } = await askForLink(s, season.coordinatorId);
    s.clock.advance(11 * MINUTE);
    await other.page.goto(late!);
    await expect(other.page.locator('h1').textContent()).resolves.toBe('Linket er udløbet');
    await other.context.close();
  });

  it('filters the pairs by state and by flag, and acknowledges and resolves a flag with a private note', async () => {
    const { page } = coordinator;
    await page.getByRole('link', { name: 'Par', exact: true }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Viser 12 af 12 par.');

    await page.getByLabel('Tilstand').selectOption({ label: 'Ikke mødtes endnu' });
    await page.getByRole('button', { name: 'Filtrér' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Viser 2 af 12 par.');

    await page.getByLabel('Tilstand').selectOption({ label: 'Alle tilstande' });
    await page.getByLabel('Flag', { exact: true }).selectOption({ label: 'Lav check-in' });
    await page.getByRole('button', { name: 'Filtrér' }).click();
    const rows = page.getByRole('table', { name: 'Par med deres møder og flag' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('Emil Carter & Sara Lind');
    await look(page, 'pairs filtered');

    await page.getByRole('link', { name: 'Emil Carter & Sara Lind' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Emil Carter & Sara Lind');
    const facts = await main(page).innerText();
    expect(facts).toContain('2 afholdt · 1 booket');
    expect(facts).toContain('Lav match-check-in (laveste score 1 af 5)');
    await look(page, 'pair');

    await page.getByLabel('Privat note (valgfri)').fill('Ringet til Sara; de mødes igen');
    await page.getByRole('button', { name: 'Kvittér' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Flaget er kvitteret.');
    await expect(main(page).innerText()).resolves.toContain('Ringet til Sara; de mødes igen');
    await page.getByRole('button', { name: 'Løs' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Flaget er løst.');
    const flag = s.core.db.prepare("SELECT state, note, acknowledged_by FROM flags WHERE pair_id = ? AND code = 'low_checkin'").get(season.pairs[1]!.id);
    expect(flag).toEqual({ state: 'resolved', note: 'Ringet til Sara; de mødes igen', acknowledged_by: season.coordinatorId });
    await look(page, 'pair after resolving');
  });

  it('imports a file with errors, shown by line and column, then a good one', async () => {
    const { page } = coordinator;
    const participants = () => s.core.db.prepare('SELECT count(*) FROM participants WHERE programme_id = ?').pluck().get(season.programme.id) as number;
    const before = participants();
    await page.getByRole('link', { name: 'Import' }).click();
    await look(page, 'import');

    const bad = ['role,name,email,capacity', 'mentee,Ulla Bang,ulla@example.org,', 'student,Viggo Holt,viggo@example.org,', 'mentor,Yrsa Lund,not-an-email,3', 'mentee,Zenia Berg,zenia@example.org,2'].join('\n');
    await page.getByLabel('Deltagerfil (CSV)').setInputFiles({ name: 'deltagere.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Importér', exact: true }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('deltagere.csv blev ikke importeret, og intet er ændret. Ret disse 3 problemer');
    const problems = await page.getByRole('table', { name: /Problemer i filen/ }).locator('tbody tr').allInnerTexts();
    // In the coordinator's language, like the page around them.
    expect(problems.map((r) => r.split('\t').join(' | '))).toEqual([
      '3 | role | skal være mentee, mentor eller coordinator',
      '4 | email | er ikke en e-mailadresse',
      '5 | capacity | gælder kun mentorer',
    ]);
    expect(participants()).toBe(before);
    await look(page, 'import with problems');

    const good = ['role,name,email,faculty,interests,capacity', 'mentee,Ulla Bang,ulla@example.org,IT,UX;LinkedIn,', 'mentee,=1+1 Viggo Holt,viggo@example.org,IT,software,', 'mentor,Yrsa Lund,yrsa@example.org,IT,,2'].join('\r\n');
    await page.getByLabel('Deltagerfil (CSV)').setInputFiles({ name: 'deltagere.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Tjek kun filen' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('deltagere.csv er i orden: 3 rækker uden problemer. Intet er importeret endnu');
    expect(participants()).toBe(before);
    await page.getByLabel('Deltagerfil (CSV)').setInputFiles({ name: 'deltagere.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Importér', exact: true }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('deltagere.csv er importeret i Efterår 2026: 3 nye · 0 opdaterede · 0 uændrede.');
    expect(participants()).toBe(before + 3);

    await page.getByRole('link', { name: 'Deltagere' }).click();
    const table = await page.getByRole('table', { name: 'Deltagere, og hvordan Sparring når dem' }).innerText();
    expect(table).toContain('Ulla Bang');
    expect(table).toMatch(/Oscar Lind\tmentee\toscar@example.org\t—\tIkke endnu: har ikke installeret appen \(Teams\)/);
    expect(table).toMatch(/Dorte Hald\tmentor\tdorte@example.org\t—\tBeskeder på Slack er ikke kommet frem siden/);
    await look(page, 'participants');
  });

  it('confirms a suggested match, and another mentor instead of the suggestions', async () => {
    const { page } = coordinator;
    await page.getByRole('link', { name: 'Match' }).click();
    await look(page, 'matching');
    const rasmus = page.getByRole('region', { name: 'Rasmus Juhl' });
    await expect(rasmus.innerText()).resolves.toMatch(/Hanne Vind — 6 point · samme fakultet \(it\), fælles: ux, samme sprog \(da\), plads til 1 mere/);
    await rasmus.getByRole('button', { name: 'Match med Hanne Vind' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Matchet: Rasmus Juhl og Hanne Vind. De får begge en introduktion.');

    const viggo = page.getByRole('region', { name: '=1+1 Viggo Holt' });
    await viggo.getByLabel('Eller vælg en anden mentor').selectOption({ label: 'Yrsa Lund (plads til 2)' });
    await viggo.getByRole('button', { name: 'Match med den valgte mentor' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Matchet: =1+1 Viggo Holt og Yrsa Lund. De får begge en introduktion.');
    await expect(page.getByRole('table', { name: /Mentorer/ }).innerText()).resolves.toMatch(/Hanne Vind\t2\t2\t0/);

    const pairOf = (name: string) => s.core.db.prepare("SELECT mo.name FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id WHERE me.name = ? AND p.status = 'active'").pluck().get(name);
    expect([pairOf('Rasmus Juhl'), pairOf('=1+1 Viggo Holt')]).toEqual(['Hanne Vind', 'Yrsa Lund']);
    // The same use case as chat: the introduction is planned for both.
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE kind LIKE 'intro%' AND status = 'pending'").pluck().get()).toBeGreaterThanOrEqual(2);
    await look(page, 'matching after');
  });

  it('gives a mentee a new mentor from the pair’s page, and ends another pair, each only once ticked', async () => {
    const { page } = coordinator;
    const booked = season.pairs[10]!; // a meeting booked ahead
    const status = (id: number) => s.core.db.prepare('SELECT status FROM pairs WHERE id = ?').pluck().get(id);
    await page.goto(`${desk.local}/desk/pair?id=${booked.id}`);
    await look(page, 'pair with a change form');
    const mentor = page.getByLabel(`Ny mentor til ${booked.mentee}`);
    const chosen = (await mentor.locator('option').first().innerText()).replace(/ \(plads til \d+\)$/, '');
    expect(chosen).not.toBe(booked.mentor);

    // Unticked (the browser would not send it; the server is asked anyway): refused, nothing changes.
    await page.locator('#confirm-change').evaluate((box) => (box as unknown as { required: boolean }).required = false);
    await page.getByRole('button', { name: 'Giv ny mentor' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Sæt kryds for at bekræfte, at parret skal afsluttes. Intet er ændret.');
    expect(status(booked.id)).toBe('active');

    await page.getByLabel(`Ja, afslut parret ${booked.mentee} og ${booked.mentor}`).check();
    await page.getByRole('button', { name: 'Giv ny mentor' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Nyt match');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`${booked.mentee} & ${chosen}`);
    expect(status(booked.id)).toBe('ended');
    // As `match @mentee @mentor` in chat: the booked meeting is cancelled, both old partners are told, the new pair introduced.
    expect(s.core.db.prepare("SELECT count(*) FROM meetings WHERE pair_id = ? AND status = 'booked'").pluck().get(booked.id)).toBe(0);
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE kind = 'pair.ended' AND person_id IN (?, ?)").pluck().get(booked.menteeId, booked.mentorId)).toBe(2);
    await look(page, 'pair after a new mentor');

    const quiet = season.pairs[9]!;
    await page.goto(`${desk.local}/desk/pair?id=${quiet.id}`);
    await page.getByLabel(`Ja, afslut parret ${quiet.mentee} og ${quiet.mentor}`).check();
    await page.getByRole('button', { name: 'Afslut parret uden ny mentor' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Parret er afsluttet');
    expect(status(quiet.id)).toBe('ended');
    await expect(page.getByRole('button', { name: 'Afslut parret uden ny mentor' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Match' }).click();
    await expect(page.getByRole('region', { name: quiet.mentee }).count()).resolves.toBe(1); // waiting for a new mentor
  });

  it('downloads the pairs and the evaluation as .xlsx and reads them back, and the pairs as CSV', async () => {
    const { page } = coordinator;
    await page.getByRole('link', { name: 'Eksport' }).click();
    await look(page, 'export');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Par og evaluering (.xlsx)' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('sparring-efteraar-2026.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path())!);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Par', 'Evaluering']);
    const sheet = workbook.getWorksheet('Par')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['pair', 'mentee', 'mentor', 'status', 'matched', 'meetings_held', 'last_meeting', 'next_meeting']));
    // Every pair of the programme, ended ones too (the story above ended one and re-matched another).
    expect(sheet.rowCount).toBe(1 + (s.core.db.prepare('SELECT count(*) FROM pairs WHERE programme_id = ?').pluck().get(season.programme.id) as number));
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    const emil = rows.find((r) => r[header.indexOf('mentee') + 1] === 'Emil Carter')!;
    expect(emil[header.indexOf('meetings_held') + 1]).toBe(2);
    expect(emil[header.indexOf('matched') + 1]).toEqual(new Date('2026-09-01T00:00:00Z'));
    // A name that looks like a formula stays text.
    const viggo = sheet.getColumn(header.indexOf('mentee') + 1).values.find((v) => typeof v === 'string' && v.includes('Viggo'));
    expect(viggo).toBe("'=1+1 Viggo Holt");
    const evaluation = workbook.getWorksheet('Evaluering')!;
    expect((evaluation.getRow(2).values as unknown[]).slice(1, 4)).toEqual(['outcome', 'careerDirection', 8]);
    seen.push({ where: 'xlsx', text: JSON.stringify(workbook.worksheets.map((w) => w.getSheetValues())) });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Par (.csv)' }).click()]);
    expect(csv.suggestedFilename()).toBe('par-efteraar-2026.csv');
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.startsWith('\uFEFFpair,mentee,mentee_email,mentor')).toBe(true);
    expect(text).toContain("'=1+1 Viggo Holt");
    seen.push({ where: 'csv', text });
  });

  it('reads the evaluation: the poster’s chart beside its table, and the mentors’ answers', async () => {
    const { page } = coordinator;
    await page.getByRole('link', { name: 'Evaluering', exact: true }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Evaluering: Efterår 2026');
    const chart = page.getByRole('img', { name: 'Hvad forløbet har givet menteerne' });
    await expect(chart.locator('text').allTextContents()).resolves.toEqual(expect.arrayContaining(['Meget enig', 'Klarere karriereønsker og -retning']));
    const table = page.getByRole('table', { name: 'Hvad forløbet har givet menteerne' });
    await expect(table.locator('tbody tr').count()).resolves.toBe(8);
    await expect(table.locator('tbody tr').first().innerText()).resolves.toMatch(/^Klarere karriereønsker og -retning\t8\t/);
    const answers = await page.getByRole('region', { name: 'Det har mentorerne lært om uddannelsen' }).innerText();
    expect(answers).toContain(`${LEARNED} De studerende vil gerne høre om hverdagen`);
    expect(answers).not.toMatch(/Jonas|Sara/);
    await look(page, 'report');
  });

  it('switches to English and back', async () => {
    const { page } = coordinator;
    await page.getByRole('link', { name: 'Overblik' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(main(page).locator('dl.cards').innerText()).resolves.toContain('mentees: 17 · mentors: 9 · coordinators: 1');
    await look(page, 'overview in English');
    await page.getByRole('link', { name: 'Evaluation', exact: true }).click();
    await look(page, 'report in English');
    await page.getByRole('button', { name: 'Dansk' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Evaluering: Efterår 2026');
  });

  it('fits every page on a phone, with nothing to scroll sideways but the wide tables themselves', async () => {
    const phone = await newContext({ phone: true });
    await phone.context.addCookies(await coordinator.context.cookies());
    for (const path of ['/desk', '/desk/pairs', `/desk/pair?id=${season.pairs[1]!.id}`, '/desk/participants', '/desk/import', '/desk/matching', '/desk/report', '/desk/export', '/desk/season']) {
      await phone.page.goto(desk.local + path);
      const overflow = await phone.page.evaluate(() => {
        const w = globalThis as unknown as Win;
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await look(phone.page, `phone ${path}`);
    }
    await phone.context.close();
  });
});

describe('the desk refuses', () => {
  it('a mentee’s session and another programme’s coordinator, in the browser too', async () => {
    const mentee = await newContext();
    await mentee.context.addCookies([{ name: 'sparring-desk', value: createSession(s.core, season.menteeId).token, url: `${desk.local}/desk` }]);
    const res = await mentee.page.goto(`${desk.local}/desk`);
    expect(res!.status()).toBe(403);
    await expect(mentee.page.locator('main').innerText()).resolves.toContain('Kun programmets koordinatorer kan bruge *desk*'.replace(/\*/g, ''));
    await look(mentee.page, 'refused mentee');
    await mentee.context.close();

    const other = await newContext();
    const { link } = await askForLink(s, season.otherCoordinatorId);
    await other.page.goto(link!);
    await other.page.waitForURL(`${desk.local}/desk`);
    await expect(other.page.locator('.brand').innerText()).resolves.toContain('Forår 2027');
    const refused = await other.page.goto(`${desk.local}/desk/pairs?p=${season.programme.id}`);
    expect(refused!.status()).toBe(403);
    await expect(other.page.locator('main').innerText()).resolves.toContain('Du er ikke koordinator for et program, der hedder "Efterår 2026"');
    expect(await other.page.content()).not.toContain('Astrid Holm');
    await other.context.close();
  });

  it('to run any script: the browser enforces the Content-Security-Policy', async () => {
    const strict = await newContext({ csp: true });
    await strict.context.addCookies(await coordinator.context.cookies());
    const violations: string[] = [];
    strict.page.on('console', (m) => violations.push(m.text()));
    await strict.page.goto(`${desk.local}/desk`);
    const ran = await strict.page.evaluate(() => {
      const { document } = globalThis as unknown as Win;
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "yes"';
      document.body.append(script);
      return document.body.dataset.injected ?? 'no';
    });
    expect(ran).toBe('no');
    expect(violations.join('\n')).toMatch(/Content Security Policy/);
    // The stylesheet the bot serves is allowed: the page is styled.
    await expect(strict.page.locator('header.top').evaluate((e) => (globalThis as unknown as Win).getComputedStyle(e).backgroundColor)).resolves.toBe('rgb(243, 244, 246)');
    await strict.context.close();
  });
});

describe('what the desk never shows', () => {
  it('is anything a participant wrote in a dialogue, on any page, in any export or log', () => {
    expect(seen.length).toBeGreaterThan(15);
    const logs = desk.logs.join('\n');
    for (const marker of Object.values(MARKERS)) {
      expect({ marker, pages: seen.filter((p) => p.text.includes(marker)).map((p) => p.where), inLogs: logs.includes(marker) }).toEqual({ marker, pages: [], inLogs: false });
    }
    // The mentors' answer the survey says the coordinator reads is on the evaluation, and nowhere else.
    expect([...new Set(seen.filter((p) => p.text.includes(LEARNED)).map((p) => p.where))]).toEqual(['report', 'report in English', 'phone /desk/report']);
  });
});
