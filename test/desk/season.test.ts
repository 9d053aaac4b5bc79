/**
 * The next season from the desk, and what the season changed on its report. Helle, coordinator of
 * Efterår 2026, opens "Næste sæson", fills in a name and two dates, and the next season exists with
 * Efterår's settings and contacts, with her as coordinator, and every mentor of Efterår is asked in the
 * chat whether they join. A wrong field is shown beside the field and creates nothing; a mentee, or the
 * coordinator of another programme, gets nothing at all. The report shows the change from the start of
 * the season to the end per outcome item with n, and the mentees' ratings of their goals, withholding
 * any group with fewer answers than the programme's minimum.
 */
import { outcomeItems } from '../../src/flows/survey';
import { findProgrammeByName, getProgramme } from '../../src/programme/programmes';
import { createTestSparring, type TestSparring } from '../helpers/sparring';
import { seedDeskSeason, type DeskSeason } from './season';
import { csrfOf, serveDesk, signIn, type ServedDesk } from './serve';

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

const signedIn = (personId = season.coordinatorId) => signIn(s, desk, personId);
const get = (path: string, cookie: string) => desk.get(path, cookie);
const post = (path: string, cookie: string, fields: Record<string, string>) => desk.post(path, cookie, fields);
const programmeCount = () => s.core.db.prepare('SELECT count(*) FROM programmes').pluck().get() as number;
/** The text of a page without its tags, with whitespace made single. */
const textOf = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** One table of a page, by the id of its caption. */
const tableOf = (page: string, id: string) => {
  const start = page.indexOf(`<caption id="${id}">`);
  return start < 0 ? null : page.slice(start, page.indexOf('</table>', start));
};

