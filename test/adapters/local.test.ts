import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { createFakeClock } from '../helpers/fake-clock';
import { runLocalScript } from '../helpers/run-local';
import { tempDatabasePath } from '../helpers/sparring';

// Monday 14 September 2026, 10:00 in Copenhagen. The demo books Astrid's meeting on Thursday at
// 16:00, so her prep prompt comes on Tuesday at 09:00.
const MONDAY_10 = '2026-09-14T08:00:00Z';
// Booking her first meeting opened the expectation alignment for Astrid; she skips through it.
const ALIGNMENT = ['spring over', 'spring over', 'spring over', 'spring over', '4', 'spring over', 'spring over'];

describe('the local chat', () => {
  it('lets a newcomer be a mentee, move the clock on and answer the prep prompt', async () => {
    const db = tempDatabasePath();
    const out = await runLocalScript(
      db,
      ['1', ...ALIGNMENT, 'advance 2d', 'Mit speciale og min første praktik', 'spring over', 'En plan for jobsøgningen', 'Jeg har opdateret mit CV', '1', 'as jonas'],
      createFakeClock(MONDAY_10),
    );
    expect(out).toContain('Demoprogrammet "Demo 2026" er oprettet');
    expect(out).toMatch(/1\) Astrid Holm — mentee/);
    expect(out).toContain('Du er nu Astrid Holm (mentee)');
    expect(out).toContain('Sparring → Astrid Holm · tirsdag den 15. september kl. 9.00');
    expect(out).toContain('1/4 — Hvad vil du sige?');
    expect(out).toContain('2/4 — Hvad vil du høre?');
    expect(out).toMatch(/1\) Ja, send dem til Jonas\n\s+2\) Nej/);
    expect(out).toContain('Jonas får din dagsorden');
    // Jonas gets the agenda at once: it is Wednesday 10:00, inside allowed hours.
    expect(out).toContain('Sparring → Jonas Berg · onsdag den 16. september kl. 10.00');
    expect(out).toContain('Vil gerne sige: Mit speciale og min første praktik');
    expect(out).toContain('Farvel.');

    const stored = new Database(db);
    expect(stored.prepare('SELECT question, answer FROM prep_answers ORDER BY question').all()).toEqual([
      { question: 'achieve', answer: 'En plan for jobsøgningen' },
      { question: 'hear', answer: null },
      { question: 'say', answer: 'Mit speciale og min første praktik' },
      { question: 'since', answer: 'Jeg har opdateret mit CV' },
    ]);
    stored.close();
  });

  it('tells the person at the keyboard about messages waiting for someone else', async () => {
    const out = await runLocalScript(tempDatabasePath(), ['as jonas', 'advance 2d'], createFakeClock(MONDAY_10));
    const asJonas = out.slice(out.indexOf('Du er nu Jonas Berg'));
    expect(asJonas).toMatch(/\(Nye beskeder til Astrid Holm \(\d+\) — skriv as Astrid for at læse dem\.\)/);
    expect(asJonas).not.toMatch(/Nye beskeder til[^\n]*Jonas Berg/); // Jonas is at the keyboard: he sees his at once
  });

  it('keeps its clock, its person and the open question across a restart', async () => {
    const db = tempDatabasePath();
    await runLocalScript(db, ['1', ...ALIGNMENT, 'advance 2d', 'Første svar'], createFakeClock(MONDAY_10));
    const out = await runLocalScript(db, ['time', 'Andet svar'], createFakeClock(MONDAY_10));
    expect(out).not.toContain('Demoprogrammet');
    expect(out).toContain('Du er nu Astrid Holm');
    expect(out).toContain('onsdag den 16. september kl. 10.00');
    expect(out).toContain('3/4 — Hvad vil du opnå?');
  });

  it('started on a Saturday evening, moves the programme clock to Monday morning so the walk-through works', async () => {
    const out = await runLocalScript(tempDatabasePath(), ['1', 'time'], createFakeClock('2026-11-28T19:30:00Z'));
    expect(out).toContain('Programmets ur er derfor stillet frem til mandag den 30. november kl. 8.00');
    expect(out).toContain('Sparring → Astrid Holm · mandag den 30. november kl. 8.00');
    expect(out).toContain('Velkommen til Demo 2026, Astrid!');
  });

  it('started on a weekday morning, keeps the real time', async () => {
    const out = await runLocalScript(tempDatabasePath(), ['time'], createFakeClock(MONDAY_10));
    expect(out).not.toContain('stillet frem');
    expect(out).toContain('mandag den 14. september kl. 10.00');
  });

  it('answers what it does not understand, and goes on', async () => {
    const out = await runLocalScript(tempDatabasePath(), ['hello?', 'as nobody', 'advance soon', '1', '/mentor frobnicate', 'help'], createFakeClock(MONDAY_10));
    expect(out).toContain('Vælg først, hvem du er');
    expect(out).toContain('Ingen person passer til "nobody"');
    expect(out).toContain('Lokale kommandoer');
    expect(out).toContain('Kommandoen "frobnicate" kender jeg ikke');
    expect(out).toContain('forbered — forbered dit næste møde');
    expect(out).toContain('Farvel.');
  });
});

describe('npm start, as a process reading stdin', () => {
  const bin = join(projectRoot(), 'dist', 'bin', 'sparring.js');

  it('starts on a fresh file, takes a script and ends cleanly at the end of input', () => {
    expect(existsSync(bin)).toBe(true); // built by `npm test` (tsc) before Jest runs
    const databasePath = tempDatabasePath();
    const run = spawnSync(process.execPath, [bin, 'start'], {
      input: '1\nhelp\n',
      env: { PATH: process.env.PATH, DATABASE_PATH: databasePath },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Sparring — lokal chat');
    expect(run.stdout).toContain('Du er nu Astrid Holm');
    expect(run.stdout).toContain('Det kan jeg hjælpe dig med');
    expect(existsSync(databasePath)).toBe(true);
  });
});
