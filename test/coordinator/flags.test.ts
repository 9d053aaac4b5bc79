/**
 * Flags: raised once per reason, acknowledged or resolved by the programme's coordinator with a
 * private note, not raised again while a resolved reason stays, raised anew when it has gone and
 * come back; shown in `status` and `pairs at-risk` as open, seen or resolved, with counts and dates.
 */
import { acknowledgeFlag, listFlags, resolveFlag } from '../../src/coordinator/flags';
import { recordHelpRequest } from '../../src/coordinator/requests';
import { PermissionDeniedError } from '../../src/errors';
import { bookMeeting, cancelMeeting } from '../../src/meetings';
import { createTestSparring, say, type TestSparring } from '../helpers/sparring';
import { aProgramme, emilAndSara, live, to, type Cast } from './risk-story';

let s: TestSparring;
let programme: Cast;
let helle: number;
let emil: number;
let sara: number;
let pairId: number;

beforeEach(() => {
  s = createTestSparring({ start: '2026-09-01T08:00:00Z' });
  programme = aProgramme(s);
  helle = programme.person('Helle Munk', 'coordinator');
  ({ emil, sara, pairId } = emilAndSara(programme));
});
afterEach(() => s.close());

const flagRows = () => s.core.db.prepare('SELECT id, code, state, cleared_at AS clearedAt FROM flags WHERE pair_id = ? ORDER BY id').all(pairId) as { id: number; code: string; state: string; clearedAt: number | null }[];

