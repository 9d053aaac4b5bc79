/**
 * Retention (issue 12): a programme's free text and its people's contact data are deleted
 * `retentionMonths` after it closed, by the scheduler's hourly housekeeping, keeping anonymous counts.
 * A mentor who goes on in a later programme keeps his identity and that programme's data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { addParticipant } from '../../src/people';
import { applyRetention, retentionCoverage, retentionOf } from '../../src/privacy/retention';
import { closeProgramme } from '../../src/programme/lifecycle';
import { createProgramme, findProgrammeByName, getProgramme, type Programme } from '../../src/programme/programmes';
import { statusText } from '../../src/coordinator/commands';
import { answerAlignment, book, createTestSparring, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

const PREP = 'Kvadratrodsgiraffen';
const SUMMARY = 'Fjordhestesadel';
const STEP = 'Blæksprutteskrivebord';
const PROFILE = 'Pindsvinefakultetet';
const MARKERS = [PREP, SUMMARY, STEP, PROFILE];

/** The coordinator's `status`, as chat and the CLI show it. */
function status(s: TestSparring, programme: Programme, locale: 'da' | 'en' = 'da'): string {
  return statusText({ core: s.core, person: { id: 0, name: 'Karen', email: null, locale, timezone: 'Europe/Copenhagen', pausedUntil: null } } as never, programme);
}

function everyTable(s: TestSparring): string[] {
  return s.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

function everything(s: TestSparring): string {
  return JSON.stringify(everyTable(s).map((t) => s.core.db.prepare(`SELECT * FROM ${t}`).all()));
}

function inFile(path: string, words: string[]): string[] {
  if (!existsSync(path)) return [];
  const bytes = readFileSync(path);
  return words.filter((w) => bytes.includes(Buffer.from(w, 'utf8')));
}

/** Astrid and Jonas's autumn: prep, a meeting, its summary and steps; then the programme closes on 19 December. */
async function anAutumn(settings: Record<string, unknown> = {}): Promise<{ s: TestSparring; pair: TestPair }> {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s, { programme: { name: 'Efterår 2026', settings } as never });
  s.core.db.prepare('UPDATE participants SET profile = ? WHERE person_id = ?').run(JSON.stringify({ faculty: PROFILE }), pair.menteeId);
  s.core.db.prepare("UPDATE people SET email = 'astrid@student.example.dk' WHERE id = ?").run(pair.menteeId);
  s.core.db.prepare("UPDATE people SET email = 'jonas@firma.example.dk' WHERE id = ?").run(pair.mentorId);
  book(s, pair, '2026-09-29T14:00:00Z');
  await s.scheduler.runOnce();
  answerAlignment(s, pair.menteeId);
  say(s, pair.menteeId, 'prep');
  for (const a of [`Jeg vil tale om ${PREP}`, '-', '-', '-', '1']) say(s, pair.menteeId, a);
  s.clock.set('2026-09-30T06:00:00Z');
  await s.scheduler.runOnce();
  for (const a of ['1', `Vi talte om ${SUMMARY}`, `Skrive om ${STEP}`, '-', '-']) say(s, pair.menteeId, a);
  s.clock.set('2026-12-19T12:00:00Z');
  closeProgramme(s.core, findProgrammeByName(s.core, 'Efterår 2026')!);
  return { s, pair };
}

