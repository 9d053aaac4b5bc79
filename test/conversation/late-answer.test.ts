/**
 * Story: a mentee answers late. The preparation question went unanswered until the meeting, and closed
 * with it; the reflection question came after the meeting. What she then writes about the preparation
 * must not be stored as her reflection: the bot asks which question it was for, once.
 */
import { AFTER_ASK } from '../../src/flows/after-meeting';
import { PREP_PROMPT } from '../../src/flows/prep/plan';
import { plan } from '../../src/flows/plan';
import { REFLECT_ASK } from '../../src/flows/reflection';
import { setMeetingOutcome } from '../../src/meetings';
import { book, createTestSparring, keepOnlyNudges, say, seedPair } from '../helpers/sparring';

const texts = {
  da: {
    late: 'Jeg vil gerne tale om min praktikplads',
    asked: 'lukkede, før du svarede',
    closed: 'er lukket, fordi tiden for det er gået',
    still: 'venter stadig',
    worked: 'Det hjalp at have en dagsorden',
    notWorked: 'Vi løb tør for tid',
  },
  en: {
    late: "I'd like to talk about my internship",
    asked: 'closed before you answered',
    closed: 'has closed because its time has passed',
    still: 'is still waiting',
    worked: 'Having an agenda helped',
    notWorked: 'We ran out of time',
  },
} as const;

/** The prep question asked and left unanswered; the meeting held; the reflection question asked `hoursAfter` the prep question closed. */
async function lateStory(locale: 'da' | 'en', reflectionAt = '2026-10-01T16:00:00Z') {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s, { menteeLocale: locale });
  const meeting = book(s, pair, '2026-10-01T14:00:00Z');
  keepOnlyNudges(s.core, 'none');
  plan(s.core, { key: `${PREP_PROMPT}:story`, kind: PREP_PROMPT, personId: pair.menteeId, subject: `meeting:${meeting.id}`, payload: { meetingId: meeting.id }, dueAt: s.clock.now() });
  await s.scheduler.runOnce();
  expect(s.bot.waitingFor(pair.menteeId)).toBe(`prep.say.${meeting.id}`);

  s.clock.set(reflectionAt);
  setMeetingOutcome(s.core, meeting.id, 'held');
  keepOnlyNudges(s.core, 'none');
  plan(s.core, { key: `${REFLECT_ASK}:story`, kind: REFLECT_ASK, personId: pair.menteeId, subject: `meeting:${meeting.id}`, payload: { meetingId: meeting.id }, dueAt: s.clock.now() });
  await s.scheduler.runOnce();
  expect(s.bot.waitingFor(pair.menteeId)).toBe(`reflect.worked.${meeting.id}`);
  const reflections = () => s.core.db.prepare('SELECT worked, did_not_work FROM reflections WHERE person_id = ?').all(pair.menteeId);
  return { s, pair, meeting, reflections };
}

describe('a late answer to a question that closed', () => {
  it.each(['da', 'en'] as const)('(%s) is asked about; "it was about the preparation" stores nothing, and the reflection still waits', async (locale) => {
    const x = texts[locale];
    const { s, pair, meeting, reflections } = await lateStory(locale);
    expect(say(s, pair.menteeId, x.late)).toContain(x.asked);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`late.choice.${s.core.db.prepare("SELECT id FROM dialogues WHERE flow = 'reflect' AND status = 'open'").pluck().get()}`);

    const reply = say(s, pair.menteeId, '2');
    expect(reply).toContain(x.closed);
    expect(reply).toContain(x.still);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`reflect.worked.${meeting.id}`);

    // Asked once: what she writes next is her reflection.
    say(s, pair.menteeId, x.worked);
    say(s, pair.menteeId, x.notWorked);
    expect(reflections()).toEqual([{ worked: x.worked, did_not_work: x.notWorked }]);
    expect(JSON.stringify(s.core.db.prepare('SELECT * FROM dialogues').all())).not.toContain(x.late);
    s.close();
  });

  it('"it is my answer" stores the text as the answer to the question asked now', async () => {
    const x = texts.da;
    const { s, pair, meeting, reflections } = await lateStory('da');
    say(s, pair.menteeId, x.late);
    say(s, pair.menteeId, '1');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`reflect.notWorked.${meeting.id}`);
    say(s, pair.menteeId, x.notWorked);
    expect(reflections()).toEqual([{ worked: x.late, did_not_work: x.notWorked }]);
    s.close();
  });

  it('is not asked about when the question closed more than three days before she wrote', async () => {
    const x = texts.da;
    const { s, pair, meeting } = await lateStory('da', '2026-10-05T08:00:00Z');
    expect(say(s, pair.menteeId, x.late)).not.toContain(x.asked);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`reflect.notWorked.${meeting.id}`);
    s.close();
  });

  it('at a choice question, the text is not taken, and she is told the question it was probably for has closed', async () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-10-01T14:00:00Z');
    keepOnlyNudges(s.core, 'none');
    plan(s.core, { key: `${PREP_PROMPT}:story`, kind: PREP_PROMPT, personId: pair.menteeId, subject: `meeting:${meeting.id}`, payload: { meetingId: meeting.id }, dueAt: s.clock.now() });
    await s.scheduler.runOnce();
    s.clock.set('2026-10-01T16:00:00Z');
    keepOnlyNudges(s.core, 'none');
    plan(s.core, { key: `${AFTER_ASK}:story`, kind: AFTER_ASK, personId: pair.menteeId, subject: `meeting:${meeting.id}`, payload: { meetingId: meeting.id }, dueAt: s.clock.now() });
    await s.scheduler.runOnce();
    const waiting = s.bot.waitingFor(pair.menteeId);
    expect(waiting).toMatch(/^after\./);

    const reply = say(s, pair.menteeId, texts.da.late);
    expect(reply).toContain(`forberedelsen af jeres møde torsdag den 1. oktober kl. 16.00 ${texts.da.closed}`);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(waiting);
    // Told once: a wrong answer later gets the usual help only.
    expect(say(s, pair.menteeId, 'måske')).not.toContain(texts.da.closed);
    s.close();
  });
});
