/**
 * The pairs as the desk shows them: dates, counts and a state, never what anyone wrote (the queries
 * read no free-text column). Whether a pair is at risk, and its flags, come from risk.ts and flags.ts.
 */
import type { Core } from '../core';

/** Where a pair is: not met yet, a meeting booked, met with nothing booked, or ended. */
export const pairStates = ['new', 'booked', 'met', 'ended'] as const;
export type PairState = (typeof pairStates)[number];

export interface PairFacts {
  pairId: number;
  menteeId: number;
  mentee: string;
  mentorId: number;
  mentor: string;
  state: PairState;
  matchedAt: number;
  endedAt: number | null;
  held: number;
  upcoming: number;
  cancelled: number;
  missed: number;
  preps: number;
  summaries: number;
  checkins: number;
  lastMeeting: number | null;
  nextMeeting: number | null;
  jobShadowing: string | null;
}

const factsSql = `
  SELECT p.id AS pairId, p.mentee_id AS menteeId, me.name AS mentee, p.mentor_id AS mentorId, mo.name AS mentor,
         p.status, p.matched_at AS matchedAt, p.ended_at AS endedAt, p.job_shadowing AS jobShadowing,
         (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'held') AS held,
         (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'booked' AND m.starts_at > @now) AS upcoming,
         (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'cancelled') AS cancelled,
         (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'missed') AS missed,
         (SELECT count(*) FROM preps x JOIN meetings m ON m.id = x.meeting_id WHERE m.pair_id = p.id AND x.completed_at IS NOT NULL) AS preps,
         (SELECT count(*) FROM summaries s JOIN meetings m ON m.id = s.meeting_id WHERE m.pair_id = p.id) AS summaries,
         (SELECT count(*) FROM checkins c WHERE c.pair_id = p.id) AS checkins,
         (SELECT max(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status IN ('held', 'booked') AND m.starts_at <= @now) AS lastMeeting,
         (SELECT min(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'booked' AND m.starts_at > @now) AS nextMeeting
    FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id`;

type FactsRow = Omit<PairFacts, 'state'> & { status: 'active' | 'ended' };

const withState = ({ status, ...r }: FactsRow): PairFacts => ({
  ...r,
  state: status === 'ended' ? 'ended' : r.upcoming > 0 ? 'booked' : r.held > 0 ? 'met' : 'new',
});

/** Every pair of the programme, active ones first, by the mentee's name. */
export function pairFacts(core: Core, programmeId: number): PairFacts[] {
  const rows = core.db
    .prepare(`${factsSql} WHERE p.programme_id = @programmeId ORDER BY p.status = 'ended', me.name, p.id`)
    .all({ programmeId, now: core.clock.now() }) as FactsRow[];
  return rows.map(withState);
}

/** One pair of the programme (null when the pair is not in it). */
export function onePair(core: Core, programmeId: number, pairId: number): PairFacts | null {
  const row = core.db.prepare(`${factsSql} WHERE p.programme_id = @programmeId AND p.id = @pairId`).get({ programmeId, pairId, now: core.clock.now() }) as FactsRow | undefined;
  return row ? withState(row) : null;
}

export interface MeetingFacts {
  startsAt: number;
  durationMin: number;
  status: 'booked' | 'held' | 'cancelled' | 'missed';
  prepared: boolean;
  summarised: boolean;
}

/** The pair's meetings in time order: when, how long, what became of them, whether prepared and summed up. */
export function pairMeetings(core: Core, pairId: number): MeetingFacts[] {
  const rows = core.db
    .prepare(
      `SELECT m.starts_at AS startsAt, m.duration_min AS durationMin, m.status,
              EXISTS (SELECT 1 FROM preps x WHERE x.meeting_id = m.id AND x.completed_at IS NOT NULL) AS prepared,
              EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = m.id) AS summarised
         FROM meetings m WHERE m.pair_id = ? ORDER BY m.starts_at, m.id`,
    )
    .all(pairId) as (Omit<MeetingFacts, 'prepared' | 'summarised'> & { prepared: number; summarised: number })[];
  return rows.map((r) => ({ ...r, prepared: r.prepared === 1, summarised: r.summarised === 1 }));
}

/** How many pairs are in each state. */
export function countByState(pairs: PairFacts[]): Record<PairState, number> {
  const counts: Record<PairState, number> = { new: 0, booked: 0, met: 0, ended: 0 };
  for (const p of pairs) counts[p.state] += 1;
  return counts;
}
