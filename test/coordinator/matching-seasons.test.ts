/**
 * Better matching across seasons: two people who were a pair before are not suggested or confirmed
 * again unless the coordinator asks for it; a mentor is never suggested beyond the room they have;
 * a mentee who asked for English sees a warning beside a Danish-speaking mentor.
 */
import { bestMatches, confirmMatch, mentorCapacities, suggestMatches } from '../../src/coordinator/matching';
import { closeProgramme } from '../../src/programme/lifecycle';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { matchPair } from '../../src/flows/season';
import { createTestSparring, say, type TestSparring } from '../helpers/sparring';

function person(s: TestSparring, programmeId: number, name: string, role: Role, o: { locale?: 'da' | 'en'; profile?: Record<string, unknown> } = {}): number {
  const id = createPerson(s.core, { name, locale: o.locale ?? null, timezone: null });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  addParticipant(s.core, programmeId, id, role, o.profile ?? {});
  return id;
}

const it_ = { faculty: 'IT', interests: ['UX'] };

describe('matching across seasons', () => {
  it('does not pair the same two people again next season, unless the coordinator asks for it', () => {
    const s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    const autumn = createProgramme(s.core, { name: 'Autumn 2026', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const astrid = person(s, autumn.id, 'Astrid Holm', 'mentee', { profile: it_ });
    const jonas = person(s, autumn.id, 'Jonas Berg', 'mentor', { profile: { ...it_, job_title: 'UX lead', capacity: 1 } });
    matchPair(s.core, autumn.id, astrid, jonas);
    closeProgramme(s.core, autumn);

    // Spring: both sign up again, with a second mentor who fits Astrid less well.
    const spring = createProgramme(s.core, { name: 'Spring 2027', startsOn: '2027-02-01', endsOn: '2027-05-31' });
    addParticipant(s.core, spring.id, astrid, 'mentee', it_);
    addParticipant(s.core, spring.id, jonas, 'mentor', { ...it_, job_title: 'UX lead', capacity: 1 });
    person(s, spring.id, 'Kim Lund', 'mentor', { profile: { faculty: 'Jura', capacity: 1 } });

    expect(suggestMatches(s.core, spring.id).map((x) => x.mentor)).toEqual(['Kim Lund']);
    expect(bestMatches(s.core, spring.id).map((x) => x.mentor)).toEqual(['Kim Lund']);
    expect(confirmMatch(s.core, spring.id, astrid, jonas)).toEqual({ ok: false, problem: 'repeat' });

    // Asked for: Jonas is suggested first again, with the warning that they were a pair before.
    const allowed = suggestMatches(s.core, spring.id, 3, { allowRepeat: true });
    expect(allowed[0]).toMatchObject({ mentor: 'Jonas Berg', first: true, warnings: [{ warning: 'repeat' }] });
    expect(confirmMatch(s.core, spring.id, astrid, jonas, { allowRepeat: true })).toEqual({ ok: true });
    s.close();
  });

  it('lets the coordinator confirm a repeat in chat only with the word "again"', () => {
    const s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    const autumn = createProgramme(s.core, { name: 'Autumn', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const astrid = person(s, autumn.id, 'Astrid Holm', 'mentee', { locale: 'en', profile: it_ });
    const jonas = person(s, autumn.id, 'Jonas Berg', 'mentor', { profile: { ...it_, capacity: 1 } });
    matchPair(s.core, autumn.id, astrid, jonas);
    closeProgramme(s.core, autumn);
    const spring = createProgramme(s.core, { name: 'Spring', startsOn: '2027-02-01', endsOn: '2027-05-31' });
    addParticipant(s.core, spring.id, astrid, 'mentee', it_);
    addParticipant(s.core, spring.id, jonas, 'mentor', { ...it_, capacity: 1 });
    const coordinator = person(s, spring.id, 'Mette Koordinator', 'coordinator', { locale: 'en' });

    expect(say(s, coordinator, 'match @astrid @jonas')).toContain('have been a pair before');
    expect(s.core.db.prepare("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'active'").get(spring.id)).toEqual({ n: 0 });
    expect(say(s, coordinator, 'match @astrid @jonas again')).toContain('Matched: Astrid Holm and Jonas Berg');
    expect(s.core.db.prepare("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'active'").get(spring.id)).toEqual({ n: 1 });
    s.close();
  });

  it('never suggests a mentor first more often than the room they have, counting the pairs already made', () => {
    const s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    const p = createProgramme(s.core, { name: 'P', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const mentees = Array.from({ length: 6 }, (_, i) => person(s, p.id, `Mentee ${i}`, 'mentee', { profile: it_ }));
    const star = person(s, p.id, 'Star Mentor', 'mentor', { profile: { ...it_, capacity: 3 } });
    person(s, p.id, 'Other Mentor', 'mentor', { profile: { faculty: 'Jura', capacity: 2 } });
    matchPair(s.core, p.id, mentees[0]!, star);

    const firsts = suggestMatches(s.core, p.id).filter((x) => x.first);
    const per = (name: string) => firsts.filter((x) => x.mentor === name).length;
    // Star has 3 places and one pair already: two first suggestions; Other takes two; one mentee waits.
    expect([per('Star Mentor'), per('Other Mentor')]).toEqual([2, 2]);
    expect(mentorCapacities(s.core, p.id).map((m) => [m.name, m.left])).toEqual([['Star Mentor', 2], ['Other Mentor', 2]]);
    const best = bestMatches(s.core, p.id);
    expect(best).toHaveLength(4);
    for (const m of best) expect(confirmMatch(s.core, p.id, m.menteeId, m.mentorId)).toEqual({ ok: true });
    expect(confirmMatch(s.core, p.id, mentees[5]!, star)).toEqual({ ok: false, problem: 'full' });
    expect(suggestMatches(s.core, p.id)).toEqual([]);
    s.close();
  });

  it('warns beside the suggestion when a mentee asked for English and the mentor speaks Danish', () => {
    const s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    const p = createProgramme(s.core, { name: 'P', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const coordinator = person(s, p.id, 'Mette Koordinator', 'coordinator', { locale: 'en' });
    person(s, p.id, 'Emma Jones', 'mentee', { locale: 'en', profile: it_ });
    person(s, p.id, 'Jonas Berg', 'mentor', { locale: 'da', profile: { ...it_, capacity: 1 } });
    person(s, p.id, 'Sara Nør', 'mentor', { locale: 'en', profile: { faculty: 'Jura', capacity: 1 } });

    const [jonas, sara] = suggestMatches(s.core, p.id);
    expect(jonas).toMatchObject({ mentor: 'Jonas Berg', warnings: [{ warning: 'language' }] });
    expect(sara).toMatchObject({ mentor: 'Sara Nør', warnings: [] });
    const shown = say(s, coordinator, 'match');
    expect(shown).toContain('Jonas Berg');
    expect(shown).toContain('the mentee asked for English');
    s.close();
  });
});
