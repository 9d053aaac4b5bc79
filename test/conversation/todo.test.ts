/** Stories: `todo` / `udestående` lists what waits and lets the person pick; a late button for an expired question says so. */
import { REFLECT_ASK } from '../../src/flows/reflection';
import { plan } from '../../src/flows/plan';
import { setMeetingOutcome } from '../../src/meetings';
import { book, createTestSparring, keepOnlyNudges, say, seedPair } from '../helpers/sparring';

function twoWaiting(locale: 'da' | 'en') {
  const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
  const pair = seedPair(s, { menteeLocale: locale });
  const meeting = book(s, pair, '2026-10-07T14:00:00Z');
  keepOnlyNudges(s.core, 'none');
  say(s, pair.menteeId, 'forbered');
  say(s, pair.menteeId, locale === 'da' ? 'ikke endnu' : 'not yet');
  say(s, pair.menteeId, 'book'); // nothing is current now, so this opens "what to do with the meeting"
  return { s, pair, meeting };
}

describe('todo', () => {
  // BUG (src/conversation/todo.ts:38 with src/flows/answers.ts:47): the list's options carry the dialogue
  // ids as values, and parseChoice matches a typed number against the values before the positions, so
  // "2" picks the dialogue whose id is 2 (here the first listed), not the second in the list.
  it.each([
    ['da', 'udestående', 'Det venter på dit svar:', 'Så tager vi forberedelsen'],
    ['en', 'todo', 'Waiting for your answer:', "Let's take"],
  ] as const)('(%s) with two waiting questions lists both, and "2" picks the second', (locale, word, header, picked) => {
    const { s, pair, meeting } = twoWaiting(locale);
    const replies = s.bot.handle(pair.menteeId, { type: 'text', text: word }).replies;
    expect(replies.map((r) => r.text).join('\n')).toContain(header);
    const question = replies.find((r) => r.question)?.question;
    expect(question?.kind).toBe('choice');
    expect(question && 'options' in question ? question.options : []).toHaveLength(2);
    const reply = say(s, pair.menteeId, '2');
    expect(reply).toContain(picked);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`prep.say.${meeting.id}`);
    s.close();
  });

  it('a tapped button picks the question it names', () => {
    const { s, pair, meeting } = twoWaiting('da');
    const [list] = s.bot.handle(pair.menteeId, { type: 'text', text: 'udestående' }).replies.filter((r) => r.question);
    const question = list!.question!;
    const options = 'options' in question ? question.options! : [];
    expect(options.map((o) => o.label)).toEqual([expect.stringContaining('mødet onsdag den 7. oktober'), expect.stringContaining('forberedelsen af jeres møde')]);
    const picked = s.bot.handle(pair.menteeId, { type: 'answer', questionId: question.id, value: options[1]!.value });
    expect(picked.replies.map((r) => r.text).join('\n')).toContain('Så tager vi forberedelsen');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`prep.say.${meeting.id}`);
    s.close();
  });

  it.each([
    ['da', 'udestående', 'Der venter ingen spørgsmål på dig lige nu.'],
    ['en', 'todo', 'No questions are waiting for you right now.'],
  ] as const)('(%s) with nothing waiting says so', (locale, word, none) => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s, { menteeLocale: locale });
    expect(say(s, pair.menteeId, word)).toBe(none);
    s.close();
  });
});

describe('a late button answer', () => {
  it.each([
    ['da', 'er lukket, fordi tiden for det er gået'],
    ['en', 'has closed because its time has passed'],
  ] as const)('(%s) for an expired question says it expired and stores nothing', async (locale, expired) => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s, { menteeLocale: locale });
    const meeting = book(s, pair, '2026-10-01T14:00:00Z');
    keepOnlyNudges(s.core, 'none');
    s.clock.set('2026-10-05T08:00:00Z');
    setMeetingOutcome(s.core, meeting.id, 'held');
    plan(s.core, { key: `${REFLECT_ASK}:late`, kind: REFLECT_ASK, personId: pair.menteeId, subject: `meeting:${meeting.id}`, payload: { meetingId: meeting.id }, dueAt: s.clock.now() });
    await s.scheduler.runOnce();
    const questionId = s.messenger.ofKind(REFLECT_ASK, pair.mentee)[0]!.message.question!.id;
    s.clock.set('2026-10-13T08:00:00Z'); // eight days later: the reflection has closed
    const result = s.bot.handle(pair.menteeId, { type: 'answer', questionId, value: 'Det var godt' });
    expect(result.replies.map((r) => r.text).join('\n')).toContain(expired);
    expect(s.core.db.prepare('SELECT count(*) FROM reflections').pluck().get()).toBe(0);
    s.close();
  });
});
