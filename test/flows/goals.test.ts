/**
 * Goals that can be followed: the lines of what the mentee wants help with in the agreement become
 * the pair's goals; at the mid-season check-in and at the end the mentee rates progress on each
 * (1–5), privately; the coordinator's report shows how many ratings fell on each point of the scale,
 * and nothing for a group smaller than the programme's minGroupSize.
 */
import { reportCsv, reportMarkdown, seasonReport } from '../../src/coordinator/report';
import { joinProgramme, matchPair } from '../../src/flows/season';
import type { Message } from '../../src/message';
import { addIdentity, addParticipant, createPerson, getPerson } from '../../src/people';
import { exportPerson, exportPersonText } from '../../src/privacy/export';
import { applyRetention } from '../../src/privacy/retention';
import { closeProgramme } from '../../src/programme/lifecycle';
import { createProgramme, type Programme } from '../../src/programme/programmes';
import { createTestSparring, runUntil, say, type TestSparring } from '../helpers/sparring';

interface Pair {
  mentee: number;
  mentor: number;
  pairId: number;
}

function person(s: TestSparring, name: string): number {
  const id = createPerson(s.core, { name });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  return id;
}

function pairUp(s: TestSparring, programme: Programme, mentee: string, mentor: string): Pair {
  const p = { mentee: person(s, mentee), mentor: person(s, mentor) };
  joinProgramme(s.core, programme.id, p.mentee, 'mentee');
  joinProgramme(s.core, programme.id, p.mentor, 'mentor');
  return { ...p, pairId: matchPair(s.core, programme.id, p.mentee, p.mentor) };
}

/** The person presses an answer to a question; the replies. */
function press(s: TestSparring, personId: number, questionId: string, value: string): Message[] {
  return s.bot.handle(personId, { type: 'answer', questionId, value }).replies;
}

const asked = (replies: Message[]) => replies.find((m) => m.question)?.question?.id;
/** The questions among the replies that belong to `flow` (another waiting question may follow them). */
const askedIn = (replies: Message[], flow: string) => replies.flatMap((m) => (m.question?.id.startsWith(`${flow}.`) ? [m.question.id] : []));
const texts = (replies: Message[]) => replies.map((m) => m.text).join('\n');

/** The mentee writes their part of the agreement, with `help` as what they want help with. */
function agree(s: TestSparring, mentee: number, help: string): void {
  say(s, mentee, 'agreement edit');
  for (const answer of [help, 'spring over', 'spring over', 'spring over', '1', 'spring over', 'spring over']) say(s, mentee, answer);
}

/** Both answer the check-in when it comes; the mentee's replies after it. */
function checkIn(s: TestSparring, p: Pair, mentees = '4'): Message[] {
  for (const id of [p.mentee, p.mentor]) expect(s.messenger.ofKind('checkin.ask', `test:${id}`)).toHaveLength(1);
  press(s, p.mentor, `checkin.professional.${p.pairId}`, '4');
  const mentorReplies = press(s, p.mentor, `checkin.personal.${p.pairId}`, '4');
  expect(asked(mentorReplies)).toBeUndefined(); // the mentor has no goals to rate
  press(s, p.mentee, `checkin.professional.${p.pairId}`, mentees);
  return press(s, p.mentee, `checkin.personal.${p.pairId}`, '4');
}

/** The mentee answers the end-of-season survey; the replies after its last question. */
function answerSurvey(s: TestSparring, mentee: number): Message[] {
  const [survey] = s.messenger.ofKind('survey.ask', `test:${mentee}`);
  let question = survey!.message.question?.id;
  let replies: Message[] = [];
  while (question?.startsWith('surveyMentee.')) {
    const step = question.split('.')[1]!;
    replies = press(s, mentee, question, step === 'shadowing' ? 'no' : step === 'engagement' ? '5' : '4');
    question = asked(replies);
  }
  return replies;
}

