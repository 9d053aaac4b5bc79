/**
 * Growth measured: a few days into the season each mentee says where they stand on the programme's
 * eight outcome statements; at the end, after the survey, the same statements again. The report
 * shows per item the mean at the start, the mean at the end, the change and n (the mentees who
 * answered both), beside the end-of-season answers, and nothing for a group that is too small.
 * Every scale runs the same way: 1 = strongly disagree … 5 = strongly agree.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCsv, reportMarkdown, seasonReport } from '../../src/coordinator/report';
import { joinProgramme, matchPair } from '../../src/flows/season';
import { outcomeItems } from '../../src/flows/survey';
import type { Message } from '../../src/message';
import { projectRoot } from '../../src/paths';
import { addIdentity, createPerson, getPerson } from '../../src/people';
import { erasePerson } from '../../src/privacy/erase';
import { exportPerson } from '../../src/privacy/export';
import { createProgramme, type Programme } from '../../src/programme/programmes';
import { openDatabase } from '../../src/store/database';
import { createTestSparring, runUntil, tempDatabasePath, type TestSparring } from '../helpers/sparring';

function mentee(s: TestSparring, programme: Programme, name: string): number {
  const person = (n: string) => {
    const id = createPerson(s.core, { name: n });
    addIdentity(s.core, id, 'test', String(id), `test:${id}`);
    return id;
  };
  const id = person(name);
  const mentor = person(`Mentor for ${name}`);
  joinProgramme(s.core, programme.id, id, 'mentee');
  joinProgramme(s.core, programme.id, mentor, 'mentor');
  matchPair(s.core, programme.id, id, mentor);
  return id;
}

function press(s: TestSparring, personId: number, questionId: string, value: string): Message[] {
  return s.bot.handle(personId, { type: 'answer', questionId, value }).replies;
}

/** Answers the question in `first` and every question of `flow` that follows with `value`; the last replies. */
function answerAll(s: TestSparring, personId: number, first: Message, flow: string, value: (step: string) => string): Message[] {
  let replies: Message[] = [first];
  let question = first.question?.id;
  while (question?.startsWith(`${flow}.`)) {
    replies = press(s, personId, question, value(question.split('.')[1]!));
    question = replies.find((m) => m.question?.id.startsWith(`${flow}.`))?.question?.id;
  }
  return replies;
}

const surveyValue = (step: string) => (step === 'shadowing' ? 'no' : '4');

