/**
 * The participants CSV (DESIGN.md): UTF-8 with a header row. Every row is validated; a file with
 * any bad row is refused as a whole, every problem listed by line and column; a good file is
 * applied in one transaction, and importing the same file twice changes nothing.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Core } from '../core';
import { joinProgramme } from '../flows/season';
import { addIdentity, canonicalTimeZone, createPerson, findPersonByEmail, findPersonByIdentity, setTimezoneFromImport, type Role } from '../people';
import { inTransaction } from '../store/database';

export const columns = ['role', 'name', 'email', 'locale', 'slack_id', 'teams_id', 'faculty', 'education', 'interests', 'company', 'job_title', 'capacity', 'timezone'] as const;
const required = ['role', 'name', 'email'] as const;
export const MAX_ROWS = 20_000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const text = (max: number) => z.preprocess(blankToUndefined, z.string().max(max, `is longer than ${max} characters`).optional());

/** An IANA zone, stored by its canonical name ("europe/copenhagen" → "Europe/Copenhagen"). */
const timezone = z.string().transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone);
  if (canonical) return canonical;
  ctx.addIssue({ code: 'custom', message: `${zone.slice(0, 60)} is not a time zone: use an IANA name such as Europe/Copenhagen or America/New_York (or leave it empty)` });
  return z.NEVER;
});

const rowSchema = z
  .object({
    role: z.preprocess(blankToUndefined, z.enum(['mentee', 'mentor', 'coordinator'], { message: 'must be mentee, mentor or coordinator' })),
    name: z.preprocess(blankToUndefined, z.string({ message: 'is empty' }).max(120, 'is longer than 120 characters')),
    email: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.email({ message: 'is not an e-mail address' })),
    locale: z.preprocess(blankToUndefined, z.enum(['da', 'en'], { message: 'must be da or en (or empty)' }).optional()),
    slack_id: z.preprocess(blankToUndefined, z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack member id such as U0123ABC').optional()),
    teams_id: z.preprocess(blankToUndefined, z.string().regex(/^[^\s,]{3,}$/, 'must be a Teams user id such as 29:1abc').optional()),
    faculty: text(200),
    education: text(200),
    interests: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(';').map((s) => s.trim()).filter(Boolean) : []),
      z.array(z.string().max(80, 'has an interest longer than 80 characters')).max(30, 'has more than 30 interests'),
    ),
    company: text(200),
    job_title: text(200),
    capacity: z.preprocess(blankToUndefined, z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20').optional()),
    timezone: z.preprocess(blankToUndefined, timezone.optional()),
  })
  .superRefine((row, ctx) => {
    if (row.capacity !== undefined && row.role !== 'mentor') ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'is only for mentors' });
  });

export type ParticipantRow = z.infer<typeof rowSchema>;

export interface ImportProblem {
  line: number;
  column?: string;
  message: string;
}

export type Parsed = { ok: true; rows: { line: number; row: ParticipantRow }[] } | { ok: false; problems: ImportProblem[] };

