/** Stories: a worry is signposted wherever it is written, once per conversation, and privacy is said honestly. */
import { book, createTestSparring, keepOnlyNudges, say, seedPair } from '../helpers/sparring';

describe('a worry written out of any form', () => {
  it('(da) is signposted with the programme contacts, and not again in the same conversation', () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const first = say(s, pair.menteeId, 'Jeg er så stresset for tiden');
    expect(first).toContain('rådgivnings- og støttecenter');
    expect(first).toContain('Du er altid velkommen til at skrive');
    s.clock.advance(2 * 3_600_000);
    const second = say(s, pair.menteeId, 'Jeg er stadig stresset');
    expect(second).not.toContain('rådgivnings- og støttecenter');
    s.clock.advance(13 * 3_600_000); // a new conversation the next day
    expect(say(s, pair.menteeId, 'Stadig stresset')).toContain('rådgivnings- og støttecenter');
    s.close();
  });

  it('(en) is signposted, and not twice', () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s, { menteeLocale: 'en' });
    const first = say(s, pair.menteeId, 'I am worried about my exam');
    const contactLine = first.split('\n')[0]!;
    expect(contactLine).toMatch(/study|student/i);
    expect(say(s, pair.menteeId, 'The exam is next week')).not.toContain(contactLine);
    s.close();
  });
});

describe('a worry written inside the summary', () => {
  // BUG (src/flows/after-meeting.ts:85): afterForm has no `audience: 'partner'`, so the default
  // 'private' makes the bot say "Det, du skriver her, kan kun du se" about points that go to the mentor.
  it('says the text goes to the mentor, never that it is private', () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-09-29T14:00:00Z');
    keepOnlyNudges(s.core, 'none');
    s.clock.set('2026-09-29T18:00:00Z');
    expect(say(s, pair.menteeId, 'opsummering')).toContain('Fik I holdt mødet');
    expect(say(s, pair.menteeId, '1')).toContain('Hvad var de vigtigste pointer');
    const reply = say(s, pair.menteeId, 'Vi talte om, at jeg er meget stresset over min eksamen');
    expect(reply).toContain('bliver sendt til Jonas');
    expect(reply).not.toMatch(/kun du kan se|kan kun du se/);
    s.close();
  });

  it('signposts, then asks before the worry is saved and sent to the mentor; nothing is stored until she says', () => {
    const s = createTestSparring({ start: '2026-09-28T08:00:00Z' });
    const pair = seedPair(s);
    const meeting = book(s, pair, '2026-09-29T14:00:00Z');
    keepOnlyNudges(s.core, 'none');
    s.clock.set('2026-09-29T18:00:00Z');
    say(s, pair.menteeId, 'opsummering');
    say(s, pair.menteeId, '1');
    const reply = say(s, pair.menteeId, 'Vi talte om, at jeg er meget stresset over min eksamen');
    expect(reply).toContain('rådgivnings- og støttecenter');
    expect(reply).toContain('Skal det gemmes som dit svar?');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`shareCheck.choice.${s.core.db.prepare("SELECT id FROM dialogues WHERE flow = 'after' AND status = 'open'").pluck().get()}`);
    // "No": nothing saved, the question is asked again.
    expect(say(s, pair.menteeId, '2')).toContain('hverken gemt eller sendt');
    expect(s.core.db.prepare('SELECT count(*) AS n FROM summaries').get()).toEqual({ n: 0 });
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`after.points.${meeting.id}`);
    // Written again and kept: "yes" saves it as the points and goes on.
    say(s, pair.menteeId, 'Jeg er stresset over min eksamen, og vi lagde en plan');
    expect(say(s, pair.menteeId, 'ja')).toContain('Hvilke skridt tager du');
    expect(s.bot.waitingFor(pair.menteeId)).toBe(`after.mySteps.${meeting.id}`);
    s.close();
  });
});

describe('a worry written again in the same conversation', () => {
  it('is met kindly, never with "I don\'t understand"', () => {
    const s = createTestSparring({ start: '2026-11-30T08:00:00Z' });
    const pair = seedPair(s);
    keepOnlyNudges(s.core, 'none');
    expect(say(s, pair.menteeId, 'jeg har det virkelig svært og føler mig ensom')).toContain('rådgivnings- og støttecenter');
    const again = say(s, pair.menteeId, 'jeg føler mig stadig ensom');
    expect(again).toContain('De steder, jeg nævnte før, er der stadig for dig');
    expect(again).not.toContain('ikke sikker på, hvad du mener');
    s.close();
  });
});
