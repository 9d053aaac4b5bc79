import { applyParticipants, parseParticipants } from '../../src/coordinator/import';
import { applyMatches, bestMatches, suggestMatches } from '../../src/coordinator/matching';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring } from '../helpers/sparring';

const header = 'role,name,email,locale,slack_id,teams_id,faculty,education,interests,company,job_title,capacity';

function programmeWith(rows: string[]) {
  const s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
  const programme = createProgramme(s.core, { name: 'P', startsOn: '2026-09-01', endsOn: '2026-12-18' });
  const parsed = parseParticipants(Buffer.from([header, ...rows].join('\n')));
  if (!parsed.ok) throw new Error('bad test file');
  applyParticipants(s.core, programme.id, parsed.rows);
  return { s, programmeId: programme.id };
}

describe('matching', () => {
  it('suggests mentors best first with the reasons, and fills capacity without overbooking', () => {
    const { s, programmeId } = programmeWith([
      'mentee,Astrid,astrid@example.org,da,,,IT,cand.it,UX;data science,,,',
      'mentee,Bo,bo@example.org,en,,,Humaniora,Filosofi,etik,,,',
      'mentee,Cecilie,cecilie@example.org,da,,,IT,cand.it,software,,,',
      'mentor,Jonas,jonas@example.org,da,,,IT,,UX,Netcompany,UX lead,1',
      'mentor,Sara,sara@example.org,en,,,Humaniora,,etik,Ministeriet,Etik-rådgiver,1',
      'mentor,Kim,kim@example.org,da,,,IT,,,Bank,Software developer,1',
    ]);
    const forAstrid = suggestMatches(s.core, programmeId).filter((x) => x.mentee === 'Astrid');
    expect(forAstrid.map((x) => x.mentor)).toEqual(['Jonas', 'Kim', 'Sara']);
    expect(forAstrid[0]!.reasons).toEqual([
      { reason: 'faculty', detail: 'it' },
      { reason: 'interests', detail: 'ux' },
      { reason: 'language', detail: 'da' },
      { reason: 'capacity', detail: '1' },
    ]);
    const best = bestMatches(s.core, programmeId);
    expect(best.map((m) => `${m.mentee}-${m.mentor}`).sort()).toEqual(['Astrid-Jonas', 'Bo-Sara', 'Cecilie-Kim']);
    applyMatches(s.core, programmeId, best);
    expect(suggestMatches(s.core, programmeId)).toEqual([]);
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE kind = 'intro.match'").get()).toEqual({ n: 6 });
    s.close();
  });

  it('never gives a mentor more mentees than their capacity', () => {
    const rows = [
      ...Array.from({ length: 30 }, (_, i) => `mentee,Mentee ${i},e${i}@example.org,,,,IT,,UX,,,`),
      'mentor,A,a@example.org,,,,IT,,UX,,,2',
      'mentor,B,b@example.org,,,,IT,,,,,3',
      'mentor,C,c@example.org,,,,Jura,,,,,5',
    ];
    const { s, programmeId } = programmeWith(rows);
    const best = bestMatches(s.core, programmeId);
    expect(best).toHaveLength(10);
    const per = (name: string) => best.filter((m) => m.mentor === name).length;
    expect([per('A'), per('B'), per('C')]).toEqual([2, 3, 5]);
    s.close();
  });
});