export function parseParticipants(file: Buffer): Parsed {
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return { ok: false, problems: [{ line: 1, message: 'the file is not UTF-8: save it as "CSV UTF-8" and import it again' }] };
  }
  if (content.trim() === '') return { ok: false, problems: [{ line: 1, message: 'the file is empty: it needs a header row and a row per participant' }] };
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(content, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    }) as typeof records;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return { ok: false, problems: [{ line: e.lines ?? 1, message: `the file is not valid CSV: ${e.message.replace(/^Invalid Record Length: /, '')}` }] };
  }
  const problems: ImportProblem[] = [];
  const unknown = header.filter((h) => !(columns as readonly string[]).includes(h));
  const missing = required.filter((c) => !header.includes(c));
  for (const c of missing) problems.push({ line: 1, column: c, message: 'this column is missing from the header' });
  for (const c of unknown) problems.push({ line: 1, column: c, message: `is not a known column (known: ${columns.join(', ')})` });
  if (records.length === 0) problems.push({ line: 2, message: 'the file has a header but no participants' });
  if (records.length > MAX_ROWS) problems.push({ line: MAX_ROWS + 2, message: `the file has ${records.length.toLocaleString('en')} rows; import at most ${MAX_ROWS.toLocaleString('en')} at a time` });
  if (problems.length > 0) return { ok: false, problems };

  const rows: { line: number; row: ParticipantRow }[] = [];
  const seen = { email: new Map<string, number>(), slack_id: new Map<string, number>(), teams_id: new Map<string, number>() };
  for (const { record, info } of records) {
    const line = info.lines;
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line, column: String(issue.path[0] ?? ''), message: issue.message });
      continue;
    }
    for (const key of ['email', 'slack_id', 'teams_id'] as const) {
      const value = parsed.data[key];
      if (!value) continue;
      const first = seen[key].get(value);
      if (first !== undefined) problems.push({ line, column: key, message: `${value} is also on line ${first}` });
      else seen[key].set(value, line);
    }
    rows.push({ line, row: parsed.data });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

function findPerson(core: Core, row: ParticipantRow): number | null {
  const byEmail = findPersonByEmail(core, row.email);
  if (byEmail !== null) return byEmail;
  if (row.slack_id) return findPersonByIdentity(core, 'slack', row.slack_id);
  if (row.teams_id) return findPersonByIdentity(core, 'teams', row.teams_id);
  return null;
}

/** Applies a parsed file to a programme, in one transaction. */
export function applyParticipants(core: Core, programmeId: number, rows: { row: ParticipantRow }[]): ImportResult {
  return inTransaction(core.db, () => {
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
    for (const { row } of rows) {
      let personId = findPerson(core, row);
      const profile: Record<string, unknown> = {};
      for (const key of ['faculty', 'education', 'company', 'job_title', 'capacity'] as const) if (row[key] !== undefined) profile[key] = row[key];
      if (row.interests.length > 0) profile.interests = row.interests;
      if (personId === null) {
        personId = createPerson(core, { name: row.name, email: row.email, locale: row.locale ?? null, timezone: row.timezone ?? null });
        result.created += 1;
      } else {
        const before = core.db.prepare('SELECT name, email, locale FROM people WHERE id = ?').get(personId) as { name: string; email: string | null; locale: string | null };
        const participation = core.db.prepare('SELECT profile FROM participants WHERE programme_id = ? AND person_id = ? AND role = ?').get(programmeId, personId, row.role) as { profile: string } | undefined;
        const same = before.name === row.name && before.email === row.email && (before.locale ?? undefined) === row.locale && participation?.profile === JSON.stringify(profile);
        core.db.prepare('UPDATE people SET name = ?, email = ?, locale = ? WHERE id = ?').run(row.name, row.email, row.locale ?? null, personId);
        // An empty timezone cell keeps the zone the person has (from an earlier file or their platform).
        const zoneChanged = setTimezoneFromImport(core, personId, row.timezone);
        result[same && !zoneChanged ? 'unchanged' : 'updated'] += 1;
      }
      // A Slack member id is enough to open a DM; a Teams user needs the conversation the app gets when installed.
      if (row.slack_id) addIdentity(core, personId, 'slack', row.slack_id, `slack:${row.slack_id}`);
      if (row.teams_id) addIdentity(core, personId, 'teams', row.teams_id, null);
      addIdentity(core, personId, 'local', String(personId), `local:${personId}`);
      joinProgramme(core, programmeId, personId, row.role as Role, profile);
    }
    return result;
  });
}

export function formatProblems(problems: ImportProblem[], limit = 50): string {
  const lines = problems.slice(0, limit).map((p) => `line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
  if (problems.length > limit) lines.push(`… and ${problems.length - limit} more problems`);
  return lines.join('\n');
}
