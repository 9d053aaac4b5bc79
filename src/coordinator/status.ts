/**
 * What a coordinator sees of a programme: counts, dates and flags. Never what anyone wrote in a
 * dialogue: the queries here read no free-text column.
 */
import type { Core } from '../core';

export interface AtRisk {
  pairId: number;
  mentee: string;
  mentor: string;
  reasons: ('quiet' | 'low_match' | 'unreachable')[];
  since: number | null;
}

export interface ProgrammeStatus {
  participants: { mentee: number; mentor: number; coordinator: number };
  pairs: { active: number; ended: number };
  meetings: { held: number; upcoming: number; cancelled: number; missed: number };
  meetingsPerPair: { average: number; distribution: Record<string, number> };
  pairsWithoutMeeting: number;
  prepsCompleted: number;
  summariesWritten: number;
  surveys: { answered: number; asked: number };
  paused: { name: string; until: number }[];
  atRisk: AtRisk[];
}

export function programmeStatus(core: Core, programmeId: number): ProgrammeStatus {
  const db = core.db;
  const now = core.clock.now();
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const roles = Object.fromEntries(
    (db.prepare('SELECT role, count(*) AS n FROM participants WHERE programme_id = ? GROUP BY role').all(programmeId) as { role: string; n: number }[]).map((r) => [r.role, r.n]),
  );
  const meetingCount = (where: string) =>
    count(`SELECT count(*) AS n FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ? AND ${where}`, programmeId, ...(where.includes('?') ? [now] : []));
  const perPair = db
    .prepare(
      `SELECT p.id, (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'held') AS held
         FROM pairs p WHERE p.programme_id = ? AND p.status = 'active'`,
    )
    .all(programmeId) as { id: number; held: number }[];
  const distribution: Record<string, number> = {};
  for (const p of perPair) distribution[String(p.held)] = (distribution[String(p.held)] ?? 0) + 1;
  return {
    participants: { mentee: roles.mentee ?? 0, mentor: roles.mentor ?? 0, coordinator: roles.coordinator ?? 0 },
    pairs: {
      active: count("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'active'", programmeId),
      ended: count("SELECT count(*) AS n FROM pairs WHERE programme_id = ? AND status = 'ended'", programmeId),
    },
    meetings: {
      held: meetingCount("m.status = 'held'"),
      upcoming: meetingCount("m.status = 'booked' AND m.starts_at > ?"),
      cancelled: meetingCount("m.status = 'cancelled'"),
      missed: meetingCount("m.status = 'missed'"),
    },
    meetingsPerPair: {
      average: perPair.length === 0 ? 0 : Math.round((perPair.reduce((s, p) => s + p.held, 0) / perPair.length) * 10) / 10,
      distribution,
    },
    pairsWithoutMeeting: count(
      `SELECT count(*) AS n FROM pairs p WHERE p.programme_id = ? AND p.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.pair_id = p.id AND m.status IN ('booked', 'held'))`,
      programmeId,
    ),
    prepsCompleted: count('SELECT count(*) AS n FROM preps x JOIN meetings m ON m.id = x.meeting_id JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ? AND x.completed_at IS NOT NULL', programmeId),
    summariesWritten: count('SELECT count(*) AS n FROM summaries s JOIN meetings m ON m.id = s.meeting_id JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ?', programmeId),
    surveys: {
      answered: count('SELECT count(DISTINCT person_id) AS n FROM survey_responses WHERE programme_id = ?', programmeId),
      asked: count("SELECT count(DISTINCT person_id) AS n FROM nudges WHERE kind = 'survey.ask' AND status = 'delivered' AND subject = ?", `survey:${programmeId}`),
    },
    paused: db
      .prepare(
        `SELECT p.name, p.paused_until AS until FROM people p JOIN participants pa ON pa.person_id = p.id
          WHERE pa.programme_id = ? AND p.paused_until > ? ORDER BY p.paused_until`,
      )
      .all(programmeId, now) as { name: string; until: number }[],
    atRisk: atRiskPairs(core, programmeId),
  };
}

/** Pairs that need the coordinator: quiet, a low match score, or someone Sparring cannot reach. */
export function atRiskPairs(core: Core, programmeId: number): AtRisk[] {
  const rows = core.db
    .prepare(
      `SELECT p.id AS pairId, me.name AS mentee, mo.name AS mentor, p.at_risk_reason AS reason, p.at_risk_since AS since,
              (SELECT count(*) FROM people x WHERE x.id IN (p.mentee_id, p.mentor_id)
                 AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = x.id AND i.address IS NOT NULL)) AS unreachable
         FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id
        WHERE p.programme_id = ? AND p.status = 'active'
          AND (p.at_risk_since IS NOT NULL OR EXISTS (
                SELECT 1 FROM people x WHERE x.id IN (p.mentee_id, p.mentor_id)
                   AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = x.id AND i.address IS NOT NULL)))
        ORDER BY p.at_risk_since, p.id`,
    )
    .all(programmeId) as { pairId: number; mentee: string; mentor: string; reason: 'quiet' | 'low_match' | null; since: number | null; unreachable: number }[];
  return rows.map((r) => ({
    pairId: r.pairId,
    mentee: r.mentee,
    mentor: r.mentor,
    since: r.since,
    reasons: [...(r.reason ? [r.reason] : []), ...(r.unreachable > 0 ? (['unreachable'] as const) : [])],
  }));
}

export interface PairLine {
  pairId: number;
  mentee: string;
  mentor: string;
  held: number;
  lastMeeting: number | null;
  nextMeeting: number | null;
  atRisk: string | null;
  jobShadowing: string | null;
}

export function pairLines(core: Core, programmeId: number, onlyAtRisk = false): PairLine[] {
  const now = core.clock.now();
  return core.db
    .prepare(
      `SELECT p.id AS pairId, me.name AS mentee, mo.name AS mentor, p.at_risk_reason AS atRisk, p.job_shadowing AS jobShadowing,
              (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'held') AS held,
              (SELECT max(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status IN ('held', 'booked') AND m.starts_at <= @now) AS lastMeeting,
              (SELECT min(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'booked' AND m.starts_at > @now) AS nextMeeting
         FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id
        WHERE p.programme_id = @programmeId AND p.status = 'active' ${onlyAtRisk ? 'AND p.at_risk_since IS NOT NULL' : ''}
        ORDER BY me.name`,
    )
    .all({ now, programmeId }) as PairLine[];
}
