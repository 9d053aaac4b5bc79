/**
 * The next season from the last: a programme created from an earlier one takes its settings,
 * contacts and coordinators, and the earlier mentors are asked whether they join; a yes adds the
 * mentor with their profile, a no is thanked.
 */
import { createNextSeason } from '../../src/flows/next-season';
import { addIdentity, addParticipant, createPerson, type Role } from '../../src/people';
import { closeProgramme } from '../../src/programme/lifecycle';
import { createProgramme, getProgramme } from '../../src/programme/programmes';
import { createTestSparring, runUntil, say, type TestSparring } from '../helpers/sparring';

function person(s: TestSparring, programmeId: number, name: string, role: Role, locale: 'da' | 'en', profile: Record<string, unknown> = {}): number {
  const id = createPerson(s.core, { name, locale, timezone: null });
  addIdentity(s.core, id, 'test', String(id), `test:${id}`);
  addParticipant(s.core, programmeId, id, role, profile);
  return id;
}

const roleIn = (s: TestSparring, programmeId: number, personId: number) =>
  (s.core.db.prepare('SELECT role, profile FROM participants WHERE programme_id = ? AND person_id = ?').all(programmeId, personId) as { role: string; profile: string }[]).map((r) => ({ role: r.role, profile: JSON.parse(r.profile) }));

describe('the next season from the last', () => {
  it('copies settings, contacts and coordinators, and adds the mentors who say yes', async () => {
    const s = createTestSparring({ start: '2026-12-21T08:00:00Z' });
    const autumn = createProgramme(s.core, {
      name: 'Efterår 2026',
      startsOn: '2026-09-01',
      endsOn: '2026-12-18',
      locale: 'en',
      settings: { rhythmDays: 21, matching: 'mentee-picks', contacts: { wellbeing: 'Studenterrådgivningen, srg.dk' } },
    });
    const coordinator = person(s, autumn.id, 'Mette Koordinator', 'coordinator', 'da');
    const jonasProfile = { faculty: 'IT', company: 'Netcompany', job_title: 'UX lead', interests: ['UX'], capacity: 2 };
    const jonas = person(s, autumn.id, 'Jonas Berg', 'mentor', 'da', jonasProfile);
    const kim = person(s, autumn.id, 'Kim Lund', 'mentor', 'en', { faculty: 'Jura', capacity: 1 });
    const astrid = person(s, autumn.id, 'Astrid Holm', 'mentee', 'da');
    closeProgramme(s.core, autumn);

    const { programme: spring, asked } = createNextSeason(s.core, { name: 'Forår 2027', startsOn: '2027-02-01', endsOn: '2027-05-31', settings: { rhythmDays: 28 } }, 'Efterår 2026');
    expect(asked).toBe(2);
    expect(spring.settings).toMatchObject({ rhythmDays: 28, matching: 'mentee-picks', contacts: { wellbeing: 'Studenterrådgivningen, srg.dk' } });
    expect(spring.locale).toBe('en');
    expect(roleIn(s, spring.id, coordinator)).toEqual([{ role: 'coordinator', profile: {} }]);
    expect(roleIn(s, spring.id, jonas)).toEqual([]);

    // Monday morning the two mentors are asked; the mentee is not.
    await runUntil(s, '2026-12-21T09:00:00Z');
    const question = s.messenger.ofKind('season.rejoin', `test:${jonas}`)[0]!.message;
    expect(question.text).toContain('Tak, fordi du var mentor i Efterår 2026');
    expect(question.text).toContain('Forår 2027');
    expect(s.messenger.ofKind('season.rejoin', `test:${astrid}`)).toEqual([]);

    expect(say(s, jonas, 'Ja, jeg er med')).toContain('velkommen tilbage');
    expect(say(s, kim, 'Not this time')).toContain('Thank you for all you gave as a mentor in Efterår 2026');

    expect(roleIn(s, spring.id, jonas)).toEqual([{ role: 'mentor', profile: jonasProfile }]);
    expect(roleIn(s, spring.id, kim)).toEqual([]);
    // Jonas joined like any participant: his welcome to the new season is planned.
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE kind = 'onboarding.welcome' AND person_id = ?").get(jonas)).toEqual({ n: 1 });
    expect(getProgramme(s.core, autumn.id).name).toBe('Efterår 2026');
    s.close();
  });

  it('says what to do when the earlier programme does not exist', () => {
    const s = createTestSparring({ start: '2026-12-21T08:00:00Z' });
    expect(() => createNextSeason(s.core, { name: 'Forår 2027', startsOn: '2027-02-01', endsOn: '2027-05-31' }, 'Efterår 2025')).toThrow(/no programme called "Efterår 2025" to copy from/);
    expect(s.core.db.prepare('SELECT count(*) AS n FROM programmes').get()).toEqual({ n: 0 });
    s.close();
  });
});
