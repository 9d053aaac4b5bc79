/** Story: a check-in arrives while a reflection is half-answered; both are answered in the end, none lost. */
import { CHECKIN_ASK } from '../../src/flows/checkin';
import { REFLECT_ASK } from '../../src/flows/reflection';
import { plan } from '../../src/flows/plan';
import { setMeetingOutcome } from '../../src/meetings';
import { book, createTestSparring, keepOnlyNudges, runUntil, say, seedPair } from '../helpers/sparring';

describe('two questions at once', () => {
  it.each([
    ['da', 'Det fungerede godt at have en dagsorden', 'Vi løb tør for tid', 'Der venter også et spørgsmål om din refleksion'],
    ['en', 'Having an agenda worked well', 'We ran out of time', 'There is also a question waiting about your reflection'],
  ] as const)('(%s) a check-in arriving mid-reflection is answered, and the reflection is asked again and answered', async (locale, worked, notWorked, alsoWaiting) => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s, { menteeLocale: locale });
    const meeting = book(s, pair, '2026-10-01T14:00:00Z'); // Thursday 16:00
    keepOnlyNudges(s.core, 'none');
    s.clock.set('2026-10-05T08:00:00Z'); // the Monday after
    setMeetingOutcome(s.core, meeting.id, 'held');
    keepOnlyNudges(s.core, 'none'); // what a first meeting held starts (the fit check) is another story: test/flows/fit-check-rematch.test.ts
    plan(s.core, { key: `${REFLECT_ASK}:story`, kind: REFLECT_ASK, personId: pair.menteeId, subject: `meeting:${meeting.id}`, payload: { meetingId: meeting.id }, dueAt: s.clock.now() });
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind(REFLECT_ASK, pair.mentee)).toHaveLength(1);
    say(s, pair.menteeId, worked); // the first of two answers

    plan(s.core, { key: `${CHECKIN_ASK}:story`, kind: CHECKIN_ASK, personId: pair.menteeId, subject: `pair:${pair.pairId}`, payload: { pairId: pair.pairId }, dueAt: s.clock.now() });
    await runUntil(s, '2026-10-05T20:00:00Z'); // she is mid-reflection: the check-in waits
    expect(s.messenger.ofKind(CHECKIN_ASK)).toHaveLength(0);
    await runUntil(s, '2026-10-06T12:00:00Z'); // a day without an answer: it comes
    const [checkin] = s.messenger.ofKind(CHECKIN_ASK, pair.mentee);
    expect(checkin).toBeDefined();
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`checkin.professional.${pair.pairId}`);

    say(s, pair.menteeId, '4');
    const afterCheckin = say(s, pair.menteeId, '5');
    expect(afterCheckin).toContain(alsoWaiting);
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`reflect.notWorked.${meeting.id}`);
    say(s, pair.menteeId, notWorked);

    expect(s.core.db.prepare('SELECT professional, personal FROM checkins WHERE person_id = ?').all(pair.menteeId)).toEqual([{ professional: 4, personal: 5 }]);
    expect(s.core.db.prepare('SELECT worked, did_not_work FROM reflections WHERE person_id = ?').all(pair.menteeId)).toEqual([{ worked, did_not_work: notWorked }]);
    expect(s.bot.waitingFor(pair.menteeId)).toBeNull();
    s.close();
  });
});
