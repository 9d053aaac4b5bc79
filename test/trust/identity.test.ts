/**
 * Identity is never moved by data (issue 12): a platform id stays with the person it was first
 * linked to, and a coordinator's file can only add someone of another programme, never change them.
 */
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runCli } from '../../bin/cli';
import { importFile } from '../../src/coordinator/chat-import';
import { InputError } from '../../src/errors';
import { addIdentity, addParticipant, createPerson, findPersonByEmail, findPersonByIdentity, getPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring, type TestSparring } from '../helpers/sparring';

const header = 'role,name,email,locale,slack_id,teams_id,faculty,education,interests,company,job_title,capacity';
const csv = (...rows: string[]) => Buffer.from([header, ...rows].join('\n') + '\n', 'utf8');
const programmeA = [
  'mentee,Astrid Holm,astrid@example.org,da,U0AST,,IT,cand.it,UX,,,',
  'mentor,Maja Krog,maja@example.org,da,U0MAJ,,,,UX,Netcompany,Designer,2',
];

/** Everything an import could change, to compare before and after. */
const snapshot = (s: TestSparring) => ({
  people: s.core.db.prepare('SELECT id, name, email, locale, timezone, timezone_source FROM people ORDER BY id').all(),
  identities: s.core.db.prepare('SELECT platform, platform_id, person_id, address FROM identities ORDER BY platform, platform_id').all(),
  participants: s.core.db.prepare('SELECT programme_id, person_id, role, profile FROM participants ORDER BY programme_id, person_id, role').all(),
  nudges: s.core.db.prepare('SELECT count(*) AS n FROM nudges').get(),
});

