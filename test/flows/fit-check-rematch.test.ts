/**
 * A no-fault second chance: after the first meeting both are asked privately how the match feels; a
 * low answer offers a request for a new match that reaches the coordinator alone; the coordinator
 * re-matches from chat; both old partners are told kindly, in their own language, without a reason;
 * the new mentor is introduced; nothing planned for the old pair goes out any more.
 */
import { PAIR_ENDED } from '../../src/coordinator/pair-actions';
import { ALIGN_ASK } from '../../src/flows/alignment';
import { FIT_ASK } from '../../src/flows/fit-check';
import { bookMeeting, setMeetingOutcome } from '../../src/meetings';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { book, createTestSparring, keepOnlyNudges, runUntil, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

function person(s: TestSparring, pair: TestPair, name: string, role: 'mentor' | 'coordinator', profile: Record<string, unknown> = {}): number {
  const id = createPerson(s.core, { name });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  addParticipant(s.core, pair.programmeId, id, role, profile);
  return id;
}

const answer = (s: TestSparring, personId: number, questionId: string, value: string) =>
  s.bot
    .handle(personId, { type: 'answer', questionId, value })
    .replies.map((m) => m.text)
    .join('\n');

describe('the fit check and a re-match', () => {
  it('asks both after the first meeting; a low answer reaches the coordinator alone; the re-match tells both kindly and stops the old pair’s nudges', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s, { mentorLocale: 'en' });
    const helle = person(s, pair, 'Helle Munk', 'coordinator');
    const sara = person(s, pair, 'Sara Lund', 'mentor');

    // The first meeting, held on Wednesday 7 October.
    const first = book(s, pair, '2026-10-07T14:00:00Z');
    keepOnlyNudges(s.core, FIT_ASK); // this story looks at the fit check alone
    s.clock.set('2026-10-07T16:00:00Z');
    setMeetingOutcome(s.core, first.id, 'held', pair.menteeId);
    await runUntil(s, '2026-10-08T12:00:00Z');

    // Both are asked, each privately, in their own language, the next day at the nudge hour.
    const [toAstrid] = s.messenger.ofKind(FIT_ASK, pair.mentee);
    const [toJonas] = s.messenger.ofKind(FIT_ASK, pair.mentor);
    expect(toAstrid!.message.text).toContain('Du og Jonas har holdt jeres første møde. Hvordan føles matchet? Dit svar er fortroligt: hverken Jonas eller koordinatoren ser det.');
    expect(toJonas!.message.text).toContain('How does it feel to be matched with Astrid? (1 = not good, 5 = very good)');
    expect(toAstrid!.message.question).toMatchObject({ kind: 'choice', id: `fit.feel.${pair.pairId}` });

    // Jonas is content; Astrid is not, and is told exactly who would see a request.
    expect(answer(s, pair.mentorId, `fit.feel.${pair.pairId}`, '4')).toBe('Thank you — good to hear!');
    const offer = answer(s, pair.menteeId, `fit.feel.${pair.pairId}`, '2');
    expect(offer).toBe(
      'Det er jeg ked af at høre. Vil du bede Helle Munk, koordinatoren, om et nyt match? Kun koordinatoren ser din anmodning — Jonas får intet at vide. Et match, der ikke passer, er ingens skyld.',
    );
    expect(answer(s, pair.menteeId, `fit.rematch.${pair.pairId}`, 'ask')).toBe(
      `Tak — din anmodning om et nyt match er sendt til Helle Munk, koordinator for ${programmeName(s, pair)}, som vender tilbage til dig. Kun koordinatoren læser det; Jonas får intet at vide.`,
    );
    await s.scheduler.runOnce();

    // The coordinator gets a message naming Astrid and the programme, and the pair is flagged.
    const toHelle = s.messenger.to(`test:${helle}`).map((d) => d.message.text).join('\n');
    expect(toHelle).toContain(`*Astrid Holm* (mentee i ${programmeName(s, pair)}, i par med Jonas Berg) har skrevet til dig i fortrolighed.`);
    expect(toHelle).toContain('Om: ønsker et nyt match efter det første møde.');
    expect(s.core.db.prepare("SELECT code FROM flags WHERE pair_id = ? AND cleared_at IS NULL").pluck().all(pair.pairId)).toEqual(['asked_for_help']);
    expect(s.core.db.prepare('SELECT kind FROM help_requests WHERE pair_id = ?').pluck().all(pair.pairId)).toEqual(['rematch']);
    // Jonas has been sent nothing but his own fit check.
    expect(s.messenger.to(pair.mentor).map((d) => d.key.split(':')[0])).toEqual([FIT_ASK]);

    // The pair goes on meanwhile: a second meeting is booked, with its invitations, prep and reminder planned.
    const second = bookMeeting(s.core, { pairId: pair.pairId, startsAt: Date.parse('2026-11-04T15:00:00Z'), durationMin: 60, bookedBy: pair.menteeId });
    await runUntil(s, '2026-10-09T09:00:00Z');
    const pending = () =>
      s.core.db
        .prepare("SELECT count(*) FROM nudges WHERE status = 'pending' AND (subject = ? OR subject = ? OR subject = ?)")
        .pluck()
        .get(`pair:${pair.pairId}`, `meeting:${second.id}`, `pair:${pair.pairId}:quiet`) as number;
    expect(pending()).toBeGreaterThan(0);

    // The coordinator re-matches from chat, with the words DESIGN gives: match @mentee @mentor.
    expect(say(s, helle, 'match @astrid @sara')).toBe(
      'Nyt match: Astrid Holm har nu Sara Lund som mentor, og parret med Jonas Berg er afsluttet. Astrid Holm får en introduktion; Jonas Berg får en venlig besked uden begrundelse.',
    );
    expect(pending()).toBe(0);
    const fromRematch = { astrid: s.messenger.to(pair.mentee).length, jonas: s.messenger.to(pair.mentor).length };
    await s.scheduler.runOnce();

    // Astrid hears that a new mentor follows, kindly; then the introduction.
    const astridAfter = s.messenger.to(pair.mentee).slice(fromRematch.astrid);
    expect(astridAfter.map((d) => d.key.split(':')[0])).toEqual(expect.arrayContaining([PAIR_ENDED, 'meeting.cancelled', 'intro.match']));
    const ended = s.messenger.ofKind(PAIR_ENDED, pair.mentee)[0]!.message.text;
    expect(ended).toContain('Hej Astrid. Jeres koordinator har fundet en ny mentor til dig, så dit mentorforløb med Jonas her i Sparring er slut');
    expect(ended).toContain('det er ingens skyld');
    expect(s.messenger.ofKind('intro.match', pair.mentee)[0]!.message.text).toContain('Hej Astrid! Du har fået en ny mentor, *Sara Lund*');
    expect(s.messenger.ofKind('intro.match', `test:${sara}`)[0]!.message.text).toContain('Astrid Holm');

    // Jonas is told in English, without blame and without a reason: nothing of the request, nothing of a new mentor.
    const jonasAfter = s.messenger.to(pair.mentor).slice(fromRematch.jonas);
    expect(jonasAfter.map((d) => d.key.split(':')[0]).sort()).toEqual([PAIR_ENDED, 'meeting.cancelled'].sort());
    const toJonasEnded = s.messenger.ofKind(PAIR_ENDED, pair.mentor)[0]!.message.text;
    expect(toJonasEnded).toContain('Hi Jonas. Your coordinator has ended your mentoring with Astrid here in Sparring');
    expect(toJonasEnded).toContain('it says nothing about you');
    for (const d of s.messenger.to(pair.mentor)) expect(d.message.text).not.toMatch(/new match|new mentor|request|Sara|asked/i);

    // Nothing planned for the old pair goes out, all season long.
    const sent = s.messenger.deliveries.length;
    await runUntil(s, '2026-12-20T12:00:00Z');
    expect(s.messenger.to(pair.mentor).length).toBe(fromRematch.jonas + jonasAfter.length);
    const oldPairKeys = new Set(
      s.core.db
        .prepare('SELECT key FROM nudges WHERE subject IN (?, ?, ?)')
        .pluck()
        .all(`pair:${pair.pairId}`, `pair:${pair.pairId}:quiet`, `meeting:${second.id}`) as string[],
    );
    expect(oldPairKeys.size).toBeGreaterThan(0);
    expect(s.messenger.deliveries.slice(sent).filter((d) => oldPairKeys.has(d.key))).toEqual([]);
    s.close();
  });

  it('refuses a re-match to the same mentor or to a mentor without room, and changes nothing', () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    const helle = person(s, pair, 'Helle Munk', 'coordinator');
    person(s, pair, 'Sara Lund', 'mentor', { capacity: 0 });
    expect(say(s, helle, 'match @astrid @jonas')).toBe('Astrid Holm har allerede en mentor: Jonas Berg.');
    expect(say(s, helle, 'match @astrid @sara')).toBe('Sara Lund har ikke plads til flere mentees.');
    expect(s.core.db.prepare('SELECT id, status FROM pairs').all()).toEqual([{ id: pair.pairId, status: 'active' }]);
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE kind = 'pair.ended'").pluck().get()).toBe(0);
    s.close();
  });
});

