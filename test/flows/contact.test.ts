/**
 * Writing privately to the coordinator: the coordinator gets the person's own words with who wrote
 * and from which programme; the pair is flagged; the partner is sent nothing at all. A mentor who
 * meets a worry gets guidance, and can tell the coordinator the pair needs attention without words.
 */
import { CONTACT_MESSAGE } from '../../src/flows/contact';
import { CHECKIN_ASK } from '../../src/flows/checkin';
import { plan } from '../../src/flows/plan';
import { addIdentity, addParticipant, createPerson } from '../../src/people';
import { erasePerson } from '../../src/privacy/erase';
import { gatherPerson } from '../../src/privacy/gather';
import { getPerson } from '../../src/people';
import { createTestSparring, say, seedPair, type TestPair, type TestSparring } from '../helpers/sparring';

function coordinator(s: TestSparring, pair: TestPair, name = 'Helle Munk'): number {
  const id = createPerson(s.core, { name });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  addParticipant(s.core, pair.programmeId, id, 'coordinator');
  return id;
}

/** Everything the partner could ever read: what was delivered, what waits to be sent, and their open questions. */
function everythingFor(s: TestSparring, personId: number, address: string): string {
  const delivered = s.messenger.to(address).map((d) => JSON.stringify(d.message));
  const planned = s.core.db.prepare('SELECT kind, payload FROM nudges WHERE person_id = ?').all(personId).map((r) => JSON.stringify(r));
  const dialogues = s.core.db.prepare('SELECT flow, state FROM dialogues WHERE person_id = ?').all(personId).map((r) => JSON.stringify(r));
  return [...delivered, ...planned, ...dialogues].join('\n');
}

const SECRET = 'Jonas aflyser hele tiden, og jeg tør ikke sige det til ham';

describe('contact: writing privately to the coordinator', () => {
  it('sends the mentee’s own words to the coordinator alone, flags the pair, and tells the partner nothing', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s, { mentorLocale: 'en' });
    const helle = coordinator(s, pair);
    const programme = s.core.db.prepare('SELECT name FROM programmes WHERE id = ?').pluck().get(pair.programmeId) as string;

    expect(say(s, pair.menteeId, 'kontakt')).toBe('Hvad vil du fortælle koordinatoren, Helle Munk? Kun koordinatoren læser det — Jonas får intet at vide.');
    expect(say(s, pair.menteeId, 'Det fungerer ikke')).toBe('Skriv din besked til Helle Munk — eller *spring over* for at sende uden besked.');
    expect(say(s, pair.menteeId, SECRET)).toBe(`Tak — det er sendt til Helle Munk, koordinator for ${programme}, som vender tilbage til dig. Kun koordinatoren læser det; Jonas får intet at vide.`);
    await s.scheduler.runOnce();

    const [toHelle] = s.messenger.ofKind(CONTACT_MESSAGE, `test:${helle}`);
    // It may go out together with the flag's alert (one message), but says in full who wrote, from where, and what.
    expect(toHelle!.message.text).toContain(
      [
        `*Astrid Holm* (mentee i ${programme}, i par med Jonas Berg) har skrevet til dig i fortrolighed.`,
        'Om: det fungerer ikke.',
        `> ${SECRET}`,
        'Svar Astrid direkte. Jonas har ikke fået noget at vide. Parret er markeret under *par risiko*.',
      ].join('\n\n'),
    );
    expect(s.core.db.prepare('SELECT code FROM flags WHERE pair_id = ? AND cleared_at IS NULL').pluck().all(pair.pairId)).toEqual(['asked_for_help']);

    // The partner: nothing delivered, nothing planned, nothing waiting holds a word of it, or that she wrote.
    const jonas = everythingFor(s, pair.mentorId, pair.mentor);
    expect(jonas).not.toContain('aflyser');
    expect(jonas).not.toMatch(/contact|coordinator|koordinator|risk/i);
    expect(s.messenger.to(pair.mentor)).toEqual([]);

    // It is hers: in her export, and gone when she is erased.
    expect(gatherPerson(s.core, getPerson(s.core, pair.menteeId)!).conversation.toCoordinator).toEqual([
      { programme, about: 'not_working', message: SECRET, sentAt: '2026-10-05T08:00:00.000Z' },
    ]);
    erasePerson(s.core, pair.menteeId);
    expect(s.core.db.prepare('SELECT count(*) FROM coordinator_messages').pluck().get()).toBe(0);
    expect(s.core.db.prepare("SELECT count(*) FROM nudges WHERE instr(payload, 'aflyser') > 0").pluck().get()).toBe(0);
    s.close();
  });

  it('passes on a plain question without flagging the pair', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    const helle = coordinator(s, pair);
    say(s, pair.menteeId, 'kontakt');
    say(s, pair.menteeId, 'Jeg har et spørgsmål');
    say(s, pair.menteeId, 'Hvornår er afslutningsarrangementet?');
    await s.scheduler.runOnce();
    const [toHelle] = s.messenger.ofKind(CONTACT_MESSAGE, `test:${helle}`);
    expect(toHelle!.message.text).toContain('> Hvornår er afslutningsarrangementet?');
    expect(toHelle!.message.text).not.toMatch(/risiko|risk/);
    expect(s.core.db.prepare('SELECT count(*) FROM flags WHERE pair_id = ?').pluck().get(pair.pairId)).toBe(0);
    expect(s.core.db.prepare('SELECT count(*) FROM help_requests').pluck().get()).toBe(0);
    s.close();
  });

  it('is offered at the end of a low check-in, and “no” sends nothing', () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    coordinator(s, pair);
    plan(s.core, { key: `${CHECKIN_ASK}:story`, kind: CHECKIN_ASK, personId: pair.menteeId, subject: `pair:${pair.pairId}`, payload: { pairId: pair.pairId }, dueAt: s.clock.now() });
    return s.scheduler.runOnce().then(() => {
      say(s, pair.menteeId, '2');
      const end = s.bot.handle(pair.menteeId, { type: 'text', text: '1' }).replies;
      expect(end[1]!.text).toBe('Er der noget, du vil fortælle koordinatoren i fortrolighed? Kun Helle Munk læser det — Jonas får intet at vide.');
      expect(end[1]!.question).toMatchObject({ kind: 'choice', options: [{ value: 'none' }, { value: 'notWorking' }, { value: 'leave' }, { value: 'question' }] });
      expect(say(s, pair.menteeId, 'Nej, det var det')).toBe('Det er i orden. Hvis der dukker noget op, kan du altid skrive *kontakt*.');
      expect(s.core.db.prepare('SELECT count(*) FROM coordinator_messages').pluck().get()).toBe(0);
      s.close();
    });
  });

  it('asks a mentor with two mentees which pair it is about', () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s);
    coordinator(s, pair);
    const mads = createPerson(s.core, { name: 'Mads Krog' });
    addParticipant(s.core, pair.programmeId, mads, 'mentee');
    s.core.db.prepare("INSERT INTO pairs (programme_id, mentee_id, mentor_id, status, matched_at) VALUES (?, ?, ?, 'active', ?)").run(pair.programmeId, mads, pair.mentorId, s.clock.now());
    expect(say(s, pair.mentorId, 'kontakt')).toBe('Hvilket af dine par handler det om: Astrid, Mads? Skriv for eksempel *kontakt astrid*.');
    expect(say(s, pair.mentorId, 'kontakt mads')).toContain('Mads får intet at vide.');
    s.close();
  });
});