describe('a platform id stays with the person it was first linked to', () => {
  let s: TestSparring;
  let a: number;
  let b: number;
  let helle: number; // coordinates A
  let bent: number; // coordinates B

  /** A coordinator sends a file in chat; the reply is what they read. */
  const importAs = (coordinator: number, file: Buffer) =>
    importFile({ core: s.core, person: getPerson(s.core, coordinator)! }, { filename: 'deltagere.csv', content: file }, [])
      .map((m) => m.text)
      .join('\n');

  beforeEach(() => {
    s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    a = createProgramme(s.core, { name: 'Efterår A', startsOn: '2026-09-01', endsOn: '2026-12-18' }).id;
    b = createProgramme(s.core, { name: 'Efterår B', startsOn: '2026-09-01', endsOn: '2026-12-18' }).id;
    for (const [name, programme] of [['Helle Munk', a], ['Bent Lund', b]] as const) {
      const id = createPerson(s.core, { name, locale: 'da' });
      addIdentity(s.core, id, 'test', String(id), `test:${id}`);
      addParticipant(s.core, programme, id, 'coordinator');
      if (programme === a) helle = id;
      else bent = id;
    }
    expect(importAs(helle, csv(...programmeA))).toContain('nye 2');
  });
  afterEach(() => s.close());

  it("refuses another programme's coordinator who links a new Slack id to a mentee by her e-mail, changing nothing", () => {
    const astrid = findPersonByEmail(s.core, 'astrid@example.org')!;
    const before = snapshot(s);

    const reply = importAs(bent, csv('mentee,Mallory Evil,astrid@example.org,en,U0EVIL,,,,,,,'));

    expect(reply).toContain('deltagere.csv blev ikke importeret');
    expect(reply).toContain('linje 2, slack_id: ville knytte U0EVIL til en, der også deltager i et program, du ikke koordinerer');
    expect(reply).toContain('linje 2, name: ville ændre en person, der også deltager i et program, du ikke koordinerer');
    expect(reply).toContain('linje 2, locale:');
    expect(snapshot(s)).toEqual(before);
    expect(findPersonByIdentity(s.core, 'slack', 'U0EVIL')).toBeNull();
    expect(findPersonByIdentity(s.core, 'slack', 'U0AST')).toBe(astrid);
    expect(getPerson(s.core, astrid)).toMatchObject({ name: 'Astrid Holm', email: 'astrid@example.org', locale: 'da' });
  });

  it.each([
    ['her Slack id under a new e-mail', 'mentee,Astrid Holm,mallory@example.org,,U0AST,,,,,,,', 'linje 2, email: ville ændre en person, der også deltager i et program, du ikke koordinerer'],
    ['her Slack id on someone of his own', 'mentee,Bo Berg,bo@example.org,,U0AST,,,,,,,', 'linje 3, slack_id: U0AST er allerede knyttet til en anden person'],
  ])("refuses %s, changing nothing", (_, row, message) => {
    importAs(bent, csv('mentee,Bo Berg,bo@example.org,,U0BO,,,,,,,'));
    const before = snapshot(s);

    const file = row.startsWith('mentee,Bo') ? csv('mentee,Carl Dam,carl@example.org,,,,,,,,,', row) : csv(row);
    expect(importAs(bent, file)).toContain(message);

    expect(snapshot(s)).toEqual(before);
  });

  it('refuses to move a platform id in the people store itself', () => {
    const other = createPerson(s.core, { name: 'Mallory Evil' });
    expect(() => addIdentity(s.core, other, 'slack', 'U0AST', 'slack:U0AST')).toThrow(InputError);
    expect(() => addIdentity(s.core, other, 'slack', 'U0AST', 'slack:U0AST')).toThrow('already linked to another person');
    expect(findPersonByIdentity(s.core, 'slack', 'U0AST')).toBe(findPersonByEmail(s.core, 'astrid@example.org'));
  });

  it("adds someone shared by both programmes to B, leaving A's data and her identity as they were", () => {
    const maja = findPersonByEmail(s.core, 'maja@example.org')!;
    const inA = () => s.core.db.prepare('SELECT role, profile FROM participants WHERE programme_id = ? ORDER BY person_id, role').all(a);
    const person = () => s.core.db.prepare('SELECT name, email, locale, timezone FROM people WHERE id = ?').get(maja);
    const identities = () => s.core.db.prepare('SELECT platform, platform_id, address FROM identities WHERE person_id = ? ORDER BY platform').all(maja);
    const [aBefore, personBefore, identitiesBefore] = [inA(), person(), identities()];

    // the same name and e-mail, her own Slack id, no language: only her part in B is new
    const file = csv('mentor,Maja Krog,maja@example.org,,U0MAJ,,,,Data,Danske Bank,Analyst,1');
    expect(importAs(bent, file)).toContain('nye 0 · opdaterede 1');
    expect(importAs(bent, file)).toContain('uændrede 1');

    expect(inA()).toEqual(aBefore);
    expect(person()).toEqual(personBefore);
    expect(identities()).toEqual(identitiesBefore);
    expect(s.core.db.prepare('SELECT role, profile FROM participants WHERE programme_id = ? AND person_id = ?').get(b, maja)).toEqual({
      role: 'mentor',
      profile: JSON.stringify({ company: 'Danske Bank', job_title: 'Analyst', capacity: 1, interests: ['Data'] }),
    });
  });

  it("still lets a coordinator change people of their own programme", () => {
    expect(importAs(helle, csv(programmeA[0]!.replace('Astrid Holm', 'Astrid H. Holm'), programmeA[1]!))).toContain('opdaterede 1');
    expect(getPerson(s.core, findPersonByEmail(s.core, 'astrid@example.org')!)!.name).toBe('Astrid H. Holm');
  });

  it.each([
    ['a bell', 'Astrid\u0007 Holm', 'U+0007'],
    ['a tab', '"Astrid\tHolm"', 'U+0009'],

    ['a DEL', 'Astrid\u007f Holm', 'U+007F'],
  ])('refuses a name with %s, naming line and column', (_, name, code) => {
    const before = snapshot(s);

    const reply = importAs(helle, csv('mentee,Carl Dam,carl@example.org,,,,,,,,,', `mentee,${name},astrid@example.org,,,,,,,,,`));

    expect(reply).toContain(`linje 3, name: indeholder et kontroltegn (${code})`);
    expect(snapshot(s)).toEqual(before);
  });

  it('refuses a line break inside a quoted name', () => {
    const before = snapshot(s);
    expect(importAs(helle, csv('mentee,"Astrid\nHolm",astrid@example.org,,,,,,,,,', 'mentee,Carl\u0007,carl@example.org,,,,,,,,,'))).toContain(
      'linje 2, name: indeholder et kontroltegn (U+000A)',
    );
    // the row after it is named by the line it is on, also when the file has Windows line endings
    const windows = Buffer.from(`${header}\r\nmentee,"Astrid\r\nHolm",astrid@example.org,,,,,,,,,\r\n\r\nmentee,Carl\u0007,carl@example.org,,,,,,,,,\r\n`);
    const reply = importAs(helle, windows);
    expect(reply).toContain('linje 2, name: indeholder et kontroltegn (U+000D)');
    expect(reply).toContain('linje 5, name: indeholder et kontroltegn (U+0007)');
    expect(snapshot(s)).toEqual(before);
  });

  it('refuses control characters in the other text cells too', () => {
    const reply = importAs(helle, csv('mentor,Carl Dam,carl@example.org,,,,,,UX;\u001bAI,Netcompany\u0000,,'));
    expect(reply).toContain('linje 2, interests: indeholder et kontroltegn (U+001B)');
    expect(reply).toContain('linje 2, company: indeholder et kontroltegn (U+0000)');
  });

  describe('from the command line, with an explicit --programme', () => {
    const cli = async (argv: string[]) => {
      let [out, err] = ['', ''];
      const io = {
        out: new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) }),
        err: new Writable({ write: (chunk, _e, done) => ((err += String(chunk)), done()) }),
        env: { DATABASE_PATH: s.databasePath },
        stdin: Readable.from([]),
      };
      const status = await runCli(argv, io);
      return { status, out, err };
    };
    const fileWith = (...rows: string[]) => {
      const path = join(dirname(s.databasePath), 'deltagere.csv');
      writeFileSync(path, csv(...rows));
      return path;
    };

    it('refuses the takeover, changing nothing', async () => {
      const before = snapshot(s);
      const file = fileWith('mentee,Mallory Evil,astrid@example.org,en,U0EVIL,,,,,,,');
      s.close(); // one process per database file: the CLI opens it now

      const result = await cli(['import', file, '--programme', 'Efterår B']);

      expect(result.status).toBe(1);
      expect(result.err).toContain('nothing was changed');
      expect(result.err).toContain('line 2, slack_id: would link U0EVIL to someone who also takes part in another programme');
      expect(result.err).toContain('line 2, name:');
      s = s.restart();
      expect(snapshot(s)).toEqual(before);
    });

    it('refuses to re-link a Slack id, even within the programme it names', async () => {
      const before = snapshot(s);
      const file = fileWith('mentor,Maja Krog,maja@example.org,da,U0AST,,,,UX,Netcompany,Designer,2');
      s.close();

      const result = await cli(['import', file, '--programme', 'Efterår A']);

      expect(result.status).toBe(1);
      expect(result.err).toContain('line 2, slack_id: U0AST is already linked to another person');
      s = s.restart();
      expect(snapshot(s)).toEqual(before);
    });

    it('adds a shared person to the programme it names and changes people of that programme', async () => {
      const file = fileWith('mentor,Maja Krog,maja@example.org,,U0MAJ,,,,,,,1', 'mentee,Astrid Holm,astrid@example.org,da,U0AST,,IT,cand.it,UX,,,');
      s.close();

      expect(await cli(['import', file, '--programme', 'Efterår B'])).toMatchObject({ status: 0, out: 'Imported 2 participants: 0 new, 2 updated, 0 unchanged.\n' });

      const renamed = fileWith('mentee,Astrid H. Holm,astrid@example.org,da,U0AST,,IT,cand.it,UX,,,');
      const refused = await cli(['import', renamed, '--programme', 'Efterår B']);
      expect(refused.err).toContain('line 2, name: would change a person who also takes part in another programme');
      s = s.restart();
      expect(s.core.db.prepare('SELECT count(*) AS n FROM participants WHERE programme_id = ?').get(b)).toEqual({ n: 3 });
      expect(getPerson(s.core, findPersonByEmail(s.core, 'astrid@example.org')!)!.name).toBe('Astrid Holm');
    });
  });
});