describe('growth from the start of the season to the end', () => {
  let s: TestSparring;
  let programme: Programme;
  let astrid: number;
  let bo: number;
  let clara: number;

  beforeAll(async () => {
    s = createTestSparring({ start: '2026-08-28T08:00:00Z' });
    programme = createProgramme(s.core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18', settings: { minGroupSize: 2 } });
    astrid = mentee(s, programme, 'Astrid Holm');
    bo = mentee(s, programme, 'Bo Ravn');
    clara = mentee(s, programme, 'Clara Dahl');
    await runUntil(s, '2026-09-07T12:00:00Z');
  });
  afterAll(() => s.close());

  it('asks the mentees where they stand a few days into the season, on a scale from disagree to agree', () => {
    const sent = s.messenger.ofKind('baseline.ask');
    expect(sent.map((d) => d.address).sort()).toEqual([astrid, bo, clara].map((id) => `test:${id}`).sort()); // mentees only
    const { message } = sent.find((d) => d.address === `test:${astrid}`)!;
    expect(message.text).toContain('otte korte udsagn om, hvor du står lige nu');
    expect(message.text).toContain('Hvor enig er du?');
    expect(message.text).toContain('*1/8* — Jeg har en klar idé om mine karriereønsker og min retning.');
    expect(message.why).toBe('Du får denne besked, fordi Efterår 2026 er gået i gang.');
    const q = message.question!;
    expect(q.kind === 'choice' && q.options).toEqual([
      { value: '1', label: 'Meget uenig' },
      { value: '2', label: 'Uenig' },
      { value: '3', label: 'Hverken enig eller uenig' },
      { value: '4', label: 'Enig' },
      { value: '5', label: 'Meget enig' },
    ]);
    // Planned for Friday 4 September at 10:00 in Copenhagen, three days into the season; a question
    // asked that morning (no meeting booked yet?) holds it back to the next working day.
    const at = s.core.db.prepare("SELECT delivered_at FROM nudges WHERE kind = 'baseline.ask' AND person_id = ?").pluck().get(astrid) as number;
    expect(at).toBeGreaterThanOrEqual(Date.parse('2026-09-04T08:00:00Z'));
    expect(at).toBeLessThanOrEqual(Date.parse('2026-09-07T08:00:00Z'));
  });

  it('saves each answer as it is given', () => {
    const first = (id: number) => s.messenger.ofKind('baseline.ask', `test:${id}`)[0]!.message;
    const done = answerAll(s, astrid, first(astrid), 'baseline', () => '2');
    expect(done[0]!.text).toBe('Tak! Jeg spørger igen, når forløbet slutter.');
    answerAll(s, bo, first(bo), 'baseline', () => '1');
    // Clara stops after two statements: what she answered is kept.
    press(s, clara, first(clara).question!.id, '3');
    press(s, clara, `baseline.transition.${programme.id}`, '3');
    s.bot.handle(clara, { type: 'text', text: 'annuller' });
    const rows = s.core.db.prepare('SELECT person_id, count(*) AS n, sum(baseline) AS total FROM outcome_growth GROUP BY person_id ORDER BY person_id').all();
    expect(rows).toEqual([
      { person_id: astrid, n: 8, total: 16 },
      { person_id: bo, n: 8, total: 8 },
      { person_id: clara, n: 2, total: 6 },
    ]);
  });

  it('asks the same statements again after the end-of-season survey, and only of those who answered at the start', async () => {
    await runUntil(s, '2026-12-11T12:00:00Z');
    const survey = (id: number) => s.messenger.ofKind('survey.ask', `test:${id}`)[0]!.message;
    expect(survey(astrid).text).toContain('19 korte spørgsmål'); // 11 of the survey and the 8 statements again
    const afterSurvey = answerAll(s, astrid, survey(astrid), 'surveyMentee', surveyValue);
    expect(afterSurvey[0]!.text).toBe('Tak! Et par spørgsmål mere, så er du færdig.');
    expect(afterSurvey[1]!.text).toContain('de samme otte udsagn som ved starten af forløbet');
    expect(afterSurvey[1]!.question!.id).toBe(`baseline.careerDirection.${programme.id}`);
    expect(answerAll(s, astrid, afterSurvey[1]!, 'baseline', () => '4')[0]!.text).toBe('Tusind tak for dine svar!');

    answerAll(s, bo, answerAll(s, bo, survey(bo), 'surveyMentee', surveyValue)[1]!, 'baseline', () => '3');
    const clarasEnd = answerAll(s, clara, survey(clara), 'surveyMentee', surveyValue);
    answerAll(s, clara, clarasEnd[1]!, 'baseline', () => '5');

    const dave = createPerson(s.core, { name: 'Dave' }); // not in the programme: nothing of his
    expect(exportPerson(s.core, getPerson(s.core, dave)!).growth).toEqual([]);
    expect(exportPerson(s.core, getPerson(s.core, astrid)!).growth[0]).toMatchObject({ programme: 'Efterår 2026', item: 'careerDirection', start: 2, end: 4 });
  });

  it('reports the change per item with n, beside the end-of-season answers', () => {
    const report = seasonReport(s.core, programme.id);
    // Astrid 2 → 4 and Bo 1 → 3 on every item; Clara's two statements count too.
    expect(report.growth[0]).toEqual({ item: 'careerDirection', shown: true, n: 3, baseline: 2, end: 4, change: 2 });
    expect(report.growth[2]).toEqual({ item: 'labourMarket', shown: true, n: 2, baseline: 1.5, end: 3.5, change: 2 });
    expect(report.growth).toHaveLength(outcomeItems.length);
    // The end-of-season answers: all three mentees agreed (4), counted as agreeing.
    expect(report.outcomes[0]).toMatchObject({ item: 'careerDirection', n: 3, counts: [0, 0, 0, 3, 0], share: 1 });

    const markdown = reportMarkdown(s.core, report, 'da', programme.name);
    const outcomes = markdown.indexOf('## Hvad forløbet har givet menteerne');
    const growth = markdown.indexOf('## Udvikling fra start til slut');
    expect(outcomes).toBeGreaterThan(-1);
    expect(growth).toBeGreaterThan(outcomes);
    expect(markdown).toContain('| Klarere karriereønsker og -retning | 3 | 2,0 | 4,0 | +2,0 |');
    expect(markdown).toContain('| Viden om, hvad arbejdsmarkedet efterspørger | 2 | 1,5 | 3,5 | +2,0 |');
    expect(reportMarkdown(s.core, report, 'en', programme.name)).toContain('| 3 | 2.0 | 4.0 | +2.0 |');
    const csv = reportCsv(report, 'da', s.core.text);
    expect(csv).toContain('growth,careerDirection.start,3,,,,,,,2.00,\r\n');
    expect(csv).toContain('growth,careerDirection.change,3,,,,,,,2.00,\r\n');
  });

  it('hides an item fewer than minGroupSize mentees answered both times', () => {
    s.core.db.prepare('UPDATE programmes SET settings = ? WHERE id = ?').run(JSON.stringify({ ...programme.settings, minGroupSize: 3 }), programme.id);
    const report = seasonReport(s.core, programme.id);
    expect(report.growth[0]).toMatchObject({ shown: true, n: 3 });
    expect(report.growth[2]).toEqual({ item: 'labourMarket', shown: false, reason: 'tooFew' });
    const markdown = reportMarkdown(s.core, report, 'da', programme.name);
    expect(markdown).toContain('| Viden om, hvad arbejdsmarkedet efterspørger | – | – | – | for få svar til at vise |');
    expect(markdown).not.toContain('1,5');
    s.core.db.prepare('UPDATE programmes SET settings = ? WHERE id = ?').run(JSON.stringify(programme.settings), programme.id);
  });

  it('keeps the change countable, and nobody in it, once a mentee is erased', () => {
    expect(s.core.db.prepare('SELECT count(*) FROM outcome_growth WHERE person_id = ?').pluck().get(astrid)).toBe(8);
    erasePerson(s.core, astrid);
    expect(s.core.db.prepare('SELECT count(*) FROM outcome_growth WHERE person_id = ?').pluck().get(astrid)).toBe(0);
    expect(seasonReport(s.core, programme.id).growth[0]).toMatchObject({ shown: true, n: 3, change: 2 });
  });
});

describe('the scale that ran the other way', () => {
  it('is turned round for answers stored before: 1 (strongly agree) becomes 5', () => {
    // A database as the version before this one left it: every migration before 0016.
    const dir = mkdtempSync(join(tmpdir(), 'sparring-migrations-'));
    const real = join(projectRoot(), 'migrations');
    for (const f of readdirSync(real).filter((f) => Number(f.slice(0, 4)) < 16)) copyFileSync(join(real, f), join(dir, f));
    const path = tempDatabasePath();
    const old = openDatabase(path, { migrationsDir: dir });
    old.prepare("INSERT INTO programmes (name, starts_on, ends_on, timezone, created_at) VALUES ('Forår 2026', '2026-02-01', '2026-05-31', 'Europe/Copenhagen', 0)").run();
    const answer = old.prepare("INSERT INTO survey_responses (programme_id, person_id, role, item, value, answered_at) VALUES (1, NULL, ?, ?, ?, 0)");
    answer.run('mentee', 'careerDirection', 1); // strongly agree, as it was
    answer.run('mentee', 'prepared', 4); // disagree
    answer.run('mentee', 'match', 5); // very good: that scale already ran low to high
    answer.run('mentor', 'match', 2);
    old.close();

    openDatabase(path).close();
    const db = new Database(path);
    expect(db.prepare('SELECT role, item, value FROM survey_responses ORDER BY id').all()).toEqual([
      { role: 'mentee', item: 'careerDirection', value: 5 },
      { role: 'mentee', item: 'prepared', value: 2 },
      { role: 'mentee', item: 'match', value: 5 },
      { role: 'mentor', item: 'match', value: 2 },
    ]);
    db.close();
  });
});
