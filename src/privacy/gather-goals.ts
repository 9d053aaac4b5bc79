/**
 * A person's goals, growth and get-to-know answers, for `mydata` and `export-person` (see
 * person-data.ts): a mentee's goals with their own progress ratings; where they stood on the eight
 * statements at the start and the end; a mentor's get-to-know answers, and for a mentee those their
 * mentor shared. Only their own words, and what was sent to them.
 */
import type { Core } from '../core';
import type { Person } from '../people';
import { iso } from './gather-season';
import type { PersonExport } from './person-data';

const firstName = (name: string | null | undefined) => (name ?? '?').trim().split(/\s+/)[0] ?? '?';
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function gatherGoals(core: Core, person: Person): Pick<PersonExport, 'introductions' | 'goals' | 'growth'> {
  const db = core.db;
  const goals = db
    .prepare(
      `SELECT g.id, g.pair_id, g.text, g.created_at, g.dropped_at, mo.name AS mentor
         FROM goals g JOIN pairs p ON p.id = g.pair_id LEFT JOIN people mo ON mo.id = p.mentor_id
        WHERE p.mentee_id = ? ORDER BY g.pair_id, g.position, g.id`,
    )
    .all(person.id) as { id: number; pair_id: number; text: string | null; created_at: number; dropped_at: number | null; mentor: string | null }[];
  const ratings = db.prepare("SELECT moment, progress, answered_at FROM goal_ratings WHERE goal_id = ? ORDER BY CASE moment WHEN 'mid' THEN 0 ELSE 1 END");

  const growth = db
    .prepare(
      `SELECT g.name AS programme, o.item, o.baseline, o.baseline_at, o.final, o.final_at
         FROM outcome_growth o JOIN programmes g ON g.id = o.programme_id WHERE o.person_id = ? ORDER BY g.id, o.rowid`,
    )
    .all(person.id) as { programme: string; item: string; baseline: number | null; baseline_at: number | null; final: number | null; final_at: number | null }[];

  // The person's own answers (as a mentor), and those a mentor shared with them (as a mentee).
  const introductions = db
    .prepare(
      `SELECT i.pair_id, i.author_id, i.about, i.curious, i.shared, i.answered_at, me.name AS mentee, mo.name AS mentor
         FROM introductions i JOIN pairs p ON p.id = i.pair_id
         LEFT JOIN people me ON me.id = p.mentee_id LEFT JOIN people mo ON mo.id = p.mentor_id
        WHERE (i.author_id = ? OR (p.mentee_id = ? AND i.shared = 1)) AND (i.about IS NOT NULL OR i.curious IS NOT NULL)
        ORDER BY i.answered_at, i.pair_id`,
    )
    .all(person.id, person.id) as { pair_id: number; author_id: number; about: string | null; curious: string | null; shared: number | null; answered_at: number; mentee: string | null; mentor: string | null }[];

  return {
    introductions: introductions.map((i) => {
      const yours = i.author_id === person.id;
      return {
        pairId: i.pair_id,
        partner: firstName(yours ? i.mentee : i.mentor),
        whose: yours ? ('yours' as const) : ('sharedWithYou' as const),
        about: i.about,
        curious: i.curious,
        shared: i.shared === null ? null : i.shared === 1,
        answeredAt: iso(i.answered_at),
      };
    }),
    goals: goals.map((g) => ({
      pairId: g.pair_id,
      partner: firstName(g.mentor),
      goal: g.text,
      createdAt: iso(g.created_at),
      droppedAt: isoOrNull(g.dropped_at),
      progress: (ratings.all(g.id) as { moment: 'mid' | 'end'; progress: number; answered_at: number }[]).map((r) => ({ moment: r.moment, value: r.progress, answeredAt: iso(r.answered_at) })),
    })),
    growth: growth.map((o) => ({ programme: o.programme, item: o.item, start: o.baseline, startedAt: isoOrNull(o.baseline_at), end: o.final, endedAt: isoOrNull(o.final_at) })),
  };
}
