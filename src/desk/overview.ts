/**
 * What the desk's overview, participants page and report add to the coordinator's status: meetings
 * week by week, how many held meetings were prepared and summed up, how each participant can be
 * reached, and the mentors' answers to the one survey question the coordinator reads. Counts and
 * dates only, except those answers, which the question itself says the coordinator reads.
 */
import type { Core } from '../core';
import type { Programme } from '../programme/programmes';
import type { Role } from '../people';
import type { PairRisk } from '../coordinator/risk';
import { atLocalTime, localParts, parseLocalDate, shiftLocalDate } from '../time';

export interface Week {
  /** Monday 00:00 of the week, in the programme's zone. */
  startsAt: number;
  held: number;
  booked: number;
}

/** Meetings held and booked (by the week they take place), Monday to Sunday, over the season. */
export function meetingsByWeek(core: Core, programme: Programme): Week[] {
  const zone = programme.timezone;
  const start = atLocalTime(parseLocalDate(programme.startsOn)!, 12, 0, zone);
  const end = atLocalTime(parseLocalDate(programme.endsOn)!, 12, 0, zone);
  const weekday = (localParts(start, zone).weekday + 6) % 7; // Monday 0
  const weeks: Week[] = [];
  for (let at = shiftLocalDateAt(start, -weekday, zone); at <= end && weeks.length < 104; at = shiftLocalDateAt(at, 7, zone)) weeks.push({ startsAt: at, held: 0, booked: 0 });
  if (weeks.length === 0) return weeks;
  const rows = core.db
    .prepare(
      `SELECT m.starts_at AS at, m.status FROM meetings m JOIN pairs p ON p.id = m.pair_id
        WHERE p.programme_id = ? AND m.status IN ('held', 'booked') AND m.starts_at >= ?`,
    )
    .all(programme.id, weeks[0]!.startsAt) as { at: number; status: 'held' | 'booked' }[];
  const after = shiftLocalDateAt(weeks[weeks.length - 1]!.startsAt, 7, zone);
  for (const r of rows) {
    if (r.at >= after) continue;
    let i = weeks.length - 1;
    while (i > 0 && weeks[i]!.startsAt > r.at) i -= 1;
    weeks[i]![r.status] += 1;
  }
  return weeks;
}

/** Midnight at the start of the local day `days` days after `at`'s. */
function shiftLocalDateAt(at: number, days: number, zone: string): number {
  return atLocalTime(shiftLocalDate(at, days, zone), 0, 0, zone);
}

export interface Rates {
  held: number;
  /** Held meetings the mentee prepared for. */
  prepared: number;
  /** Held meetings with a summary. */
  summarised: number;
}

export function preparationAndSummaryRates(core: Core, programmeId: number): Rates {
  return core.db
    .prepare(
      `SELECT count(*) AS held,
              coalesce(sum(EXISTS (SELECT 1 FROM preps x WHERE x.meeting_id = m.id AND x.completed_at IS NOT NULL)), 0) AS prepared,
              coalesce(sum(EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = m.id)), 0) AS summarised
         FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ? AND m.status = 'held'`,
    )
    .get(programmeId) as Rates;
}

export type Reach = 'reachable' | 'notInstalled' | 'failing' | 'none';

export interface ParticipantReach {
  personId: number;
  name: string;
  email: string | null;
  role: Role;
  locale: string | null;
  /** Platforms the person can be reached on now. */
  platforms: string[];
  /** Platforms where the person is known but cannot be reached yet (the Teams app not installed). */
  waiting: string[];
  reach: Reach;
  /** Since when messages to the person keep failing (risk.ts's "unreachable"), if they do. */
  failingSince: number | null;
  pausedUntil: number | null;
}

/**
 * Every participant with how Sparring reaches them. `platforms` are the ones this process delivers
 * on (absent: any), so an address elsewhere does not count; `failing` is whom messages keep failing
 * to, and since when, as risk.ts judges it.
 */
export function participantsReach(core: Core, programmeId: number, failing: ReadonlyMap<number, number>, platforms?: readonly string[]): ParticipantReach[] {
  const rows = core.db
    .prepare(
      `SELECT p.id AS personId, p.name, p.email, p.locale, pa.role, p.paused_until AS pausedUntil,
              (SELECT group_concat(i.platform || '=' || (i.address IS NOT NULL)) FROM identities i WHERE i.person_id = p.id) AS identities
         FROM participants pa JOIN people p ON p.id = pa.person_id
        WHERE pa.programme_id = ?
        ORDER BY CASE pa.role WHEN 'mentee' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END, p.name, p.id`,
    )
    .all(programmeId) as (Omit<ParticipantReach, 'platforms' | 'waiting' | 'reach' | 'failingSince'> & { identities: string | null })[];
  const counts = (platform: string) => !platforms || platforms.includes(platform);
  const now = core.clock.now();
  return rows.map(({ identities, ...r }) => {
    const list = (identities ?? '').split(',').filter(Boolean).map((x) => x.split('=') as [string, string]);
    const reachable = [...new Set(list.filter(([p, has]) => has === '1' && counts(p)).map(([p]) => p))].sort();
    const waiting = [...new Set(list.filter(([p, has]) => has === '0' && counts(p)).map(([p]) => p))].sort();
    const failingSince = failing.get(r.personId) ?? null;
    const reach: Reach = reachable.length === 0 ? (waiting.length > 0 ? 'notInstalled' : 'none') : failingSince !== null ? 'failing' : 'reachable';
    return { ...r, pausedUntil: r.pausedUntil !== null && r.pausedUntil > now ? r.pausedUntil : null, platforms: reachable, waiting, reach, failingSince };
  });
}

/**
 * The mentors' answers to "what have you learned about the degree programme", which the survey tells
 * them the coordinator reads. Without names, in alphabetical order (not the order they came in).
 */
export function mentorsLearned(core: Core, programmeId: number): string[] {
  return (
    core.db
      .prepare("SELECT text FROM survey_responses WHERE programme_id = ? AND role = 'mentor' AND item = 'learned' AND text IS NOT NULL AND trim(text) <> '' ORDER BY text")
      .all(programmeId) as { text: string }[]
  ).map((r) => r.text);
}

/** Whom messages keep failing to, and since when, from the pairs' "unreachable" reasons (risk.ts). */
export function failingPeople(risks: readonly PairRisk[]): Map<number, number> {
  const failing = new Map<number, number>();
  for (const r of risks) {
    for (const reason of r.reasons) {
      if (reason.code !== 'unreachable') continue;
      const since = Date.parse(reason.since);
      for (const [role, personId] of [['mentee', r.menteeId], ['mentor', r.mentorId]] as const) {
        if (reason.detail?.[role] === undefined) continue;
        failing.set(personId, Math.min(failing.get(personId) ?? since, since));
      }
    }
  }
  return failing;
}
