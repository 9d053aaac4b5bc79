/**
 * At risk, derived from a pair's facts at the moment asked — never from planned rows, which can be
 * cancelled and are then never planned again. Five reasons, each with when it began, and counts and
 * dates only (never a word anyone wrote):
 * - quiet: nothing held or booked within rhythmDays + quietGraceDays of the last meeting (or of the
 *   match, or the season's start, whichever is later); judged as of the season's end once it is over;
 * - low_checkin: a match check-in rating at or below lowMatchScore (never saying whose);
 * - asked_for_help: an open request for help or for a new match (help_requests);
 * - unreachable: nudges to one of the two keep failing (UNREACHABLE_AFTER since the last that arrived),
 *   or there is no way to reach them at all (no platform address: the app not installed, or not found);
 * - long_pause: one of the two paused reminders for longer than the rhythm.
 * Only reads: it writes nothing, so the desk, chat and CLI may ask as often as they like.
 */
import type { Core } from '../core';
import { getProgramme, seasonEndsAt, type Programme } from '../programme/programmes';
import { atLocalTime, DAY, parseLocalDate } from '../time';

export type RiskCode = 'quiet' | 'low_checkin' | 'asked_for_help' | 'unreachable' | 'long_pause';

export interface RiskReason {
  code: RiskCode;
  /** When the reason began, ISO UTC. */
  since: string;
  /** Counts and dates only, never words. */
  detail?: Record<string, number | string>;
}

export interface PairRisk {
  pairId: number;
  menteeId: number;
  mentorId: number;
  reasons: RiskReason[];
}

/** In the order they are listed everywhere. */
export const riskCodes: readonly RiskCode[] = ['asked_for_help', 'low_checkin', 'quiet', 'unreachable', 'long_pause'];

/** Failed deliveries to one person, since the last that arrived, that make them "unreachable". */
export const UNREACHABLE_AFTER = 2;

/** The lowest rating a check-in has: a check-in at this score needs the coordinator at once. */
export const LOWEST_SCORE = 1;

const iso = (at: number) => new Date(at).toISOString();

/** True when the reason needs action now: a request for help or a new match, a check-in at the lowest score. */
export function isUrgent(reason: RiskReason): boolean {
  return reason.code === 'asked_for_help' || (reason.code === 'low_checkin' && reason.detail?.lowest === LOWEST_SCORE);
}

/** Every active pair of the programme that is at risk now, with its reasons; pairs not at risk are left out. */
export function assessProgramme(core: Core, programmeId: number, now?: Date): PairRisk[] {
  return assess(core, getProgramme(core, programmeId), null, now ? now.getTime() : core.clock.now());
}

/** One pair's reasons now (none when it is not at risk or not active). */
export function assessPair(core: Core, pairId: number, now?: Date): PairRisk | null {
  const row = core.db.prepare("SELECT programme_id AS programmeId FROM pairs WHERE id = ? AND status = 'active'").get(pairId) as { programmeId: number } | undefined;
  if (!row) return null;
  return assess(core, getProgramme(core, row.programmeId), pairId, now ? now.getTime() : core.clock.now())[0] ?? null;
}

interface PairFacts {
  id: number;
  menteeId: number;
  mentorId: number;
  matchedAt: number;
  lastMet: number | null;
  upcoming: number;
}

