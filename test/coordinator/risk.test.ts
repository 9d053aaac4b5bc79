/**
 * A pair at risk is derived from its facts at the moment asked, each reason with when it began and
 * counts and dates only: quiet, a low check-in, a request for help, messages that keep failing, and a
 * pause longer than the rhythm. Planned quiet checks play no part: cancelling them changes nothing.
 */
import { assessProgramme, type PairRisk } from '../../src/coordinator/risk';
import { recordHelpRequest } from '../../src/coordinator/requests';
import { nudgeNow } from '../../src/coordinator/pair-actions';
import { DeliveryError } from '../../src/errors';
import { quietSubject } from '../../src/flows/plan';
import { bookMeeting, setMeetingOutcome } from '../../src/meetings';
import { cancelNudges } from '../../src/scheduler/nudges';
import { createTestSparring, say, type TestSparring } from '../helpers/sparring';
import { aProgramme, emilAndSara, type Cast } from './risk-story';

const at = (s: TestSparring, iso: string) => {
  s.clock.set(iso);
  return assessProgramme(s.core, programme.programmeId);
};
const codes = (risks: PairRisk[], pairId: number) => risks.find((r) => r.pairId === pairId)?.reasons.map((r) => r.code) ?? [];
const reason = (risks: PairRisk[], pairId: number, code: string) => risks.find((r) => r.pairId === pairId)?.reasons.find((r) => r.code === code);

let s: TestSparring;
let programme: Cast;
let emil: number;
let sara: number;
let pairId: number;

beforeEach(() => {
  s = createTestSparring({ start: '2026-09-01T08:00:00Z' });
  programme = aProgramme(s);
  ({ emil, sara, pairId } = emilAndSara(programme));
});
afterEach(() => s.close());

describe('a quiet pair', () => {
  it('is quiet once nothing was held or booked within the rhythm and grace (30 + 7 days) of the match, though its quiet checks were cancelled', () => {
    cancelNudges(s.core.db, quietSubject(pairId));
    expect(at(s, '2026-10-08T07:59:00Z')).toEqual([]);
    const risks = at(s, '2026-10-08T08:00:00Z');
    expect(reason(risks, pairId, 'quiet')).toEqual({ code: 'quiet', since: '2026-10-08T08:00:00.000Z', detail: { days: 37 } });
  });

  it('is not quiet while a meeting is booked, and counts again from the last meeting held', () => {
    s.clock.set('2026-10-01T08:00:00Z');
    const meeting = bookMeeting(s.core, { pairId, startsAt: Date.parse('2026-10-12T14:00:00Z'), durationMin: 60 });
    expect(codes(at(s, '2026-10-10T08:00:00Z'), pairId)).toEqual([]);
    s.clock.set('2026-10-12T18:00:00Z');
    setMeetingOutcome(s.core, meeting.id, 'held', emil);
    cancelNudges(s.core.db, quietSubject(pairId));
    expect(codes(at(s, '2026-11-18T13:59:00Z'), pairId)).toEqual([]);
    const risks = at(s, '2026-11-18T14:00:00Z');
    expect(reason(risks, pairId, 'quiet')).toEqual({ code: 'quiet', since: '2026-11-18T14:00:00.000Z', detail: { days: 37, lastMeeting: '2026-10-12T14:00:00.000Z' } });
  });

  it('counts the booked meetings that did not take place, and stays quiet as of the season’s end once it is over', () => {
    s.clock.set('2026-10-01T08:00:00Z');
    const held = bookMeeting(s.core, { pairId, startsAt: Date.parse('2026-11-02T15:00:00Z'), durationMin: 60 });
    s.clock.set('2026-11-02T18:00:00Z');
    setMeetingOutcome(s.core, held.id, 'held', emil);
    const missed = bookMeeting(s.core, { pairId, startsAt: Date.parse('2026-12-07T15:00:00Z'), durationMin: 60 });
    s.clock.set('2026-12-07T19:00:00Z');
    setMeetingOutcome(s.core, missed.id, 'missed', emil);
    expect(reason(at(s, '2026-12-10T08:00:00Z'), pairId, 'quiet')).toEqual({
      code: 'quiet',
      since: '2026-12-09T15:00:00.000Z',
      detail: { days: 37, lastMeeting: '2026-11-02T15:00:00.000Z', missed: 1 },
    });
    // After the season (ends 18 December), the pair is judged as it stood at the end.
    expect(reason(at(s, '2027-01-29T08:00:00Z'), pairId, 'quiet')?.detail?.days).toBe(46);
  });
});

