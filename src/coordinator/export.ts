/** The coordinator's export: one row per pair with activity counts and dates, for a spreadsheet. */
import type { Core } from '../core';

const cell = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

export function pairsCsv(core: Core, programmeId: number): string {
  const rows = core.db
    .prepare(
      `SELECT p.id, me.name AS mentee, me.email AS mentee_email, mo.name AS mentor, mo.email AS mentor_email, p.status, p.matched_at,
              (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'held') AS held,
              (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'cancelled') AS cancelled,
              (SELECT count(*) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'missed') AS missed,
              (SELECT count(*) FROM preps x JOIN meetings m ON m.id = x.meeting_id WHERE m.pair_id = p.id AND x.completed_at IS NOT NULL) AS preps,
              (SELECT count(*) FROM summaries s JOIN meetings m ON m.id = s.meeting_id WHERE m.pair_id = p.id) AS summaries,
              (SELECT max(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'held') AS last_meeting,
              (SELECT min(starts_at) FROM meetings m WHERE m.pair_id = p.id AND m.status = 'booked' AND m.starts_at > @now) AS next_meeting,
              p.job_shadowing, p.at_risk_reason
         FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id
        WHERE p.programme_id = @programmeId ORDER BY me.name`,
    )
    .all({ programmeId, now: core.clock.now() }) as Record<string, string | number | null>[];
  const header = ['pair', 'mentee', 'mentee_email', 'mentor', 'mentor_email', 'status', 'matched', 'meetings_held', 'meetings_cancelled', 'meetings_missed', 'preps_completed', 'summaries_written', 'last_meeting', 'next_meeting', 'job_shadowing', 'at_risk'];
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push(
      [r.id, r.mentee, r.mentee_email, r.mentor, r.mentor_email, r.status, day(r.matched_at as number), r.held, r.cancelled, r.missed, r.preps, r.summaries, day(r.last_meeting as number | null), day(r.next_meeting as number | null), r.job_shadowing, r.at_risk_reason]
        .map((v) => cell(v as string | number | null))
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