function assess(core: Core, programme: Programme, pairId: number | null, now: number): PairRisk[] {
  const db = core.db;
  const s = programme.settings;
  const args = { programmeId: programme.id, pairId, now };
  const pairs = db
    .prepare(
      `SELECT p.id, p.mentee_id AS menteeId, p.mentor_id AS mentorId, p.matched_at AS matchedAt,
              (SELECT max(m.starts_at) FROM meetings m WHERE m.pair_id = p.id AND (m.status = 'held' OR (m.status = 'booked' AND m.starts_at <= @now))) AS lastMet,
              EXISTS (SELECT 1 FROM meetings m WHERE m.pair_id = p.id AND m.status = 'booked' AND m.starts_at > @now) AS upcoming
         FROM pairs p WHERE p.programme_id = @programmeId AND p.status = 'active' AND (@pairId IS NULL OR p.id = @pairId)
        ORDER BY p.id`,
    )
    .all(args) as PairFacts[];
  if (pairs.length === 0) return [];
  const reasons = new Map<number, RiskReason[]>(pairs.map((p) => [p.id, []]));
  const add = (id: number, reason: RiskReason) => reasons.get(id)?.push(reason);

  // quiet: judged as of the season's end once the season is over, so a pair quiet at the end stays so.
  const seasonStart = atLocalTime(parseLocalDate(programme.startsOn)!, 0, 0, programme.timezone);
  const at = Math.min(now, seasonEndsAt(programme, programme.timezone));
  const limit = (s.rhythmDays + s.quietGraceDays) * DAY;
  const missedSince = db.prepare("SELECT count(*) AS n FROM meetings WHERE pair_id = ? AND status = 'missed' AND starts_at > ? AND starts_at <= ?");
  for (const p of pairs) {
    if (p.upcoming) continue;
    const anchor = p.lastMet ?? Math.max(p.matchedAt, seasonStart);
    if (at < anchor + limit) continue;
    const detail: Record<string, number | string> = { days: Math.floor((at - anchor) / DAY) };
    if (p.lastMet !== null) detail.lastMeeting = iso(p.lastMet);
    const missed = (missedSince.get(p.id, anchor, now) as { n: number }).n;
    if (missed > 0) detail.missed = missed;
    add(p.id, { code: 'quiet', since: iso(anchor + limit), detail });
  }

  // low_checkin: the lowest rating and how many answers were low; whose, never.
  const checkins = db
    .prepare(
      `SELECT c.pair_id AS pairId, min(min(c.professional, c.personal)) AS lowest, count(*) AS answers, min(c.answered_at) AS first, max(c.answered_at) AS latest
         FROM checkins c JOIN pairs p ON p.id = c.pair_id
        WHERE p.programme_id = @programmeId AND p.status = 'active' AND (@pairId IS NULL OR p.id = @pairId)
          AND min(c.professional, c.personal) <= @low
        GROUP BY c.pair_id`,
    )
    .all({ ...args, low: s.lowMatchScore }) as { pairId: number; lowest: number; answers: number; first: number; latest: number }[];
  for (const c of checkins) add(c.pairId, { code: 'low_checkin', since: iso(c.first), detail: { lowest: c.lowest, answers: c.answers, latest: iso(c.latest) } });

  // asked_for_help: open requests for help or a new match.
  const requests = db
    .prepare(
      `SELECT r.pair_id AS pairId, count(*) AS requests, sum(r.kind = 'rematch') AS rematch, min(r.created_at) AS first, max(r.created_at) AS latest
         FROM help_requests r JOIN pairs p ON p.id = r.pair_id
        WHERE p.programme_id = @programmeId AND p.status = 'active' AND (@pairId IS NULL OR p.id = @pairId) AND r.settled_at IS NULL
        GROUP BY r.pair_id`,
    )
    .all(args) as { pairId: number; requests: number; rematch: number; first: number; latest: number }[];
  for (const r of requests) add(r.pairId, { code: 'asked_for_help', since: iso(r.first), detail: { requests: r.requests, rematch: r.rematch, latest: iso(r.latest) } });

  // unreachable and long_pause are about a person; a person may be in several pairs.
  const people = [...new Set(pairs.flatMap((p) => [p.menteeId, p.mentorId]))];
  const failing = failingDeliveries(core, people);
  const noAddress = withoutAddress(core, people);
  const pauses = longPauses(core, people, now, s.rhythmDays);
  for (const p of pairs) {
    const unreachable = (['mentee', 'mentor'] as const)
      .map((role) => {
        const personId = role === 'mentee' ? p.menteeId : p.mentorId;
        return { role, f: failing.get(personId), none: noAddress.has(personId) };
      })
      .filter((x) => x.f || x.none);
    if (unreachable.length > 0) {
      const detail: Record<string, number> = {};
      for (const x of unreachable) {
        detail[x.role] = x.f?.count ?? 0;
        if (x.none) detail[`${x.role}NoAddress`] = 1;
      }
      add(p.id, { code: 'unreachable', since: iso(Math.min(...unreachable.map((x) => (x.f ? x.f.first : p.matchedAt)))), detail });
    }
    const paused = (['mentee', 'mentor'] as const).map((role) => ({ role, q: pauses.get(role === 'mentee' ? p.menteeId : p.mentorId) })).filter((x) => x.q);
    if (paused.length > 0) {
      add(p.id, {
        code: 'long_pause',
        since: iso(Math.min(...paused.map((x) => x.q!.since))),
        detail: Object.fromEntries(paused.map((x) => [`${x.role}Until`, iso(x.q!.until)])),
      });
    }
  }

  return pairs
    .filter((p) => reasons.get(p.id)!.length > 0)
    .map((p) => ({
      pairId: p.id,
      menteeId: p.menteeId,
      mentorId: p.mentorId,
      reasons: reasons.get(p.id)!.sort((a, b) => riskCodes.indexOf(a.code) - riskCodes.indexOf(b.code)),
    }));
}