describe('a low check-in', () => {
  const checkin = (personId: number, professional: number, personal: number) =>
    s.core.db.prepare('INSERT INTO checkins (pair_id, person_id, professional, personal, answered_at) VALUES (?, ?, ?, ?, ?)').run(pairId, personId, professional, personal, s.clock.now());

  it('counts a rating at or below the programme’s low score, and never says whose', () => {
    s.clock.set('2026-10-26T09:00:00Z');
    checkin(sara, 4, 3);
    expect(codes(at(s, '2026-10-26T09:00:00Z'), pairId)).not.toContain('low_checkin');
    s.clock.set('2026-10-26T10:00:00Z');
    checkin(emil, 4, 2);
    const low = reason(at(s, '2026-10-26T11:00:00Z'), pairId, 'low_checkin');
    expect(low).toEqual({ code: 'low_checkin', since: '2026-10-26T10:00:00.000Z', detail: { lowest: 2, answers: 1, latest: '2026-10-26T10:00:00.000Z' } });
    // Nothing says whose answer it was: no person, no role.
    expect(Object.keys(low!.detail!).sort()).toEqual(['answers', 'latest', 'lowest']);
  });

  it('follows the programme’s own low score', () => {
    s.core.db.prepare('UPDATE programmes SET settings = ? WHERE id = ?').run(JSON.stringify({ lowMatchScore: 1 }), programme.programmeId);
    checkin(emil, 2, 2);
    expect(codes(at(s, '2026-10-26T11:00:00Z'), pairId)).not.toContain('low_checkin');
  });
});

describe('a request for help', () => {
  it('is a reason until it is settled, and says whether it asks for a new match', () => {
    s.clock.set('2026-10-20T12:00:00Z');
    recordHelpRequest(s.core, { pairId, personId: sara, kind: 'rematch' });
    expect(reason(at(s, '2026-10-20T12:00:00Z'), pairId, 'asked_for_help')).toEqual({
      code: 'asked_for_help',
      since: '2026-10-20T12:00:00.000Z',
      detail: { requests: 1, rematch: 1, latest: '2026-10-20T12:00:00.000Z' },
    });
    s.core.db.prepare('UPDATE help_requests SET settled_at = ?').run(s.clock.now());
    expect(codes(at(s, '2026-10-20T13:00:00Z'), pairId)).not.toContain('asked_for_help');
  });

  it('is refused from someone outside the pair', () => {
    const stranger = programme.person('Bo Berg', 'mentee');
    expect(() => recordHelpRequest(s.core, { pairId, personId: stranger, kind: 'help' })).toThrow('is not in the active pair');
  });
});

describe('someone Sparring cannot reach', () => {
  it('is unreachable when two messages in a row fail for good, and reachable again when one arrives', async () => {
    s.clock.set('2026-09-14T09:00:00Z'); // a Monday morning
    await s.scheduler.runOnce(); // what was due at the match
    const refused = new DeliveryError('Slack refused: user_not_found', false);
    s.messenger.failNext(1, refused);
    nudgeNow(s.core, pairId, [sara], 'Helle');
    await s.scheduler.runOnce();
    expect(codes(assessProgramme(s.core, programme.programmeId), pairId)).toEqual([]);
    s.messenger.failNext(1, refused);
    s.clock.set('2026-09-14T09:05:00Z');
    nudgeNow(s.core, pairId, [sara], 'Helle');
    await s.scheduler.runOnce();
    const risks = assessProgramme(s.core, programme.programmeId);
    expect(reason(risks, pairId, 'unreachable')).toEqual({ code: 'unreachable', since: '2026-09-14T09:00:00.000Z', detail: { mentor: 2 } });

    s.clock.set('2026-09-14T09:10:00Z');
    nudgeNow(s.core, pairId, [sara], 'Helle');
    await s.scheduler.runOnce();
    expect(codes(assessProgramme(s.core, programme.programmeId), pairId)).toEqual([]);
  });

  it('is unreachable at once with no way to reach them (the app not installed), and counts the messages retried meanwhile', async () => {
    s.core.db.prepare('UPDATE identities SET address = NULL WHERE person_id = ?').run(emil);
    expect(reason(assessProgramme(s.core, programme.programmeId), pairId, 'unreachable')).toEqual({
      code: 'unreachable',
      since: '2026-09-01T08:00:00.000Z', // the match
      detail: { mentee: 0, menteeNoAddress: 1 },
    });
    for (let minute = 0; minute < 20; minute += 1) {
      s.clock.set(Date.parse('2026-09-14T09:00:00Z') + minute * 60_000);
      await s.scheduler.runOnce();
    }
    const retried = reason(assessProgramme(s.core, programme.programmeId), pairId, 'unreachable')!;
    expect(retried.detail!.mentee).toBeGreaterThanOrEqual(2);
    expect(retried.detail!.menteeNoAddress).toBe(1);
  });
});

describe('a long pause', () => {
  it('is a reason when someone pauses for longer than the rhythm, counted from where the pause began, and ends with the pause', () => {
    s.clock.set('2026-10-05T09:00:00Z');
    expect(say(s, emil, 'pause 20')).toContain('paused');
    expect(codes(assessProgramme(s.core, programme.programmeId), pairId)).not.toContain('long_pause');
    s.clock.set('2026-10-20T09:00:00Z');
    say(s, emil, 'pause 20'); // before the first ended: one pause of 35 days
    expect(reason(assessProgramme(s.core, programme.programmeId), pairId, 'long_pause')).toEqual({
      code: 'long_pause',
      since: '2026-10-05T09:00:00.000Z',
      detail: { menteeUntil: '2026-11-09T09:00:00.000Z' },
    });
    say(s, emil, 'resume');
    expect(codes(assessProgramme(s.core, programme.programmeId), pairId)).not.toContain('long_pause');
  });
});