describe('the next season from the desk', () => {
  it('creates the next season from the current one: settings and coordinators copied, every mentor asked', async () => {
    s.core.db
      .prepare('UPDATE programmes SET settings = ? WHERE id = ?')
      .run(JSON.stringify({ ...season.programme.settings, rhythmDays: 21, contacts: { wellbeing: 'Studenterrådgivningen, srg.dk' } }), season.programme.id);
    const cookie = await signedIn();

    // The overview links to the page.
    const overview = await (await get(`/desk?p=${season.programme.id}`, cookie)).text();
    expect(overview).toContain(`href="/desk/season?p=${season.programme.id}"`);
    expect(textOf(overview)).toContain('Opret næste sæson ud fra Efterår 2026');

    const form = await get(`/desk/season?p=${season.programme.id}`, cookie);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('<label for="name">Navn på den nye sæson</label>');
    expect(page).toContain('<input id="startsOn" type="date" name="startsOn"');

    const res = await post('/desk/season', cookie, { csrf: csrfOf(page)!, p: String(season.programme.id), name: 'Efterår 2027', startsOn: '2027-09-01', endsOn: '2027-12-17' });
    expect(res.status).toBe(200);
    const done = await res.text();
    const next = findProgrammeByName(s.core, 'Efterår 2027')!;
    expect(next).not.toBeNull();
    expect(textOf(done)).toContain('Efterår 2027 er oprettet ud fra Efterår 2026.');
    expect(textOf(done)).toContain('Antal mentorer, der bliver spurgt, om de vil være med: 8.');
    expect(done).toContain(`<a href="/desk?p=${next.id}">Gå til overblikket for Efterår 2027</a>`);

    expect(next).toMatchObject({ startsOn: '2027-09-01', endsOn: '2027-12-17', timezone: season.programme.timezone });
    expect(getProgramme(s.core, next.id).settings).toMatchObject({ rhythmDays: 21, minGroupSize: 5, contacts: { wellbeing: 'Studenterrådgivningen, srg.dk' } });
    // Helle coordinates the new season too, so its overview opens for her.
    expect((await get(`/desk?p=${next.id}`, cookie)).status).toBe(200);
    // A mentor of Efterår 2026 has the question planned; no mentee has.
    const rejoin = (personId: number) => s.core.db.prepare("SELECT subject FROM nudges WHERE kind = 'season.rejoin' AND person_id = ?").pluck().all(personId);
    expect(rejoin(season.mentors[0]!.id)).toEqual([`programme:${next.id}`]);
    expect(rejoin(season.menteeId)).toEqual([]);
    expect(desk.logs.join('\n')).toContain('a coordinator created the next season from the desk');
  });

  it('shows a wrong date beside its field and creates nothing', async () => {
    const cookie = await signedIn();
    const csrf = csrfOf(await (await get(`/desk/season?p=${season.programme.id}`, cookie)).text())!;
    const before = programmeCount();
    const nudges = s.core.db.prepare('SELECT count(*) FROM nudges').pluck().get();

    const bad = await post('/desk/season', cookie, { csrf, p: String(season.programme.id), name: 'Efterår 2027', startsOn: '2027-02-30', endsOn: '2027-01-10' });
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('<span id="startsOn-error" class="field-error">Startdatoen skal være en rigtig dato som 2027-02-01.</span>');
    expect(page).toMatch(/<input id="startsOn" type="date" name="startsOn" value="2027-02-30" required aria-describedby="startsOn-error startsOn-hint" aria-invalid="true">/);
    // What was typed is kept; the name was fine and shows no problem.
    expect(page).toContain('value="Efterår 2027"');
    expect(page).not.toContain('id="name-error"');

    const backwards = await (await post('/desk/season', cookie, { csrf, p: String(season.programme.id), name: 'Efterår 2027', startsOn: '2027-09-01', endsOn: '2027-08-01' })).text();
    expect(backwards).toContain('<span id="endsOn-error" class="field-error">Slutdatoen skal ligge efter startdatoen.</span>');

    const taken = await (await post('/desk/season', cookie, { csrf, p: String(season.programme.id), name: 'Forår 2027', startsOn: '2027-02-01', endsOn: '2027-05-28' })).text();
    expect(taken).toContain('Der findes allerede et program, der hedder &quot;Forår 2027&quot;. Vælg et andet navn.');

    expect(programmeCount()).toBe(before);
    expect(findProgrammeByName(s.core, 'Efterår 2027')).toBeNull();
    expect(s.core.db.prepare('SELECT count(*) FROM nudges').pluck().get()).toBe(nudges);
  });

  it('refuses a mentee’s session and another programme’s coordinator, and creates nothing', async () => {
    const { createSession } = await import('../../src/desk/sessions');
    const mentee = createSession(s.core, season.menteeId);
    const menteeCookie = `sparring-desk=${mentee.token}`;
    const fields = { p: String(season.programme.id), name: 'Efterår 2027', startsOn: '2027-09-01', endsOn: '2027-12-17' };
    expect((await get(`/desk/season?p=${season.programme.id}`, menteeCookie)).status).toBe(403);
    expect((await post('/desk/season', menteeCookie, { ...fields, csrf: mentee.session.csrf })).status).toBe(403);

    const other = await signedIn(season.otherCoordinatorId);
    const csrf = csrfOf(await (await get(`/desk?p=${season.other.id}`, other)).text())!;
    expect((await get(`/desk/season?p=${season.programme.id}`, other)).status).toBe(403);
    const refused = await post('/desk/season', other, { ...fields, csrf });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Du er ikke koordinator for et program, der hedder &quot;Efterår 2026&quot;');

    expect(findProgrammeByName(s.core, 'Efterår 2027')).toBeNull();
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE kind = 'season.rejoin'").pluck().get()).toBe(0);
  });
});

