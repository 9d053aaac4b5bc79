/**
 * Mentee-picks mode as a story: the mentee is shown their three best mentors with the reasons (never
 * contact data), picks one; the mentor declines; the mentee picks again from the others; that mentor
 * accepts; the pair is made and both are introduced. The coordinator sees who is still unmatched.
 */
import { unmatchedMentees } from '../../src/coordinator/matching';
import { offerPicks } from '../../src/flows/mentee-picks';
import type { Message } from '../../src/message';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring, runUntil, say, type TestSparring } from '../helpers/sparring';

function person(s: TestSparring, programmeId: number, name: string, role: Role, profile: Record<string, unknown>, locale: 'da' | 'en' = 'en'): number {
  const id = createPerson(s.core, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.org`, locale, timezone: null });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  addParticipant(s.core, programmeId, id, role, profile);
  return id;
}

const choiceOf = (m: Message) => (m.question?.kind === 'choice' ? m.question : null);

describe('the mentees pick their mentor', () => {
  it('shows three, takes a pick, lets a mentor decline, picks again, and pairs on a yes', async () => {
    const s = createTestSparring({ start: '2026-09-07T08:00:00Z' });
    const p = createProgramme(s.core, { name: 'Autumn', startsOn: '2026-09-01', endsOn: '2026-12-18', settings: { matching: 'mentee-picks' } });
    const astrid = person(s, p.id, 'Astrid Holm', 'mentee', { faculty: 'IT', education: 'cand.it', interests: ['UX', 'data'] });
    const jonas = person(s, p.id, 'Jonas Berg', 'mentor', { faculty: 'IT', interests: ['UX'], company: 'Netcompany', job_title: 'UX lead', capacity: 1 });
    const kim = person(s, p.id, 'Kim Lund', 'mentor', { faculty: 'IT', interests: ['data'], company: 'Danske Bank', job_title: 'Data scientist', capacity: 1 });
    const sara = person(s, p.id, 'Sara Nør', 'mentor', { faculty: 'IT', company: 'Ministeriet', job_title: 'Adviser', capacity: 1 });
    person(s, p.id, 'Lone Dahl', 'mentor', { faculty: 'Jura', company: 'Advokatfirma', job_title: 'Lawyer', capacity: 1 });
    const coordinator = person(s, p.id, 'Mette Koordinator', 'coordinator', {});
    const mentee = `test:${astrid}`;

    expect(offerPicks(s.core, p.id)).toBe(1);
    expect(offerPicks(s.core, p.id)).toBe(0);
    expect(unmatchedMentees(s.core, p.id)).toEqual([{ menteeId: astrid, name: 'Astrid Holm', waiting: 'pick' }]);
    await runUntil(s, '2026-09-07T08:05:00Z');

    // Three mentors, best first, with what they do and why; no e-mail addresses.
    const first = s.messenger.ofKind('season.pick', mentee)[0]!.message;
    expect(choiceOf(first)!.options.map((o) => o.label)).toEqual(['Jonas Berg', 'Kim Lund', 'Sara Nør']);
    expect(first.text).toContain('UX lead, Netcompany');
    expect(first.text).toContain('same faculty');
    expect(first.text).not.toContain('@example.org');

    const picked = s.bot.handle(astrid, { type: "answer", questionId: choiceOf(first)!.id, value: String(jonas) }).replies;
    expect(picked.map((m) => m.text).join()).toContain('asked Jonas Berg');
    expect(unmatchedMentees(s.core, p.id)[0]!.waiting).toBe('mentor');
    await runUntil(s, '2026-09-07T08:10:00Z');

    // Jonas is asked, sees Astrid's studies and interests, and declines.
    const request = s.messenger.ofKind('season.request', `test:${jonas}`)[0]!.message;
    expect(request.text).toContain('Astrid Holm would like you as their mentor');
    expect(request.text).toContain('cand.it');
    expect(say(s, jonas, 'Not this time')).toContain('choose again');
    await runUntil(s, '2026-09-07T08:15:00Z');

    // Astrid picks again, kindly told, from the others: Jonas is not among them, Lone now is.
    const again = s.messenger.ofKind('season.pick', mentee)[1]!.message;
    expect(again.text).toContain("Jonas Berg can't take on a mentee this time");
    expect(choiceOf(again)!.options.map((o) => o.label)).toEqual(['Kim Lund', 'Sara Nør', 'Lone Dahl']);
    expect(say(s, astrid, '1')).toContain('asked Kim Lund');
    await runUntil(s, '2026-09-07T08:20:00Z');

    // Kim says yes: the pair is made and both are introduced.
    expect(say(s, kim, 'yes')).toContain('You and Astrid Holm are now a pair');
    expect(s.core.db.prepare("SELECT mentee_id AS mentee, mentor_id AS mentor FROM pairs WHERE programme_id = ? AND status = 'active'").all(p.id)).toEqual([{ mentee: astrid, mentor: kim }]);
    await runUntil(s, '2026-09-07T09:00:00Z');
    expect(s.messenger.ofKind('intro.match').map((d) => d.address).sort()).toEqual([mentee, `test:${kim}`].sort());
    expect(unmatchedMentees(s.core, p.id)).toEqual([]);
    expect(s.messenger.ofKind('season.request', `test:${sara}`)).toEqual([]);
    expect(say(s, coordinator, 'match')).toContain('Every mentee has a mentor');
    s.close();
  });

  it('holds a place for a waiting request, so a mentor with room for one is not picked twice', async () => {
    const s = createTestSparring({ start: '2026-09-07T08:00:00Z' });
    const p = createProgramme(s.core, { name: 'Spring', startsOn: '2026-09-01', endsOn: '2026-12-18', settings: { matching: 'mentee-picks' } });
    const astrid = person(s, p.id, 'Astrid Holm', 'mentee', { faculty: 'IT' });
    const bo = person(s, p.id, 'Bo Ravn', 'mentee', { faculty: 'IT' });
    const jonas = person(s, p.id, 'Jonas Berg', 'mentor', { faculty: 'IT', capacity: 1 });
    person(s, p.id, 'Lone Dahl', 'mentor', { faculty: 'Jura', capacity: 1 });
    const coordinator = person(s, p.id, 'Mette Koordinator', 'coordinator', {});
    expect(offerPicks(s.core, p.id)).toBe(2);
    await runUntil(s, '2026-09-07T08:05:00Z');
    const shownToBo = choiceOf(s.messenger.ofKind('season.pick', `test:${bo}`)[0]!.message)!;
    expect(shownToBo.options.map((o) => o.label).sort()).toEqual(['Jonas Berg', 'Lone Dahl']);

    // Astrid picks Jonas first: his one place is held while he decides, so Bo can no longer pick him.
    const astridsChoice = choiceOf(s.messenger.ofKind('season.pick', `test:${astrid}`)[0]!.message)!;
    expect(s.bot.handle(astrid, { type: 'answer', questionId: astridsChoice.id, value: String(jonas) }).replies[0]!.text).toContain('asked Jonas Berg');
    const bosTry = s.bot.handle(bo, { type: 'answer', questionId: shownToBo.id, value: String(jonas) }).replies.map((m) => m.text).join('\n');
    expect(bosTry).toContain('Lone Dahl');
    expect(bosTry).not.toContain('Jonas Berg');
    expect(say(s, coordinator, 'match')).toContain('1 to choose, 1 waiting for a mentor');
    s.close();
  });
});
