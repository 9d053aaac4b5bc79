import { applyParticipants, parseParticipants } from '../../src/coordinator/import';
import { formatProblems } from '../../src/coordinator/import-problems';
import { createCatalog } from '../../src/text/catalog';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring, type TestSparring } from '../helpers/sparring';

const texts = createCatalog();

const header = 'role,name,email,locale,slack_id,teams_id,faculty,education,interests,company,job_title,capacity';
const csv = (...rows: string[]) => Buffer.from([header, ...rows].join('\n') + '\n', 'utf8');
const good = [
  'mentee,Astrid Holm,astrid@example.org,da,U0AST,,IT,cand.it,UX;LinkedIn,,,',
  'mentor,Jonas Berg,jonas@example.org,en,U0JON,29:1jonas,IT,,UX,Netcompany,Software architect,2',
  'coordinator,Helle Munk,helle@example.org,,,,,,,,,',
];

function problems(file: Buffer): string {
  const parsed = parseParticipants(file);
  if (parsed.ok) throw new Error('expected the file to be refused');
  return formatProblems(texts, 'en', parsed.problems);
}

const counts = (s: TestSparring) => s.core.db.prepare('SELECT (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM participants) AS participants, (SELECT count(*) FROM nudges) AS nudges').get();

describe('importing participants', () => {
  let s: TestSparring;
  let programmeId: number;
  beforeEach(() => {
    s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    programmeId = createProgramme(s.core, { name: 'Efterår', startsOn: '2026-09-01', endsOn: '2026-12-18' }).id;
  });
  afterEach(() => s.close());

  it('applies a good file in one go, and changes nothing the second time', () => {
    const parsed = parseParticipants(csv(...good));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(applyParticipants(s.core, programmeId, parsed.rows)).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const after = counts(s);
    expect(applyParticipants(s.core, programmeId, parsed.rows)).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(counts(s)).toEqual(after);
    expect(s.core.db.prepare("SELECT profile FROM participants WHERE role = 'mentor'").get()).toEqual({
      profile: JSON.stringify({ faculty: 'IT', company: 'Netcompany', job_title: 'Software architect', capacity: 2, interests: ['UX'] }),
    });
    expect(s.core.db.prepare("SELECT platform, platform_id FROM identities WHERE platform <> 'local' ORDER BY platform, platform_id").all()).toEqual([
      { platform: 'slack', platform_id: 'U0AST' },
      { platform: 'slack', platform_id: 'U0JON' },
      { platform: 'teams', platform_id: '29:1jonas' },
    ]);
    // joining plans the onboarding and the survey for mentees and mentors
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE kind = 'onboarding.welcome'").get()).toEqual({ n: 2 });
  });

  it('updates what changed', () => {
    const first = parseParticipants(csv(...good));
    const second = parseParticipants(csv(good[0]!.replace('Astrid Holm', 'Astrid H. Holm'), good[1]!, good[2]!));
    if (!first.ok || !second.ok) throw new Error('both files are good');
    applyParticipants(s.core, programmeId, first.rows);
    expect(applyParticipants(s.core, programmeId, second.rows)).toEqual({ created: 0, updated: 1, unchanged: 2 });
  });

  it.each([
    ['a missing column', Buffer.from('role,name\nmentee,Astrid\n'), 'line 1, email: this column is missing from the header'],
    ['an unknown column', Buffer.from(`${header},shoe_size\n${good[0]},42\n`), 'line 1, shoe_size: is not a known column'],
    ['an unknown role', csv('mentor,Jonas,jonas@example.org,,,,,,,,,', 'student,Astrid,astrid@example.org,,,,,,,,,'), 'line 3, role: must be mentee, mentor or coordinator'],
    ['a bad e-mail', csv('mentee,Astrid,astrid(at)example.org,,,,,,,,,'), 'line 2, email: is not an e-mail address'],
    ['a duplicate e-mail', csv(good[0]!, good[0]!.replace('U0AST', 'U0OTHER')), 'line 3, email: astrid@example.org is also on line 2'],
    ['a duplicate Slack id', csv(good[0]!, 'mentee,Other,other@example.org,,U0AST,,,,,,,'), 'line 3, slack_id: U0AST is also on line 2'],
    ['a bad Slack id', csv('mentee,Astrid,astrid@example.org,,astrid,,,,,,,'), 'line 2, slack_id: must be a Slack member id'],
    ['a capacity on a mentee', csv('mentee,Astrid,astrid@example.org,,,,,,,,,3'), 'line 2, capacity: is only for mentors'],
    ['a capacity that is not a number', csv('mentor,Jonas,jonas@example.org,,,,,,,,,two'), 'line 2, capacity: must be a whole number'],
    ['an empty name', csv('mentee,,astrid@example.org,,,,,,,,,'), 'line 2, name: is empty'],
    ['a bad locale', csv('mentee,Astrid,astrid@example.org,de,,,,,,,,'), 'line 2, locale: must be da or en'],
    ['a row with too many cells', csv(`${good[0]},extra`), 'the file is not valid CSV'],
    ['an empty file', Buffer.from(''), 'line 1: the file is empty'],
    ['only a header', Buffer.from(`${header}\n`), 'line 2: the file has a header but no participants'],
    ['the wrong encoding', Buffer.from(`${header}\nmentee,S\xf8ren,soren@example.org,,,,,,,,,\n`, 'latin1'), 'line 1: the file is not UTF-8'],
  ])('refuses %s, saying where', (_, file, message) => {
    const before = counts(s);
    expect(problems(file)).toContain(message);
    expect(counts(s)).toEqual(before);
  });

  it('lists every problem of a file, not just the first', () => {
    const text = problems(csv('mentee,Astrid,bad-mail,xx,,,,,,,,', 'boss,Jonas,jonas@example.org,,,,,,,,,'));
    expect(text.split('\n')).toEqual(['line 2, email: is not an e-mail address', 'line 2, locale: must be da or en (or empty)', 'line 3, role: must be mentee, mentor or coordinator']);
  });

  it('says the problems in Danish for a Danish reader, numbers written the Danish way', () => {
    const parsed = parseParticipants(csv('mentee,Astrid,bad-mail,xx,,,,,,,,', 'boss,Jonas,jonas@example.org,,,,,,,,,', 'mentor,Jonas,jonas@example.org,,,,,,,,,25'));
    if (parsed.ok) throw new Error('expected the file to be refused');
    expect(formatProblems(texts, 'da', parsed.problems).split('\n')).toEqual([
      'linje 2, email: er ikke en e-mailadresse',
      'linje 2, locale: skal være da eller en (eller tom)',
      'linje 3, role: skal være mentee, mentor eller coordinator',
      'linje 4, capacity: må højst være 20',
    ]);
    const many = parseParticipants(csv(...Array.from({ length: 20_001 }, (_, i) => `mentee,P ${i},p${i}@example.org,,,,,,,,,`)));
    if (many.ok) throw new Error('expected the file to be refused');
    expect(formatProblems(texts, 'da', many.problems)).toBe('linje 20002: filen har 20.001 rækker; importér højst 20.000 ad gangen');
    // A line number inside a problem is written as the line prefix writes it, not as an amount.
    expect(formatProblems(texts, 'da', [{ line: 1300, column: 'email', problem: 'alsoOnLine', vars: { value: 'a@example.org', first: 1234 } }])).toBe(
      'linje 1300, email: a@example.org står også på linje 1234',
    );
  });

  it('refuses 100,000 rows as too many for one import', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `mentee,Person ${i},p${i}@example.org,,,,,,,,,`);
    expect(problems(csv(...rows))).toContain('the file has 100,000 rows; import at most 20,000 at a time');
  });

  it('imports 5,000 participants at once', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) =>
      i % 3 === 0 ? `mentor,Mentor ${i},m${i}@example.org,,U${i}X,,IT,,UX;data,Firma ${i},Konsulent,2` : `mentee,Mentee ${i},s${i}@example.org,,,,IT,cand.it,UX;LinkedIn,,,`,
    );
    const parsed = parseParticipants(csv(...rows));
    if (!parsed.ok) throw new Error(formatProblems(texts, 'en', parsed.problems));
    expect(applyParticipants(s.core, programmeId, parsed.rows).created).toBe(5_000);
  });
});