describe('goals that can be followed', () => {
  let s: TestSparring;
  let programme: Programme;
  let astrid: Pair;
  let bo: Pair;
  let clara: Pair;
  const midReplies = new Map<number, Message[]>();

  beforeAll(async () => {
    s = createTestSparring({ start: '2026-08-28T08:00:00Z' });
    programme = createProgramme(s.core, { name: 'Efterår 2026', startsOn: '2026-09-01', endsOn: '2026-12-18', settings: { minGroupSize: 2 } });
    astrid = pairUp(s, programme, 'Astrid Holm', 'Jonas Berg');
    bo = pairUp(s, programme, 'Bo Ravn', 'Karin Lund');
    clara = pairUp(s, programme, 'Clara Dahl', 'Mads Krogh');
    agree(s, astrid.mentee, 'Finde et studiejob\n- Blive bedre til at netværke');
    agree(s, bo.mentee, 'At vide, hvad jeg vil efter studiet');
    // Clara skips the question: no goals.
    agree(s, clara.mentee, 'spring over');
    await runUntil(s, '2026-10-26T09:00:00Z'); // mid-season (Sunday 25 October), held over the weekend
    // Bo finds the match poor: he is offered to write to the coordinator first.
    for (const p of [astrid, bo, clara]) midReplies.set(p.mentee, checkIn(s, p, p === bo ? '2' : '4'));
  });
  afterAll(() => s.close());

  it('turns each line of what the mentee wants help with into one goal', () => {
    const goals = s.core.db.prepare('SELECT pair_id, position, text FROM goals ORDER BY pair_id, position').all();
    expect(goals).toEqual([
      { pair_id: astrid.pairId, position: 1, text: 'Finde et studiejob' },
      { pair_id: astrid.pairId, position: 2, text: 'Blive bedre til at netværke' },
      { pair_id: bo.pairId, position: 1, text: 'At vide, hvad jeg vil efter studiet' },
    ]);
    // The mentor reads them in the agreement, as before.
    expect(say(s, astrid.mentor, 'aftale')).toContain('Finde et studiejob');
  });

  it('asks the mentee to rate each goal after the mid-season check-in, privately, and saves the ratings', () => {
    const replies = midReplies.get(astrid.mentee)!;
    expect(texts(replies)).toContain('Tak for dine svar!');
    expect(texts(replies)).toContain('Så til dine 2 mål fra jeres aftale');
    expect(texts(replies)).toContain('hverken Jonas eller koordinatoren');
    expect(texts(replies)).toContain('*Mål 1 af 2:* Finde et studiejob');
    const first = replies.find((m) => m.question)!.question!;
    expect(first.id).toBe(`goals.g1.${astrid.pairId}`);
    expect(first.kind === 'choice' && first.options.map((o) => o.label)).toEqual(['1 — ikke i gang', '2', '3', '4', '5 — nået']);

    const second = press(s, astrid.mentee, `goals.g1.${astrid.pairId}`, '2');
    expect(texts(second)).toContain('*Mål 2 af 2:* Blive bedre til at netværke');
    expect(texts(press(s, astrid.mentee, `goals.g2.${astrid.pairId}`, '4'))).toContain('kun du kan se dem');
    // Bo's goal waits behind the offer to write to the coordinator, and comes when he declines it.
    const offer = midReplies.get(bo.mentee)!;
    expect(askedIn(offer, 'goals')).toEqual([]);
    const contact = offer.find((m) => m.question?.id.startsWith('contact.'))!.question!;
    const declined = press(s, bo.mentee, contact.id, 'none');
    expect(texts(declined)).toContain('Så til dit mål fra jeres aftale');
    expect(askedIn(declined, 'goals')).toEqual([`goals.g1.${bo.pairId}`]);
    press(s, bo.mentee, `goals.g1.${bo.pairId}`, '3');
    expect(askedIn(midReplies.get(clara.mentee)!, 'goals')).toEqual([]); // no goals, nothing to rate

    const ratings = s.core.db.prepare("SELECT g.text, r.progress FROM goal_ratings r JOIN goals g ON g.id = r.goal_id WHERE r.moment = 'mid' ORDER BY g.id").all();
    expect(ratings).toEqual([
      { text: 'Finde et studiejob', progress: 2 },
      { text: 'Blive bedre til at netværke', progress: 4 },
      { text: 'At vide, hvad jeg vil efter studiet', progress: 3 },
    ]);
  });

  it('keeps a goal and its rating when the agreement is edited, and follows the new one', () => {
    const before = s.core.db.prepare("SELECT id FROM goals WHERE text = 'Finde et studiejob'").get();
    agree(s, astrid.mentee, 'Finde et studiejob\nSkrive et godt speciale');
    expect(s.core.db.prepare("SELECT id FROM goals WHERE text = 'Finde et studiejob'").get()).toEqual(before);
    const rows = s.core.db.prepare('SELECT text, dropped_at IS NOT NULL AS dropped FROM goals WHERE pair_id = ? ORDER BY id').all(astrid.pairId);
    expect(rows).toEqual([
      { text: 'Finde et studiejob', dropped: 0 },
      { text: 'Blive bedre til at netværke', dropped: 1 },
      { text: 'Skrive et godt speciale', dropped: 0 },
    ]);
  });

  it('asks again at the end of the season, right after the survey', async () => {
    await runUntil(s, '2026-12-11T12:00:00Z');
    const replies = answerSurvey(s, astrid.mentee);
    expect(texts(replies)).toContain('Et par spørgsmål mere');
    expect(texts(replies)).toContain('Til sidst dine 2 mål fra jeres aftale');
    expect(texts(press(s, astrid.mentee, `goals.g1.${astrid.pairId}`, '4'))).toContain('*Mål 2 af 2:* Skrive et godt speciale');
    const last = press(s, astrid.mentee, `goals.g2.${astrid.pairId}`, '5');
    expect(last[0]!.text).toBe('Tusind tak for dine svar!');
    expect([...askedIn(last, 'goals'), ...askedIn(last, 'baseline')]).toEqual([]); // no baseline answered: nothing more
    answerSurvey(s, bo.mentee);
    press(s, bo.mentee, `goals.g1.${bo.pairId}`, '5');
    expect(answerSurvey(s, clara.mentee)[0]!.text).toBe('Tusind tak for dine svar!');
    // The survey's introduction counted the goals among its questions: 11 + 2 for Astrid.
    expect(s.messenger.ofKind('survey.ask', `test:${astrid.mentee}`)[0]!.message.text).toContain('13 korte spørgsmål');
  });

  it('shows the coordinator the distribution of progress ratings, counts only', () => {
    const report = seasonReport(s.core, programme.id);
    expect(report.goalProgress.mid).toEqual({ moment: 'mid', shown: true, people: 2, n: 3, counts: [0, 1, 1, 1, 0] });
    expect(report.goalProgress.end).toEqual({ moment: 'end', shown: true, people: 2, n: 3, counts: [0, 0, 0, 1, 2] });
    const markdown = reportMarkdown(s.core, report, 'da', programme.name);
    expect(markdown).toContain('## Fremskridt på menteernes mål');
    expect(markdown).toContain('| Midtvejs | 3 | 0 | 1 | 1 | 1 | 0 |');
    expect(markdown).toContain('| Ved afslutningen | 3 | 0 | 0 | 0 | 1 | 2 |');
    expect(reportCsv(report, 'da', s.core.text)).toContain('goals,progress_end,3,0,0,0,1,2,,,');
    // Neither the goals nor anyone's rating as words.
    for (const words of ['studiejob', 'netværke', 'speciale', 'efter studiet']) expect(markdown).not.toContain(words);
  });

  it('hides the distribution from a group smaller than the programme’s minimum', () => {
    s.core.db.prepare('UPDATE programmes SET settings = ? WHERE id = ?').run(JSON.stringify({ ...programme.settings, minGroupSize: 3 }), programme.id);
    const report = seasonReport(s.core, programme.id);
    expect(report.goalProgress.mid).toEqual({ moment: 'mid', shown: false, reason: 'tooFew' });
    const markdown = reportMarkdown(s.core, report, 'da', programme.name);
    expect(markdown).toContain('| Midtvejs | – | – | – | – | – | for få svar til at vise |');
    expect(markdown).not.toMatch(/\| Midtvejs \| 3 \|/);
    expect(reportCsv(report, 'en', s.core.text)).toContain('goals,progress_mid,,,,,,,,,too few answers to show');
    s.core.db.prepare('UPDATE programmes SET settings = ? WHERE id = ?').run(JSON.stringify(programme.settings), programme.id);
  });

  it('keeps the ratings the mentee’s own: in her data, never in the mentor’s', () => {
    const mine = exportPerson(s.core, getPerson(s.core, astrid.mentee)!);
    expect(mine.goals.map((g) => [g.goal, g.droppedAt !== null, g.progress.map((p) => `${p.moment}:${p.value}`)])).toEqual([
      ['Finde et studiejob', false, ['mid:2', 'end:4']],
      ['Blive bedre til at netværke', true, ['mid:4']],
      ['Skrive et godt speciale', false, ['end:5']],
    ]);
    expect(exportPersonText(s.core, getPerson(s.core, astrid.mentee)!)).toContain('midtvejs: 2 ud af 5');
    const mentor = exportPerson(s.core, getPerson(s.core, astrid.mentor)!);
    expect(mentor.goals).toEqual([]);
    const mentorSaw = [...s.messenger.to(`test:${astrid.mentor}`).map((d) => d.message.text), exportPersonText(s.core, getPerson(s.core, astrid.mentor)!)].join('\n');
    expect(mentorSaw).not.toMatch(/ud af 5 \(|Mål 1 af/);
  });

  it('forgets the goals’ words a year after the programme closed, keeping the ratings of a mentee who goes on', () => {
    // Astrid goes on in the spring: she is not erased, only this programme's words are.
    const spring = createProgramme(s.core, { name: 'Forår 2028', startsOn: '2028-02-01', endsOn: '2028-05-31' });
    addParticipant(s.core, spring.id, astrid.mentee, 'mentee');
    s.clock.set('2026-12-19T12:00:00Z');
    closeProgramme(s.core, programme);
    s.clock.set('2027-12-20T12:00:00Z');
    applyRetention(s.core);
    const tables = s.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    const everything = JSON.stringify(tables.map((t) => s.core.db.prepare(`SELECT * FROM ${t}`).all()));
    for (const words of ['Finde et studiejob', 'Skrive et godt speciale', 'hvad jeg vil efter studiet']) expect(everything).not.toContain(words);
    expect(s.core.db.prepare('SELECT count(*) FROM goals WHERE text IS NOT NULL').pluck().get()).toBe(0);
    const astrids = s.core.db.prepare('SELECT g.text, r.moment, r.progress FROM goals g JOIN goal_ratings r ON r.goal_id = g.id WHERE g.pair_id = ? ORDER BY g.id, r.moment').all(astrid.pairId);
    expect(astrids).toEqual([
      { text: null, moment: 'end', progress: 4 },
      { text: null, moment: 'mid', progress: 2 },
      { text: null, moment: 'mid', progress: 4 },
      { text: null, moment: 'end', progress: 5 },
    ]);
  });
});