describe('a flag', () => {
  it('is raised once for a reason that stays, however often it is asked for', () => {
    s.clock.set('2026-10-09T08:00:00Z');
    for (let i = 0; i < 3; i += 1) listFlags(s.core, programme.programmeId);
    s.clock.set('2026-10-12T08:00:00Z');
    const flags = listFlags(s.core, programme.programmeId);
    expect(flags).toEqual([
      expect.objectContaining({ programmeId: programme.programmeId, pairId, code: 'quiet', state: 'open', raisedAt: '2026-10-09T08:00:00.000Z', since: '2026-10-08T08:00:00.000Z', detail: { days: 41 } }),
    ]);
    expect(flagRows()).toHaveLength(1);
  });

  it('is acknowledged and resolved by the programme’s coordinator with a private note, and by nobody else', () => {
    s.clock.set('2026-10-09T08:00:00Z');
    const [flag] = listFlags(s.core, programme.programmeId);
    const other = aProgramme(s);
    const otherCoordinator = other.person('Bo Berg', 'coordinator');
    for (const who of [emil, sara, otherCoordinator]) {
      expect(() => acknowledgeFlag(s.core, who, flag!.id)).toThrow(PermissionDeniedError);
      expect(() => resolveFlag(s.core, who, flag!.id, 'sneaky')).toThrow(PermissionDeniedError);
    }
    expect(() => resolveFlag(s.core, helle, 9999)).toThrow('there is no flag 9999');
    expect(() => acknowledgeFlag(s.core, helle, flag!.id, 'x'.repeat(501))).toThrow('at most 500 characters');

    s.clock.set('2026-10-09T10:00:00Z');
    expect(acknowledgeFlag(s.core, helle, flag!.id, 'Ringer til Emil')).toMatchObject({ state: 'acknowledged', acknowledgedAt: '2026-10-09T10:00:00.000Z', note: 'Ringer til Emil' });
    s.clock.set('2026-10-10T10:00:00Z');
    const resolved = resolveFlag(s.core, helle, flag!.id, 'Talt med begge');
    expect(resolved).toMatchObject({ state: 'resolved', resolvedAt: '2026-10-10T10:00:00.000Z', resolvedBy: 'coordinator', note: 'Ringer til Emil\nTalt med begge' });
    expect(listFlags(s.core, programme.programmeId, { state: 'open' })).toEqual([]);
    expect(listFlags(s.core, programme.programmeId, { state: 'resolved' }).map((f) => f.id)).toEqual([flag!.id]);
    expect(() => acknowledgeFlag(s.core, helle, flag!.id)).toThrow('resolved already');
  });

  it('is not raised again while its resolved reason stays; when the reason goes and comes back, it is', () => {
    s.clock.set('2026-10-09T08:00:00Z');
    const [first] = listFlags(s.core, programme.programmeId);
    resolveFlag(s.core, helle, first!.id);
    s.clock.set('2026-10-20T08:00:00Z');
    expect(listFlags(s.core, programme.programmeId).map((f) => [f.id, f.state])).toEqual([[first!.id, 'resolved']]);

    // They book: the reason is gone, the flag is history. They cancel: quiet again, a new flag.
    const meeting = bookMeeting(s.core, { pairId, startsAt: Date.parse('2026-10-28T14:00:00Z'), durationMin: 60, bookedBy: emil });
    expect(flagRows()).toEqual([{ id: first!.id, code: 'quiet', state: 'resolved', clearedAt: Date.parse('2026-10-20T08:00:00Z') }]);
    s.clock.set('2026-10-21T08:00:00Z');
    cancelMeeting(s.core, meeting.id, sara);
    expect(flagRows()).toEqual([
      { id: first!.id, code: 'quiet', state: 'resolved', clearedAt: Date.parse('2026-10-20T08:00:00Z') },
      { id: expect.any(Number), code: 'quiet', state: 'open', clearedAt: null },
    ]);
  });

  it('resolves itself when its reason goes away before anyone saw it', () => {
    s.clock.set('2026-10-09T08:00:00Z');
    listFlags(s.core, programme.programmeId);
    bookMeeting(s.core, { pairId, startsAt: Date.parse('2026-10-28T14:00:00Z'), durationMin: 60, bookedBy: emil });
    expect(listFlags(s.core, programme.programmeId)).toEqual([expect.objectContaining({ state: 'resolved', resolvedBy: 'itself', clearedAt: '2026-10-09T08:00:00.000Z' })]);
  });

  it('for a request for help, is settled by resolving it; another request raises a new flag', () => {
    s.clock.set('2026-09-20T10:00:00Z');
    recordHelpRequest(s.core, { pairId, personId: emil, kind: 'help' });
    recordHelpRequest(s.core, { pairId, personId: emil, kind: 'help' });
    const [flag] = listFlags(s.core, programme.programmeId);
    expect(flag).toMatchObject({ code: 'asked_for_help', state: 'open', detail: { requests: 2, rematch: 0 } });
    resolveFlag(s.core, helle, flag!.id, 'Mødtes med Emil');
    expect(listFlags(s.core, programme.programmeId)).toEqual([expect.objectContaining({ id: flag!.id, state: 'resolved', clearedAt: '2026-09-20T10:00:00.000Z' })]);
    s.clock.set('2026-09-22T10:00:00Z');
    recordHelpRequest(s.core, { pairId, personId: sara, kind: 'rematch' });
    expect(listFlags(s.core, programme.programmeId, { state: 'open' })).toEqual([expect.objectContaining({ code: 'asked_for_help', detail: expect.objectContaining({ requests: 1, rematch: 1 }) })]);
  });

  it('for a low check-in, is raised again by a new low answer after it was resolved', () => {
    const checkin = (personId: number, score: number) =>
      s.core.db.prepare('INSERT INTO checkins (pair_id, person_id, professional, personal, answered_at) VALUES (?, ?, ?, ?, ?)').run(pairId, personId, 4, score, s.clock.now());
    s.clock.set('2026-09-20T10:00:00Z');
    checkin(sara, 2);
    const [flag] = listFlags(s.core, programme.programmeId);
    resolveFlag(s.core, helle, flag!.id);
    s.clock.set('2026-09-21T10:00:00Z');
    expect(listFlags(s.core, programme.programmeId, { state: 'open' })).toEqual([]);
    checkin(emil, 2);
    expect(listFlags(s.core, programme.programmeId, { state: 'open' })).toEqual([expect.objectContaining({ code: 'low_checkin', detail: expect.objectContaining({ answers: 2 }) })]);
  });
});

