/**
 * The coordinator's export: one row per pair with activity counts and dates, for a spreadsheet.
 * Also how every CSV Sparring writes is made (csvFile): UTF-8 with a byte-order mark and CRLF line
 * ends, so Excel on Windows shows æ, ø and å, and with formula cells neutralised, so a name such as
 * =HYPERLINK(…) is text in the spreadsheet, never a live formula.
 */
import type { Core } from '../core';
import { assessProgramme, riskCodes } from './risk';

/** A cell: text, a number, or empty (null or undefined). */
export type CsvValue = string | number | null | undefined;

/** Excel (and LibreOffice, Google Sheets) read a cell starting with one of these as a formula; fullwidth forms too. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text cell that would start a formula gets a leading apostrophe (OWASP's advice, as csv-stringify's escape_formulas). */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: byte-order mark, one line per row, CRLF after every line (RFC 4180). */
export function csvFile(rows: CsvValue[][]): string {
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',') + '\r\n').join('');
}

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
              p.job_shadowing
         FROM pairs p JOIN people me ON me.id = p.mentee_id JOIN people mo ON mo.id = p.mentor_id
        WHERE p.programme_id = @programmeId ORDER BY me.name`,
    )
    .all({ programmeId, now: core.clock.now() }) as Record<string, CsvValue>[];
  // At risk: the pair's reasons now, as the coordinator's flags have them (risk.ts), e.g. "low_checkin;quiet".
  const risks = new Map(assessProgramme(core, programmeId).map((r) => [r.pairId, riskCodes.filter((c) => r.reasons.some((x) => x.code === c)).join(';')]));
  const header = ['pair', 'mentee', 'mentee_email', 'mentor', 'mentor_email', 'status', 'matched', 'meetings_held', 'meetings_cancelled', 'meetings_missed', 'preps_completed', 'summaries_written', 'last_meeting', 'next_meeting', 'job_shadowing', 'at_risk'];
  return csvFile([
    header,
    ...rows.map((r) => [r.id, r.mentee, r.mentee_email, r.mentor, r.mentor_email, r.status, day(r.matched_at as number), r.held, r.cancelled, r.missed, r.preps, r.summaries, day(r.last_meeting as number | null), day(r.next_meeting as number | null), r.job_shadowing, risks.get(r.id as number) || null]),
  ]);
}
