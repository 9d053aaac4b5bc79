import { joinProgramme } from '../../src/flows/season';
import { addIdentity, createPerson } from '../../src/people';
import { createProgramme } from '../../src/programme/programmes';
import { createTestSparring, say, type TestSparring } from '../helpers/sparring';

const commands = ['status', 'pairs', 'pairs at-risk', 'pair @astrid', 'match', 'match @astrid @jonas', 'unmatch @astrid', 'nudge @astrid', 'report', 'export'];

describe('who may use the coordinator commands', () => {
  let s: TestSparring;
  const people: Record<string, number> = {};
  beforeEach(() => {
    s = createTestSparring({ start: '2026-09-14T08:00:00Z' });
    const a = createProgramme(s.core, { name: 'Programme A', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const b = createProgramme(s.core, { name: 'Programme B', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const person = (name: string, programmeId: number | null, role?: 'mentee' | 'mentor' | 'coordinator') => {
      const id = createPerson(s.core, { name });
      addIdentity(s.core, id, 'test', String(id), `test:${id}`);
      if (programmeId && role) joinProgramme(s.core, programmeId, id, role);
      return id;
    };
    people.mentee = person('Astrid Holm', a.id, 'mentee');
    people.mentor = person('Jonas Berg', a.id, 'mentor');
    people.coordinator = person('Helle Munk', a.id, 'coordinator');
    people.otherCoordinator = person('Bo Berg', b.id, 'coordinator');
    people.stranger = person('Ukendt', null);
    person('Bente Bertelsen', b.id, 'mentee');
  });
  afterEach(() => s.close());

  it.each(commands)('%s: mentees, mentors and strangers are refused, with the reason', (command) => {
    expect(say(s, people.mentee!, command)).toBe(`Kun programmets koordinatorer kan bruge *${command.split(' ')[0]}*. Du er mentee (Programme A).`);
    expect(say(s, people.mentor!, command)).toBe(`Kun programmets koordinatorer kan bruge *${command.split(' ')[0]}*. Du er mentor (Programme A).`);
    expect(say(s, people.stranger!, command)).toBe(`Kun programmets koordinatorer kan bruge *${command.split(' ')[0]}*. Du er ikke koordinator i noget program.`);
  });

  it.each(commands)('%s: the coordinator of this programme is served', (command) => {
    const reply = say(s, people.coordinator!, command);
    expect(reply).not.toContain('Kun programmets koordinatorer');
    expect(reply).not.toContain('passer til');
  });

  it.each(commands)('%s: the coordinator of another programme sees nothing of this one', (command) => {
    const reply = say(s, people.otherCoordinator!, command);
    expect(reply).not.toContain('Programme A');
    expect(reply).not.toMatch(/Astrid|Jonas Berg/);
  });

  it('confirms, ends and nudges pairs for the coordinator of the programme', async () => {
    expect(say(s, people.coordinator!, 'match @astrid @jonas')).toBe('Matchet: Astrid Holm og Jonas Berg. De får begge en introduktion.');
    expect(say(s, people.coordinator!, 'match @astrid @jonas')).toContain('har allerede en mentor');
    expect(say(s, people.coordinator!, 'pair @jonas')).toContain('*Astrid Holm & Jonas Berg*');
    expect(say(s, people.coordinator!, 'nudge @astrid')).toBe('En påmindelse til Astrid Holm er på vej.');
    await s.scheduler.runOnce();
    expect(s.messenger.ofKind('coordinator.nudge')[0]!.message.text).toContain('En hilsen fra Helle Munk, jeres koordinator: husk at booke');
    expect(say(s, people.coordinator!, 'unmatch @astrid')).toContain('Parret Astrid Holm og Jonas Berg er afsluttet. De får begge besked');
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE status = 'pending' AND subject LIKE 'pair:%'").get()).toEqual({ n: 0 });
    expect(say(s, people.coordinator!, 'pair @astrid')).toBe('Astrid Holm er ikke i et aktivt par.');
    expect(say(s, people.coordinator!, 'pair @nobody')).toBe('Ingen i Programme A passer til "@nobody".');
  });

  it('grants the role to the ids in COORDINATORS, for every programme', async () => {
    const { grantCoordinators } = await import('../../src/coordinator/grant');
    grantCoordinators(s.core, ['test:' + people.stranger]);
    expect(say(s, people.stranger!, 'status')).toContain('Du er koordinator for flere programmer: Programme A, Programme B');
    expect(say(s, people.stranger!, 'status Programme B')).toContain('*Status: Programme B*');
  });
});

describe('a programme’s life', () => {
  it('starts (welcome now, not on the first day) and closes (pairs ended, nothing more sent)', async () => {
    const { startProgramme, closeProgramme } = await import('../../src/programme/lifecycle');
    const { matchPair } = await import('../../src/flows/season');
    const s = createTestSparring({ start: '2026-08-20T08:00:00Z' });
    const programme = createProgramme(s.core, { name: 'Efterår', startsOn: '2026-09-01', endsOn: '2026-12-18' });
    const ids = ['Astrid Holm', 'Jonas Berg'].map((name, i) => {
      const id = createPerson(s.core, { name });
      addIdentity(s.core, id, 'test', String(id), `test:${id}`);
      joinProgramme(s.core, programme.id, id, i === 0 ? 'mentee' : 'mentor');
      return id;
    });
    matchPair(s.core, programme.id, ids[0]!, ids[1]!);
    await s.scheduler.runOnce();
    expect(s.messenger.deliveries).toHaveLength(0); // the season begins on 1 September
    expect(startProgramme(s.core, programme)).toBe(4);
    await s.scheduler.runOnce();
    expect(s.messenger.deliveries.map((d) => d.key.split(':')[0]).sort()).toEqual(['intro.match', 'intro.match', 'onboarding.welcome', 'onboarding.welcome']);
    expect(closeProgramme(s.core, programme).pairs).toBe(1);
    expect(s.core.db.prepare("SELECT count(*) AS n FROM nudges WHERE status = 'pending'").get()).toEqual({ n: 0 });
    s.clock.set('2027-01-10T10:00:00Z');
    await s.scheduler.runOnce();
    expect(s.messenger.deliveries).toHaveLength(4);
    s.close();
  });
});
