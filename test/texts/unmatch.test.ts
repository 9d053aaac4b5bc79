/**
 * When a coordinator ends a pair, both people are told, kindly and in their own language, and nothing
 * planned for the old pair is sent any more. A mentee matched again is told about the new mentor.
 */
import { MINUTE } from '../../src/time';
import { pairEndedTask, PAIR_ENDED } from '../../src/coordinator/pair-actions';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { registry } from '../../src/scheduler/task';
import { allTasks } from '../../src/tasks';
import { book, createTestSparring, runUntil, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

/** Sparring with the pair-ended notice known to the scheduler (whether or not src/tasks.ts lists it yet). */
const withPairEnded = () => createTestSparring({ start: '2026-10-05T08:00:00Z', tasks: registry([...allTasks.values(), pairEndedTask]) });

function person(s: TestSparring, pair: TestPair, name: string, role: 'mentor' | 'coordinator'): number {
  const id = createPerson(s.core, { name });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  addParticipant(s.core, pair.programmeId, id, role);
  return id;
}

describe('unmatch', () => {
  it('is a notice the scheduler knows how to send', () => {
    expect(allTasks.has(PAIR_ENDED)).toBe(true);
  });

  it('tells the Danish mentee and the English mentor, each in their language, and cancels what was planned', async () => {
    const s = withPairEnded();
    const pair = seedPair(s, { mentorLocale: 'en' });
    const helle = person(s, pair, 'Helle Munk', 'coordinator');
    book(s, pair, '2026-10-21T14:00:00Z');
    s.clock.advance(5 * MINUTE);
    await s.scheduler.runOnce(); // the invitations go out
    const before = s.messenger.deliveries.length;

    expect(say(s, helle, 'unmatch @astrid')).toBe('Parret Astrid Holm og Jonas Berg er afsluttet. De får begge besked, og deres planlagte påmindelser er stoppet.');
    await s.scheduler.runOnce();

    const [toAstrid] = s.messenger.ofKind(PAIR_ENDED, pair.mentee);
    expect(toAstrid!.message.text).toContain('Hej Astrid. Jeres koordinator har afsluttet dit mentorforløb med Jonas her i Sparring');
    expect(toAstrid!.message.text).toContain('Får du en ny mentor, giver jeg dig besked her.');
    expect(toAstrid!.message.text).toContain('Jeres bookede møder er aflyst');
    expect(toAstrid!.message.why).toBe('Du får denne besked, fordi koordinatoren har afsluttet jeres par og et møde i jeres mentorforløb er booket, flyttet eller aflyst.');
    const [toJonas] = s.messenger.ofKind(PAIR_ENDED, pair.mentor);
    expect(toJonas!.message.text).toContain('Hi Jonas. Your coordinator has ended your mentoring with Astrid here in Sparring');
    expect(toJonas!.message.text).toContain('Thank you for making yourself available as a mentor.');
    // Two reasons in one message, said as one sentence.
    expect(toJonas!.message.why).toBe("You're getting this because the coordinator has ended your pairing and a meeting in your mentoring was booked, moved or cancelled.");
    // the booked meeting leaves both calendars, in the same message as the notice (one message each)
    expect(s.messenger.ofKind('meeting.cancelled').map((d) => d.address).sort()).toEqual([pair.mentee, pair.mentor].sort());
    expect(s.messenger.deliveries.slice(before).map((d) => d.key.split(':')[0]).sort()).toEqual([PAIR_ENDED, PAIR_ENDED, 'meeting.cancelled', 'meeting.cancelled'].sort());
    expect(new Set(s.messenger.deliveries.slice(before).map((d) => d.messageId)).size).toBe(2);
    // Without CALENDAR_ORGANIZER the files are published; the cancellation is the same event, cancelled.
    expect(toJonas!.message.attachments?.[0]?.content).toContain('STATUS:CANCELLED');

    await runUntil(s, '2026-12-20T12:00:00Z');
    expect(s.messenger.deliveries.slice(before + 4).map((d) => d.key)).toEqual([]); // no prep, reminder or follow-up for the old pair
    s.close();
  });

  it('tells a mentee matched again about the new mentor, and the new mentor about the mentee', async () => {
    const s = withPairEnded();
    const pair = seedPair(s);
    const helle = person(s, pair, 'Helle Munk', 'coordinator');
    const sara = person(s, pair, 'Sara Lund', 'mentor');
    say(s, helle, 'unmatch @astrid');

    expect(say(s, helle, 'match @astrid @sara')).toBe('Matchet: Astrid Holm og Sara Lund. De får begge en introduktion.');
    await s.scheduler.runOnce();

    const toAstrid = s.messenger.to(pair.mentee).map((d) => d.key.split(':')[0]);
    expect(toAstrid).toEqual([PAIR_ENDED, 'intro.match']);
    expect(s.messenger.ofKind('intro.match', pair.mentee)[0]!.message.text).toContain('Hej Astrid! Du har fået en ny mentor, *Sara Lund*');
    const [toSara] = s.messenger.ofKind('intro.match', `test:${sara}`);
    expect(toSara!.message.text).toContain('Hej Sara! Du er blevet matchet med din mentee, *Astrid Holm*');
    expect(s.messenger.ofKind(PAIR_ENDED, pair.mentor)).toHaveLength(1);
    s.close();
  });
});