describe('what the season changed, on the report page', () => {
  /** Baseline and end answers for the first `n` mentees on one item (start 2, end 4 for everyone but the first: 3 → 3). */
  function growth(item: string, n: number) {
    const row = s.core.db.prepare('INSERT INTO outcome_growth (programme_id, person_id, item, baseline, baseline_at, final, final_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    season.pairs.slice(0, n).forEach((p, i) => row.run(season.programme.id, p.menteeId, item, i === 0 ? 3 : 2, Date.parse('2026-09-08T09:00:00Z'), i === 0 ? 3 : 4, Date.parse('2026-12-10T09:00:00Z')));
  }
  /** One goal per pair for the first `n` pairs, rated at `moment` (progress 2, 3, 4, … wrapping at 5). */
  function ratings(moment: 'mid' | 'end', n: number) {
    season.pairs.slice(0, n).forEach((p, i) => {
      const goal = Number(
        s.core.db.prepare('INSERT INTO goals (pair_id, position, text, created_at) VALUES (?, ?, ?, ?)').run(p.id, moment === 'mid' ? 1 : 2, 'Et mål', Date.parse('2026-09-10T09:00:00Z')).lastInsertRowid,
      );
      s.core.db.prepare('INSERT INTO goal_ratings (goal_id, moment, progress, answered_at) VALUES (?, ?, ?, ?)').run(goal, moment, 2 + (i % 4), Date.parse('2026-10-20T09:00:00Z'));
    });
  }

  it('shows the change per item with n, and "too few" for an item fewer mentees answered both times', async () => {
    for (const item of outcomeItems) growth(item, item === 'transition' ? 2 : 6);
    const page = await (await get(`/desk/report?p=${season.programme.id}`, await signedIn())).text();

    expect(page).toContain('<h2 id="growth">Udvikling fra start til slut</h2>');
    const table = tableOf(page, 'table-growth')!;
    expect(table).not.toBeNull();
    expect(table).toContain('<th scope="col" class="num">n</th><th scope="col" class="num">Gennemsnit ved start</th>');
    // Six mentees: start (3 + 5·2)/6 = 2,2, end (3 + 5·4)/6 = 3,8, change +1,7.
    expect(table).toMatch(/<th scope="row">[^<]+<\/th><td class="num">6<\/td><td class="num">2,2<\/td><td class="num">3,8<\/td><td class="num">\+1,7<\/td>/);
    expect(table.match(/<td class="num">6<\/td>/g)).toHaveLength(7);
    expect(table).toContain('<td colspan="4">for få svar til at vise</td>');
    expect(table.match(/for få svar til at vise/g)).toHaveLength(1);
  });

  it('shows too few when fewer mentees than the minimum answered both times, and nothing yet when none did', async () => {
    const cookie = await signedIn();
    const none = await (await get(`/desk/report?p=${season.programme.id}`, cookie)).text();
    expect(tableOf(none, 'table-growth')).toBeNull();
    expect(none).toContain('Ingen har svaret både ved start og slut endnu.');
    expect(none).toContain('Ingen har vurderet deres mål endnu.');

    for (const item of outcomeItems) growth(item, 4);
    const few = await (await get(`/desk/report?p=${season.programme.id}`, cookie)).text();
    const table = tableOf(few, 'table-growth')!;
    expect(table.match(/<td colspan="4">for få svar til at vise<\/td>/g)).toHaveLength(8);
    expect(table).not.toMatch(/<td class="num">/);
  });

  it('in English too, with the goal ratings counted per point and a moment with too few withheld', async () => {
    for (const item of outcomeItems) growth(item, 5);
    ratings('mid', 6);
    ratings('end', 2);
    const cookie = await signedIn();
    const page = await (await get(`/desk?p=${season.programme.id}`, cookie)).text();
    await post('/desk/language', cookie, { csrf: csrfOf(page)!, p: String(season.programme.id), locale: 'en', back: '/desk/report' });
    const report = await (await get(`/desk/report?p=${season.programme.id}`, cookie)).text();

    const growthTable = tableOf(report, 'table-growth')!;
    expect(growthTable).toContain('Mean per statement at the start and the end (1–5)');
    expect(growthTable).toMatch(/<td class="num">5<\/td><td class="num">2.2<\/td><td class="num">3.8<\/td><td class="num">\+1.6<\/td>/);

    expect(report).toContain('<h2 id="progress">Progress on the mentees&#39; goals</h2>');
    const progress = tableOf(report, 'table-progress')!;
    expect(progress).toContain('<th scope="col" class="num">1 (not started)</th>');
    expect(progress).toContain('<th scope="col" class="num">5 (reached)</th>');
    // Six mentees rated mid-season: progress 2, 3, 4, 5, 2, 3.
    expect(progress).toContain('<th scope="row">Mid-season</th><td class="num">6</td><td class="num">6</td><td class="num">0</td><td class="num">2</td><td class="num">2</td><td class="num">1</td><td class="num">1</td>');
    expect(progress).toContain('<th scope="row">At the end</th><td colspan="7">too few answers to show</td>');
  });
});