describe('a mentor who meets a worry', () => {
  it('gets guidance with the programme’s contacts, and can flag the pair for attention without passing on a word', async () => {
    const s = createTestSparring({ start: '2026-10-05T08:00:00Z' });
    const pair = seedPair(s, {
      mentorLocale: 'en',
      programme: { settings: { contacts: { wellbeing: 'Studenterrådgivningen (srg.dk)', studyCounselling: 'the study desk at IT' } } },
    });
    const helle = coordinator(s, pair);

    const guidance = say(s, pair.mentorId, 'Astrid told me she is very stressed about her exams');
    expect(guidance).toContain(
      'It sounds as if your mentee may be dealing with stress, anxiety or the like and study rules or exams. That\'s outside what you need to solve as a mentor: listen, and point your mentee to Studenterrådgivningen (srg.dk) and the study desk at IT.',
    );
    expect(guidance).toContain('write *contact* and choose "Our pair needs attention" — nothing your mentee said is passed on.');
    expect(say(s, pair.mentorId, 'help')).toContain('*If your mentee raises a worry:* study rules and exams belong with the study desk at IT; stress, anxiety and the like with Studenterrådgivningen (srg.dk).');
    // Only a mentee's signposting is counted; the mentor's guidance is recorded nowhere.
    expect(s.core.db.prepare('SELECT count(*) FROM signposts').pluck().get()).toBe(0);

    const ask = s.bot.handle(pair.mentorId, { type: 'text', text: 'contact' }).replies[0]!;
    expect(ask.question).toMatchObject({ kind: 'choice', options: expect.arrayContaining([{ value: 'attention', label: 'Our pair needs attention' }]) });
    // No message is asked for: the request carries no words.
    expect(say(s, pair.mentorId, 'Our pair needs attention')).toBe(
      'Thank you — Helle Munk now knows that your pair may need attention. Nothing your mentee told you was passed on. Only the coordinator reads it; Astrid is not told.',
    );
    await s.scheduler.runOnce();

    const [toHelle] = s.messenger.ofKind(CONTACT_MESSAGE, `test:${helle}`);
    expect(toHelle!.message.text).toContain('*Jonas Berg* (mentor i');
    expect(toHelle!.message.text).toContain('Om: parret har brug for din opmærksomhed. Jonas har ikke givet noget videre af det, menteen har sagt');
    expect(toHelle!.message.text).not.toMatch(/stress|exam/i);
    expect(s.core.db.prepare('SELECT kind, message FROM coordinator_messages').all()).toEqual([{ kind: 'attention', message: null }]);
    expect(s.messenger.to(pair.mentee)).toEqual([]);
    expect(everythingFor(s, pair.menteeId, pair.mentee)).not.toMatch(/attention|opmærksomhed|contact/i);
    s.close();
  });
});
