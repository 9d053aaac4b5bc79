/**
 * The mentor's own side of the season: before the first meeting, two get-to-know questions whose
 * answers reach the mentee only if the mentor says so; after a meeting, a short reflection that is
 * the mentor's alone; and before the next meeting, "did you do what you said you would?".
 */
import { pairsCsv } from '../../src/coordinator/export';
import { reportMarkdown, seasonReport } from '../../src/coordinator/report';
import type { Message } from '../../src/message';
import { addParticipant, createPerson, getPerson } from '../../src/people';
import { erasePerson } from '../../src/privacy/erase';
import { exportPerson, exportPersonText } from '../../src/privacy/export';
import { book, createTestSparring, runUntil, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

const ABOUT = 'Jeg er UX-konsulent og kom ind via et studiejob';
const CURIOUS = 'Hvad drømmer du om efter specialet?';
const PRIVATE_ABOUT = 'Min egen vej var fyldt med fyringer';
const REFLECTION = 'Jeg talte for meget om mig selv';
const DIFFERENTLY = 'Næste gang lader jeg Astrid styre mere';
const MENTOR_STEP = 'Sende Astrid et link til jobportalen';

function press(s: TestSparring, personId: number, questionId: string, value: string): Message[] {
  return s.bot.handle(personId, { type: 'answer', questionId, value }).replies;
}

const texts = (replies: Message[]) => replies.map((m) => m.text).join('\n');
/** The bot's answer itself (another waiting question may follow it). */
const answer = (replies: Message[]) => replies[0]?.text;

/** Everything a person was sent or told, and their own data as `mydata` shows it. */
function everythingSeenBy(s: TestSparring, personId: number, replies: Message[] = []): string {
  return [
    ...s.messenger.to(`test:${personId}`).map((d) => `${d.message.text}\n${d.message.why ?? ''}`),
    ...replies.map((m) => m.text),
    exportPersonText(s.core, getPerson(s.core, personId)!),
    JSON.stringify(exportPerson(s.core, getPerson(s.core, personId)!)),
  ].join('\n');
}

describe('the mentor’s side of a season', () => {
  let s: TestSparring;
  let pair: TestPair;
  let first: number;
  let second: number;
  let coordinator: number;
  const menteeReplies: Message[] = [];

  beforeAll(async () => {
    s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    pair = seedPair(s);
    coordinator = createPerson(s.core, { name: 'Helle Munk' });
    addParticipant(s.core, pair.programmeId, coordinator, 'coordinator');
    first = book(s, pair, '2026-10-07T14:00:00Z').id; // Wednesday 16:00 in Copenhagen
  });
  afterAll(() => s.close());

  it('asks the mentor two get-to-know questions before the first meeting, and shares the answers when the mentor says so', async () => {
    await runUntil(s, '2026-10-05T12:00:00Z');
    const [asked] = s.messenger.ofKind('prepMentor.ask', pair.mentor);
    expect(asked!.message.text).toContain('Du og Astrid mødes første gang onsdag den 7. oktober kl. 16.00');
    expect(asked!.message.text).toContain('Hvad laver du, og hvordan endte du, hvor du er i dag');
    expect(asked!.message.question!.id).toBe(`prepMentor.about.${first}`);
    // It came with the mentee's prep prompt, in the morning two days before.
    expect(s.core.db.prepare("SELECT delivered_at FROM nudges WHERE kind = 'prepMentor.ask'").pluck().get()).toBe(Date.parse('2026-10-05T07:00:00Z'));

    expect(texts(press(s, pair.mentorId, `prepMentor.about.${first}`, ABOUT))).toContain('Hvad er du nysgerrig på at høre om Astrid?');
    const share = press(s, pair.mentorId, `prepMentor.curious.${first}`, CURIOUS);
    expect(share[0]!.question!.kind === 'choice' && share[0]!.question!.options.map((o) => o.label)).toEqual(['Ja, send dem til Astrid', 'Nej, de er kun til mig']);
    expect(answer(press(s, pair.mentorId, `prepMentor.share.${first}`, 'yes'))).toBe('Tak! Astrid får dine svar inden mødet.');
    await s.scheduler.runOnce();

    const [shared] = s.messenger.ofKind('prepMentor.shared', pair.mentee);
    expect(shared!.message.text).toBe(`Jonas har skrevet lidt til dig inden jeres første møde onsdag den 7. oktober kl. 16.00:\n*Om Jonas:* ${ABOUT}\n*Jonas vil gerne høre om:* ${CURIOUS}`);
    expect(exportPerson(s.core, getPerson(s.core, pair.menteeId)!).introductions).toMatchObject([{ whose: 'sharedWithYou', partner: 'Jonas', about: ABOUT }]);
  });

  it('asks the mentor, privately, to reflect a few days after a meeting that took place', async () => {
    await runUntil(s, '2026-10-08T07:00:00Z'); // the mentee is asked the morning after (the evening is quiet)
    const steps: [string, string][] = [
      ['tookPlace', 'yes'],
      ['points', 'Vi talte om praktik og netværk'],
      ['mySteps', 'Opdatere mit CV'],
      ['mentorSteps', MENTOR_STEP],
      ['next', '21/10 kl. 16'],
    ];
    for (const [step, value] of steps) menteeReplies.push(...press(s, pair.menteeId, `after.${step}.${first}`, value));
    const confirm = menteeReplies.find((m) => m.question?.id.endsWith('.confirm'));
    if (confirm) menteeReplies.push(...press(s, pair.menteeId, confirm.question!.id, 'yes'));
    second = (s.core.db.prepare("SELECT id FROM meetings WHERE pair_id = ? AND status = 'booked'").get(pair.pairId) as { id: number }).id;

    await runUntil(s, '2026-10-12T12:00:00Z'); // three days after falls on a Saturday: Monday morning
    const [asked] = s.messenger.ofKind('reflect.mentor', pair.mentor);
    expect(asked!.message.text).toContain('dit møde med Astrid onsdag den 7. oktober kl. 16.00');
    expect(asked!.message.text).toContain('hverken Astrid eller koordinatoren ser dem');
    expect(asked!.message.question!.id).toBe(`reflectMentor.worked.${first}`);
    press(s, pair.mentorId, `reflectMentor.worked.${first}`, REFLECTION);
    expect(texts(press(s, pair.mentorId, `reflectMentor.notWorked.${first}`, DIFFERENTLY))).toContain('kun du kan se dem (*minedata*)');

    expect(s.core.db.prepare('SELECT person_id, worked, did_not_work FROM reflections WHERE meeting_id = ? AND person_id = ?').get(first, pair.mentorId)).toEqual({
      person_id: pair.mentorId,
      worked: REFLECTION,
      did_not_work: DIFFERENTLY,
    });
    const mine = exportPersonText(s.core, getPerson(s.core, pair.mentorId)!);
    expect(mine).toContain(`   Det fungerede godt: ${REFLECTION}`);
    expect(mine).toContain(`   Det kunne gå bedre: ${DIFFERENTLY}`);
  });

  it('asks the mentor before the next meeting whether the steps the mentor agreed to are done', async () => {
    await runUntil(s, '2026-10-19T12:00:00Z');
    const [asked] = s.messenger.ofKind('prepMentor.ask', pair.mentor).filter((d) => d.message.question?.id.endsWith(`.${second}`));
    expect(asked!.message.text).toContain('Du og Astrid mødes igen onsdag den 21. oktober kl. 16.00.');
    expect(asked!.message.text).toContain(`Sidst sagde du, at du ville:\n1. ${MENTOR_STEP}`);
    expect(asked!.message.text).toContain('Fik du gjort det?');
    expect(asked!.message.question!.id).toBe(`prepMentor.ticks.${second}`);
    expect(answer(press(s, pair.mentorId, `prepMentor.ticks.${second}`, 'alle'))).toBe('Godt — jeg har noteret, hvad du nåede.');
    expect(s.core.db.prepare('SELECT done_at IS NOT NULL AS done FROM action_items WHERE text = ?').get(MENTOR_STEP)).toEqual({ done: 1 });
    // The mentee's own prep lists her steps, not his.
    const [prep] = s.messenger.ofKind('prep.prompt', pair.mentee).filter((d) => d.key.includes(`:${second}:`));
    expect(prep).toBeDefined();
    expect(everythingSeenBy(s, pair.menteeId)).not.toContain('Fik du gjort det?');
  });

  it('never shows the mentor’s reflection to the mentee or the coordinator', () => {
    const menteeSaw = everythingSeenBy(s, pair.menteeId, menteeReplies);
    const status = say(s, coordinator, 'status');
    const coordinatorSaw = [
      everythingSeenBy(s, coordinator),
      status,
      pairsCsv(s.core, pair.programmeId),
      reportMarkdown(s.core, seasonReport(s.core, pair.programmeId), 'da', 'Programme'),
    ].join('\n');
    expect(status).toContain('Programme'); // the coordinator did see something
    for (const words of [REFLECTION, DIFFERENTLY]) {
      expect(menteeSaw).not.toContain(words);
      expect(coordinatorSaw).not.toContain(words);
    }
    expect(coordinatorSaw).not.toContain(ABOUT);
  });

  it('erases the mentor’s reflection and get-to-know answers with the mentor', () => {
    erasePerson(s.core, pair.mentorId);
    expect(s.core.db.prepare('SELECT count(*) FROM reflections WHERE person_id = ?').pluck().get(pair.mentorId)).toBe(0);
    expect(s.core.db.prepare('SELECT count(*) FROM introductions').pluck().get()).toBe(0);
  });
});

describe('a mentor who keeps the get-to-know answers to himself', () => {
  it('sends the mentee nothing of them', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-07T14:00:00Z');
    await runUntil(s, '2026-10-05T12:00:00Z');
    press(s, pair.mentorId, `prepMentor.about.${meeting.id}`, PRIVATE_ABOUT);
    press(s, pair.mentorId, `prepMentor.curious.${meeting.id}`, 'spring over');
    expect(answer(press(s, pair.mentorId, `prepMentor.share.${meeting.id}`, 'no'))).toBe('Tak! Dine svar er gemt, og kun du kan se dem.');
    await runUntil(s, '2026-10-08T12:00:00Z');

    expect(s.messenger.ofKind('prepMentor.shared')).toEqual([]);
    expect(everythingSeenBy(s, pair.menteeId)).not.toContain(PRIVATE_ABOUT);
    const his = exportPersonText(s.core, getPerson(s.core, pair.mentorId)!);
    expect(his).toContain('Dine svar før det første møde med Astrid (kun for dig):');
    expect(his).toContain(`   Hvad jeg laver, og hvordan jeg endte her: ${PRIVATE_ABOUT}`);
    s.close();
  });

  it('is not asked at all when there is nothing to ask: a later meeting, with no steps of his', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-07T14:00:00Z');
    s.core.db.prepare("UPDATE meetings SET status = 'held' WHERE id = ?").run(meeting.id);
    s.core.db.prepare('INSERT INTO introductions (pair_id, author_id, about, curious, shared, answered_at) VALUES (?, ?, NULL, NULL, NULL, 0)').run(pair.pairId, pair.mentorId);
    book(s, pair, '2026-10-21T14:00:00Z');
    await runUntil(s, '2026-10-20T12:00:00Z');
    expect(s.messenger.ofKind('prepMentor.ask').filter((d) => !d.message.question?.id.endsWith(`.${meeting.id}`))).toEqual([]);
    expect(s.core.db.prepare("SELECT outcome_note FROM nudges WHERE kind = 'prepMentor.ask' AND status = 'dropped'").pluck().all()).toContain('nothing to ask the mentor before this meeting');
    s.close();
  });
});