describe('retention', () => {
  it('names every table of the store, with how retention reaches it', () => {
    const s = createTestSparring();
    const tables = everyTable(s);
    s.close();
    expect(Object.keys(retentionCoverage).sort()).toEqual(tables);
  });

  it('keeps everything for twelve months after the close, says when it goes, then deletes the free text and contact data', async () => {
    const { s, pair } = await anAutumn();
    const programme = findProgrammeByName(s.core, 'Efterår 2026')!;
    expect(retentionOf(s.core, programme.id)).toEqual({ months: 12, dueAt: Date.parse('2027-12-19T12:00:00Z'), deletedAt: null });
    expect(status(s, programme)).toContain('Fritekst og kontaktoplysninger slettes automatisk søndag den 19. december 2027 (12 måneder efter lukningen).');

    s.clock.set('2027-12-19T11:00:00Z');
    await s.scheduler.runOnce();
    const kept = everything(s);
    for (const word of [...MARKERS, 'Astrid Holm', 'astrid@student.example.dk']) expect(kept).toContain(word);

    s.clock.set('2027-12-19T13:30:00Z');
    await s.scheduler.runOnce(); // the hourly housekeeping runs retention

    const after = everything(s);
    for (const word of [...MARKERS, 'Astrid Holm', 'astrid@student.example.dk', 'Jonas Berg', 'jonas@firma.example.dk']) expect(after).not.toContain(word);
    expect(s.core.db.prepare('SELECT count(*) FROM identities WHERE person_id IN (?, ?)').pluck().get(pair.menteeId, pair.mentorId)).toBe(0);
    // The counts stay: the meeting was held, the pair existed, the preparation was shared.
    expect(s.core.db.prepare("SELECT count(*) FROM meetings WHERE status = 'held'").pluck().get()).toBe(1);
    expect(s.core.db.prepare('SELECT count(*) FROM pairs').pluck().get()).toBe(1);
    expect(s.core.db.prepare('SELECT count(*) FROM preps').pluck().get()).toBe(1);
    expect(retentionOf(s.core, programme.id).deletedAt).toBe(Date.parse('2027-12-19T13:30:00Z'));
    expect(status(s, programme, 'en')).toContain('Free text and contact details were deleted on Sunday 19 December 2027; only anonymous counts remain.');
    // Nothing is left in the file's bytes or the WAL.
    expect(inFile(s.databasePath, MARKERS)).toEqual([]);
    expect(inFile(`${s.databasePath}-wal`, MARKERS)).toEqual([]);
    // A second run finds nothing more to do.
    expect(applyRetention(s.core).programmes).toEqual([]);
    s.close();
  });

  it('keeps a mentor who goes on in a later programme, and his data there, while this programme’s text goes', async () => {
    const { s, pair } = await anAutumn({ retentionMonths: 3 });
    const spring = createProgramme(s.core, { name: 'Forår 2027', startsOn: '2027-02-01', endsOn: '2027-06-18' });
    addParticipant(s.core, spring.id, pair.mentorId, 'mentor', { company: 'Netcompany', capacity: 2 } as never);

    s.clock.set('2027-03-20T12:00:00Z');
    const run = applyRetention(s.core);
    expect(run).toMatchObject({ programmes: ['Efterår 2026'], people: 1 });

    const jonas = s.core.db.prepare('SELECT name, email FROM people WHERE id = ?').get(pair.mentorId);
    expect(jonas).toEqual({ name: 'Jonas Berg', email: 'jonas@firma.example.dk' });
    expect(s.core.db.prepare('SELECT count(*) FROM identities WHERE person_id = ?').pluck().get(pair.mentorId)).toBe(1);
    expect(s.core.db.prepare('SELECT profile FROM participants WHERE person_id = ? AND programme_id = ?').pluck().get(pair.mentorId, spring.id)).toContain('Netcompany');
    expect(s.core.db.prepare('SELECT name FROM people WHERE id = ?').pluck().get(pair.menteeId)).toBe('(erased)');
    const after = everything(s);
    for (const word of MARKERS) expect(after).not.toContain(word);
    s.close();
  });

  it('does nothing to a programme that still runs', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    s.core.db.prepare('UPDATE participants SET profile = ? WHERE person_id = ?').run(JSON.stringify({ faculty: PROFILE }), pair.menteeId);
    s.clock.set('2029-01-01T12:00:00Z');
    expect(applyRetention(s.core).programmes).toEqual([]);
    expect(everything(s)).toContain(PROFILE);
    expect(retentionOf(s.core, pair.programmeId)).toEqual({ months: 12, dueAt: null, deletedAt: null });
    expect(status(s, getProgramme(s.core, pair.programmeId))).toContain('slettes automatisk 12 måneder efter, at programmet er lukket');
    s.close();
  });
});
