/**
 * Keeping the nudges table small and free of old text. Delivered and dropped rows are deleted once
 * they are older than the programme's `keepDeliveredDays` (the longest of the person's programmes;
 * 30 days for someone in none); a reply's payload, which holds what the bot wrote, is emptied once the
 * reply is delivered, dropped, failed or cancelled. Also: at start, rows a dead process left in flight.
 */
import type { Core } from '../core';
import { REPLY } from '../replies';
import { parseSettings } from '../programme/settings';
import { DAY } from '../time';

export const DEFAULT_KEEP_DELIVERED_DAYS = 30;

export interface Housekeeping {
  /** Rows deleted. */
  deleted: number;
  /** Reply payloads emptied. */
  cleared: number;
}

/** Each programme's keepDeliveredDays, as JSON for json_each: {"<programme id>": days}. */
function keepDaysByProgramme(core: Core): string {
  const rows = core.db.prepare('SELECT id, settings FROM programmes').all() as { id: number; settings: string }[];
  const days: Record<string, number> = {};
  for (const row of rows) {
    let keep: number | undefined;
    try {
      keep = (parseSettings(row.settings) as { keepDeliveredDays?: number }).keepDeliveredDays;
    } catch {
      keep = undefined;
    }
    days[String(row.id)] = keep ?? DEFAULT_KEEP_DELIVERED_DAYS;
  }
  return JSON.stringify(days);
}

export function housekeep(core: Core): Housekeeping {
  const now = core.clock.now();
  return core.db
    .transaction((): Housekeeping => {
      const deleted = core.db
        .prepare(
          `WITH keep AS (SELECT CAST(key AS INTEGER) AS programme_id, value AS days FROM json_each(@keep)),
                person_keep AS (SELECT p.person_id, max(k.days) AS days FROM participants p JOIN keep k ON k.programme_id = p.programme_id GROUP BY p.person_id)
           DELETE FROM nudges
            WHERE status IN ('delivered', 'dropped')
              AND coalesce(delivered_at, due_at) < @now - coalesce((SELECT days FROM person_keep WHERE person_keep.person_id = nudges.person_id), @fallback) * @day`,
        )
        .run({ keep: keepDaysByProgramme(core), now, fallback: DEFAULT_KEEP_DELIVERED_DAYS, day: DAY }).changes;
      const cleared = core.db
        .prepare(
          `UPDATE nudges SET payload = '{}'
            WHERE kind = @reply AND payload <> '{}' AND status IN ('delivered', 'dropped', 'failed', 'cancelled')`,
        )
        .run({ reply: REPLY }).changes;
      return { deleted, cleared };
    })
    .immediate();
}

/**
 * Rows in flight under another owner, when this process holds the database's process lock: their
 * process is gone (only one runs per file), so their leases end now and the first tick takes them
 * back, in doubt, instead of waiting out the lease. Returns how many.
 */
export function endLeasesOfDeadOwners(core: Core, owner: string): number {
  return core.db
    .prepare("UPDATE nudges SET lease_until = @now WHERE status = 'sending' AND (locked_by IS NULL OR locked_by <> @owner) AND coalesce(lease_until, 0) > @now")
    .run({ owner, now: core.clock.now() }).changes;
}