describe('asking for a new match with expectations still half agreed', () => {
  it('does not go on with the agreement the partner reads: what comes next is not stored there', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    person(s, pair, 'Helle Munk', 'coordinator');
    const first = book(s, pair, '2026-10-07T14:00:00Z');
    s.core.db.prepare("UPDATE nudges SET status = 'cancelled' WHERE kind NOT IN (?, ?) AND status = 'pending'").run(FIT_ASK, ALIGN_ASK);
    // Jonas gets the expectation questions and answers none of them.
    await runUntil(s, '2026-10-05T08:10:00Z');
    expect(s.bot.waitingFor(pair.mentorId)).toBe(`alignMentor.offer.${pair.pairId}`);
    s.clock.set('2026-10-07T16:00:00Z');
    setMeetingOutcome(s.core, first.id, 'held', pair.menteeId);
    await runUntil(s, '2026-10-08T12:00:00Z');

    answer(s, pair.mentorId, `fit.feel.${pair.pairId}`, '1');
    const sent = answer(s, pair.mentorId, `fit.rematch.${pair.pairId}`, 'ask');
    expect(sent).toContain('anmodning om et nyt match er sendt til Helle Munk');
    expect(sent).not.toContain('forventningsafstemning');
    expect(s.bot.waitingFor(pair.mentorId)).toBeNull();
    // What he writes next, about why, stays out of the agreement Astrid reads.
    say(s, pair.mentorId, 'Hun forbereder sig aldrig, og jeg tror ikke, hun er motiveret');
    say(s, pair.mentorId, 'spring over');
    say(s, pair.mentorId, 'spring over');
    expect(s.core.db.prepare('SELECT count(*) FROM agreements WHERE pair_id = ?').pluck().get(pair.pairId)).toBe(0);
    expect(say(s, pair.menteeId, 'aftale')).not.toContain('motiveret');
    s.close();
  });
});

function programmeName(s: TestSparring, pair: TestPair): string {
  return s.core.db.prepare('SELECT name FROM programmes WHERE id = ?').pluck().get(pair.programmeId) as string;
}
