/**
 * What a coordinator sees of a programme: counts, dates and flags. Never what anyone wrote in a
 * dialogue: the queries here read no free-text column. The flags are synced with the pairs' facts
 * first (flags.ts), so what is shown is true at the moment asked.
 */
import type { Core } from '../core';
import { DAY } from '../time';
import { getFlag, liveFlags, pairFlags, syncProgrammeFlags, type Flag } from './flags';
import type { RiskCode } from './risk';
import { flagLine, pairNames, reasonText, type PairNames, type Reader } from './risk-text';

export interface AtRisk {
  pairId: number;
  mentee: string;
  mentor: string;
  reasons: RiskCode[];
  /** When the oldest of its reasons began. */
  since: number | null;
  /** Its open and acknowledged flags. */
  flags: Flag[];
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

/** Pairs that need the coordinator: those with an open or acknowledged flag, oldest first. */
export function atRiskPairs(core: Core, programmeId: number): AtRisk[] {
  syncProgrammeFlags(core, programmeId);
  const byPair = new Map<number, Flag[]>();
  for (const f of liveFlags(core, programmeId).filter((f) => f.state !== 'resolved')) byPair.set(f.pairId, [...(byPair.get(f.pairId) ?? []), f]);
  return [...byPair.entries()]
    .map(([pairId, flags]) => {
      const names = pairNames(core, pairId);
      return { pairId, ...names, reasons: flags.map((f) => f.code), since: Math.min(...flags.map((f) => Date.parse(f.since))), flags };
    })
    .sort((a, b) => (a.since ?? 0) - (b.since ?? 0) || a.pairId - b.pairId);
}

const SHOWN = 25;

/**
 * The flags part of `status`: open, acknowledged, and resolved in the last 30 days, each with its
 * reason, since when, its number for the flag command and the coordinators' notes.
 */
export function riskSection(core: Core, reader: Reader, programmeId: number): string[] {
  const t = (key: string, vars = {}) => core.text.t(reader.locale, key, vars);
  syncProgrammeFlags(core, programmeId);
  const live = liveFlags(core, programmeId);
  const open = live.filter((f) => f.state === 'open');
  const acknowledged = live.filter((f) => f.state === 'acknowledged');
  const resolved = (core.db.prepare("SELECT id FROM flags WHERE programme_id = ? AND state = 'resolved' AND resolved_at >= ? ORDER BY resolved_at DESC, id DESC").pluck().all(programmeId, core.clock.now() - 30 * DAY) as number[])
    .map((id) => live.find((f) => f.id === id) ?? getFlag(core, id))
    .filter((f): f is Flag => f !== null);
  if (open.length + acknowledged.length + resolved.length === 0) return [t('risk.status.none')];
  const names = new Map<number, PairNames>();
  const nameOf = (pairId: number) => names.get(pairId) ?? names.set(pairId, pairNames(core, pairId)).get(pairId)!;
  const lines = [t('risk.status.title', { open: open.length, acknowledged: acknowledged.length, resolved: resolved.length })];
  const part = (title: string, flags: Flag[], max: number) => {
    if (flags.length === 0) return;
    lines.push(t(title), ...flags.slice(0, max).map((f) => flagLine(core, reader, f, nameOf(f.pairId), true)));
    if (flags.length > max) lines.push(t('risk.status.more', { n: flags.length - max }));
  };
  part('risk.status.open', open, SHOWN);
  part('risk.status.acknowledged', acknowledged, SHOWN);
  part('risk.status.resolved', resolved, 10);
  const example = open[0] ?? acknowledged[0];
  if (example) lines.push(t('risk.status.hint', { id: example.id }));
  return lines;
}

/** The pair's open and acknowledged flags as a short mark for a list line: " ⚠ no meeting … · flag 3". */
export function flagMark(core: Core, reader: Reader, line: { pairId: number; mentee: string; mentor: string; flags: Flag[] }): string {
  if (line.flags.length === 0) return '';
  const names = { mentee: line.mentee, mentor: line.mentor };
  return ` ⚠ ${line.flags.map((f) => core.text.t(reader.locale, 'risk.mark', { reason: reasonText(core, reader, f.code, f.detail, names), id: f.id })).join(' · ')}`;
}

/** The pair's live flags as lines, with their state and notes (for `pair @x`). */
export function pairFlagLines(core: Core, reader: Reader, pairId: number): string[] {
  const names = pairNames(core, pairId);
  return pairFlags(core, pairId).map((f) => `⚠ ${flagLine(core, reader, f, names, true).replace(/^• /, '')}`);
}

export interface PairLine {
  pairId: number;
  mentee: string;
  mentor: string;
  held: number;
  lastMeeting: number | null;
  nextMeeting: number | null;
  /** The code of its first open or acknowledged flag, if any. */
  atRisk: RiskCode | null;
  /** Its open and acknowledged flags. */
  flags: Flag[];
  jobShadowing: string | null;
}

/** Every active pair (or those with an open or acknowledged flag), by the mentee's name. */
export function pairLines(core: Core, programmeId: number, onlyAtRisk = false): PairLine[] {
  const now = core.clock.now();
  syncProgrammeFlags(core, programmeId);
  const flags = new Map<number, Flag[]>();
  for (const f of liveFlags(core, programmeId).filter((f) => f.state !== 'resolved')) flags.set(f.pairId, [...(flags.get(f.pairId) ?? []), f]);
  const rows = core.db
    .prepare(
      `SELECT p.id AS pairId, me.name AS mentee, mo.name AS mentor, p.job_shadowing AS jobShadowing,
              (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'held') AS held,
              (SELECT max(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status IN ('held', 'booked') AND m.starts_at <= @now) AS lastMeeting,
              (SELECT min(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'booked' AND m.starts_at > @now) AS nextMeeting
         FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id
        WHERE p.programme_id = @programmeId AND p.status = 'active'
        ORDER BY me.name`,
    )
    .all({ now, programmeId }) as Omit<PairLine, 'atRisk' | 'flags'>[];
  return rows
    .map((r) => ({ ...r, flags: flags.get(r.pairId) ?? [], atRisk: flags.get(r.pairId)?.[0]?.code ?? null }))
    .filter((r) => !onlyAtRisk || r.flags.length > 0);
}