/**
 * People whose messages keep failing: at least UNREACHABLE_AFTER nudges that failed for good (as
 * deliveries, not for a fault of our own) or are being retried after repeated failures, all due at
 * or after the moment the last message reached them. Their count, and when the first of them was due.
 */
function failingDeliveries(core: Core, people: number[]): Map<number, { count: number; first: number }> {
  const rows = core.db
    .prepare(
      `WITH folk AS (SELECT value AS person_id FROM json_each(@people)),
            reached AS (SELECT f.person_id, coalesce((SELECT max(d.delivered_at) FROM nudges d WHERE d.person_id = f.person_id AND d.status = 'delivered'
                                                       AND coalesce(d.platform_message_id, '') NOT LIKE 'silent:%'), 0) AS at FROM folk f)
       SELECT n.person_id AS personId, count(*) AS count, min(coalesce(n.seq_at, n.due_at)) AS first
         FROM reached r JOIN nudges n ON n.person_id = r.person_id
        WHERE n.status IN ('failed', 'pending') AND n.last_error IS NOT NULL
          AND ((n.status = 'failed' AND n.last_error NOT LIKE 'no task handles%' AND n.last_error NOT LIKE 'payload %'
                AND n.last_error NOT LIKE 'compose failed%' AND n.last_error <> 'the person is gone')
               OR (n.status = 'pending' AND n.attempts >= 2))
          AND coalesce(n.seq_at, n.due_at) >= r.at
        GROUP BY n.person_id HAVING count(*) >= @threshold`,
    )
    .all({ people: JSON.stringify(people), threshold: UNREACHABLE_AFTER }) as { personId: number; count: number; first: number }[];
  return new Map(rows.map((r) => [r.personId, { count: r.count, first: r.first }]));
}

/** People Sparring has no way to reach at all: no platform identity with an address (the app not installed, or not found). */
function withoutAddress(core: Core, people: number[]): Set<number> {
  const ids = core.db
    .prepare('SELECT f.value FROM json_each(?) f WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = f.value AND i.address IS NOT NULL)')
    .pluck()
    .all(JSON.stringify(people)) as number[];
  return new Set(ids);
}

/** People paused now for longer than the rhythm, counted from where their continuous pause began. */
function longPauses(core: Core, people: number[], now: number, rhythmDays: number): Map<number, { since: number; until: number }> {
  const rows = core.db
    .prepare('SELECT id, paused_until AS until, paused_since AS since FROM people WHERE id IN (SELECT value FROM json_each(?)) AND paused_until > ?')
    .all(JSON.stringify(people), now) as { id: number; until: number; since: number | null }[];
  const result = new Map<number, { since: number; until: number }>();
  for (const row of rows) {
    const since = row.since ?? now;
    if (row.until - since > rhythmDays * DAY) result.set(row.id, { since, until: row.until });
  }
  return result;
}