describe('the coordinator in chat', () => {
  it('sees open, seen and resolved flags in status and pairs at-risk, with reasons, counts and dates', () => {
    s.clock.set('2026-10-09T08:00:00Z');
    const astrid = programme.person('Astrid Holm', 'mentee');
    const jonas = programme.person('Jonas Berg', 'mentor');
    const other = programme.match(astrid, jonas);
    recordHelpRequest(s.core, { pairId: other, personId: jonas, kind: 'help' });
    const status = say(s, helle, 'status');
    expect(status).toContain('*Par, der har brug for dig* — åbne: 2 · set: 0 · løst de seneste 30 dage: 0');
    expect(status).toMatch(/• Emil Madsen & Sara Lund — intet møde endnu, 38 dage efter starten · siden 8\. oktober · \*flag \d+\*/);
    expect(status).toMatch(/• Astrid Holm & Jonas Berg — en af dem har bedt dig om hjælp · siden 9\. oktober · \*flag \d+\*/);

    const quiet = listFlags(s.core, programme.programmeId).find((f) => f.code === 'quiet')!;
    expect(say(s, helle, `flag ${quiet.id} set Ringer til Emil i morgen`)).toBe(`Flag ${quiet.id} (Emil Madsen & Sara Lund) er markeret som set.\nNoten er gemt. Kun programmets koordinatorer ser den.`);
    const help = listFlags(s.core, programme.programmeId).find((f) => f.code === 'asked_for_help')!;
    expect(say(s, helle, `flag ${help.id} resolve talked to Jonas`)).toContain(`Flag ${help.id} (Astrid Holm & Jonas Berg) er markeret som løst.`);
    const after = say(s, helle, 'status');
    expect(after).toContain('åbne: 0 · set: 1 · løst de seneste 30 dage: 1');
    expect(after).toContain('note: Ringer til Emil i morgen');
    expect(after).toContain('note: talked to Jonas');

    const atRisk = say(s, helle, 'par risiko');
    expect(atRisk).toContain(`Emil Madsen & Sara Lund — afholdte møder: 0 · sidst: ingen · næste: ingen ⚠ intet møde endnu, 38 dage efter starten · flag ${quiet.id}`);
    expect(atRisk).not.toContain('Astrid');
    expect(say(s, helle, 'pair @emil')).toContain('set 9. oktober · note: Ringer til Emil i morgen');
  });

  it('says no pair is at risk, not that there are no pairs, when every pair is doing well', () => {
    s.clock.set('2026-09-02T08:00:00Z'); // the day after the start: nobody is quiet yet
    expect(say(s, helle, 'pairs')).toContain('Emil Madsen & Sara Lund');
    expect(say(s, helle, 'par risiko')).toBe('Ingen par er i risiko lige nu.');
  });

  it('answers the flag command in both languages, and refuses everyone but the programme’s coordinators', async () => {
    s.clock.set('2026-10-09T08:00:00Z');
    const [flag] = listFlags(s.core, programme.programmeId);
    expect(say(s, helle, 'flag')).toContain('Skriv *flag 12* for at se et flag');
    expect(say(s, helle, `flag ${flag!.id} maybe`)).toContain('Skriv *flag 12* for at se et flag');
    expect(say(s, helle, `flag ${flag!.id}`)).toContain('Åbent.');
    expect(say(s, helle, 'flag 999 løst')).toBe('Flag 999 findes ikke i et program, du er koordinator for. *par risiko* viser flagene.');
    expect(say(s, emil, `flag ${flag!.id} resolve`)).toMatch(/^Only the programme's coordinators can use \*flag\*\. You are mentee \(Efterår \d+\)\.$/);
    const bo = aProgramme(s).person('Bo Berg', 'coordinator');
    expect(say(s, bo, `flag ${flag!.id} løst`)).toBe(`Flag ${flag!.id} findes ikke i et program, du er koordinator for. *par risiko* viser flagene.`);
    expect(say(s, helle, `flag ${flag!.id} kvittér`)).toContain('er markeret som set');
    expect(say(s, helle, `flag #${flag!.id} løst Aftalt nyt møde`)).toContain('er markeret som løst');
    expect(listFlags(s.core, programme.programmeId)[0]).toMatchObject({ state: 'resolved', note: 'Aftalt nyt møde' });

    // The note is the coordinator's: nothing the pair is sent carries it.
    const sent = await live(s, '2026-10-20T12:00:00Z');
    expect(sent.length).toBeGreaterThan(0);
    expect([...s.messenger.to(to(emil)), ...s.messenger.to(to(sara))].map((d) => d.message.text).join('\n')).not.toContain('Aftalt nyt møde');
  });
});
