/**
 * Erasure that leaves nothing (issue 12, item 7): every table is accounted for, the person's words go
 * from their own rows, from the rows of the people who received them and from the adapters' tables,
 * and the erased text is found neither in the database file's bytes nor in its WAL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LocalMessenger } from '../../adapters/local/messenger';
import { TeamsDirectory } from '../../adapters/teams/references';
import { addIdentity } from '../../src/people';
import { erasePerson, erasureCoverage } from '../../src/privacy/erase';
import { answerAlignment, book, createTestSparring, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

const PREP_MARKER = 'Kvadratrodsgiraffen';
const SUMMARY_MARKER = 'Fjordhestesadel';
const MY_STEP_MARKER = 'Blæksprutteskrivebord';
const MENTOR_STEP_MARKER = 'Pindsvinetelefon';
const MARKERS = [PREP_MARKER, SUMMARY_MARKER, MY_STEP_MARKER, MENTOR_STEP_MARKER];

function everyTable(s: TestSparring): string[] {
  return s.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

function everything(s: TestSparring): string {
  return JSON.stringify(everyTable(s).map((t) => s.core.db.prepare(`SELECT * FROM ${t}`).all()));
}

function found(path: string, words: string[]): string[] {
  if (!existsSync(path)) return [];
  const bytes = readFileSync(path);
  return words.filter((w) => bytes.includes(Buffer.from(w, 'utf8')));
}

/** Astrid prepares, meets her mentor and writes the summary and both their steps; Slack, Teams and the local chat carry her words. */
async function aSeasonOfAstrid(): Promise<{ s: TestSparring; pair: TestPair }> {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s);
  book(s, pair, '2026-09-29T14:00:00Z');
  await s.scheduler.runOnce();
  answerAlignment(s, pair.menteeId);
  say(s, pair.menteeId, 'prep');
  for (const a of [`Jeg vil tale om ${PREP_MARKER} og min ansøgning`, '-', '-', '-', '1']) say(s, pair.menteeId, a);
  s.clock.set('2026-09-30T06:00:00Z');
  await s.scheduler.runOnce();
  for (const a of ['1', `Vi talte om ${SUMMARY_MARKER} i dag`, `Skrive om ${MY_STEP_MARKER} til Netcompany`, `Sende mig ${MENTOR_STEP_MARKER} som eksempel`, '-']) say(s, pair.menteeId, a);
  // Her agenda as the local chat delivered it to her mentor, her Slack question and her Teams chat.
  await new LocalMessenger(s.core).deliver(`local:${pair.mentorId}`, { text: `Astrids dagsorden:\nJeg vil tale om ${PREP_MARKER} og min ansøgning` }, { key: 'agenda:test' });
  addIdentity(s.core, pair.menteeId, 'slack', 'U0ASTRID', 'slack:U0ASTRID');
  s.core.db.prepare("INSERT INTO slack_questions (user_id, channel, ts, question_id, blocks) VALUES ('U0ASTRID', 'D0ASTRID', '1.2', 'q1', ?)").run(JSON.stringify([{ text: SUMMARY_MARKER }]));
  new TeamsDirectory(s.core).remember({ id: '29:astrid', aadObjectId: 'aad-astrid' }, { conversation: { id: 'a:astrid' } as never, user: { id: '29:astrid', name: 'Astrid Holm' } }, pair.menteeId);
  return { s, pair };
}

describe('erasure that leaves nothing', () => {
  it('names every table of the store, with how it is erased or why nothing about a person is there', () => {
    const s = createTestSparring();
    const tables = everyTable(s);
    s.close();
    expect(Object.keys(erasureCoverage).sort()).toEqual(tables);
  });

  it('finds the person’s words in no table after erasure, not even on their mentor’s rows', async () => {
    const { s, pair } = await aSeasonOfAstrid();
    const before = everything(s);
    for (const word of [...MARKERS, 'Astrid Holm', '29:astrid', 'U0ASTRID']) expect(before).toContain(word);

    erasePerson(s.core, pair.menteeId);

    const after = everything(s);
    for (const word of [...MARKERS, 'Astrid Holm', '29:astrid', 'U0ASTRID', 'aad-astrid']) expect(after).not.toContain(word);
    expect(s.core.db.prepare("SELECT count(*) FROM meetings WHERE status = 'held'").pluck().get()).toBe(1);
    s.close();
  });

  it('leaves the erased words neither in the database file nor in the WAL', async () => {
    const { s, pair } = await aSeasonOfAstrid();
    expect(found(s.databasePath, MARKERS).length + found(`${s.databasePath}-wal`, MARKERS).length).toBeGreaterThan(0);

    erasePerson(s.core, pair.menteeId);

    expect(found(`${s.databasePath}-wal`, MARKERS)).toEqual([]);
    expect(found(s.databasePath, MARKERS)).toEqual([]);
    s.close();
    expect(found(s.databasePath, MARKERS)).toEqual([]);
    expect(found(`${s.databasePath}-wal`, MARKERS)).toEqual([]);
  });
});
