/**
 * The participants CSV (DESIGN.md): UTF-8 with a header row. Every row is validated; a file with
 * any bad row is refused as a whole, every problem listed by line and column; a good file is
 * applied in one transaction, and importing the same file twice changes nothing.
 *
 * Identity is never moved by a file: a platform id stays with the person it was first linked to,
 * and a person who also takes part in a programme the importer does not coordinate can only be
 * added to this one (their name, e-mail, language, zone and platform ids stay as they are).
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Core } from '../core';
import { joinProgramme } from '../flows/season';
import { addIdentity, canonicalTimeZone, createPerson, findPersonByEmail, findPersonByIdentity, setTimezoneFromImport, type Role } from '../people';
import { InputError } from '../errors';
import { inTransaction } from '../store/database';
import type { Catalog } from '../text/catalog';
import { formatProblems, problemCode, type ImportProblem } from './import-problems';

export type { ImportProblem } from './import-problems';

export const columns = ['role', 'name', 'email', 'locale', 'slack_id', 'teams_id', 'faculty', 'education', 'interests', 'company', 'job_title', 'capacity', 'timezone'] as const;
const required = ['role', 'name', 'email'] as const;
export const MAX_ROWS = 20_000;

/** C0 controls and DEL (tabs and line breaks included): never part of a name or any other cell. */
const CONTROL = /[\u0000-\u001f\u007f]/;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
// Each schema message is a problem code (import-problems.ts); its values come from the issue.
const text = (max: number) => z.preprocess(blankToUndefined, z.string().max(max, 'tooLong').optional());

/** An IANA zone, stored by its canonical name ("europe/copenhagen" → "Europe/Copenhagen"). */
const timezone = z.string().transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone);
  if (canonical) return canonical;
  ctx.addIssue({ code: 'custom', message: 'timezone', params: { zone: zone.slice(0, 60) } });
  return z.NEVER;
});

const rowSchema = z
  .object({
    role: z.preprocess(blankToUndefined, z.enum(['mentee', 'mentor', 'coordinator'], { message: 'role' })),
    name: z.preprocess(blankToUndefined, z.string({ message: 'nameEmpty' }).max(120, 'tooLong')),
    email: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.email({ message: 'email' })),
    locale: z.preprocess(blankToUndefined, z.enum(['da', 'en'], { message: 'locale' }).optional()),
    slack_id: z.preprocess(blankToUndefined, z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'slackId').optional()),
    teams_id: z.preprocess(blankToUndefined, z.string().regex(/^[^\s,]{3,}$/, 'teamsId').optional()),
    faculty: text(200),
    education: text(200),
    interests: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(';').map((s) => s.trim()).filter(Boolean) : []),
      z.array(z.string().max(80, 'interestTooLong')).max(30, 'tooManyInterests'),
    ),
    company: text(200),
    job_title: text(200),
    capacity: z.preprocess(blankToUndefined, z.coerce.number({ message: 'wholeNumber' }).int('wholeNumber').min(1, 'atLeast').max(20, 'atMost').optional()),
    timezone: z.preprocess(blankToUndefined, timezone.optional()),
  })
  .superRefine((row, ctx) => {
    if (row.capacity !== undefined && row.role !== 'mentor') ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'mentorsOnly' });
  });

export type ParticipantRow = z.infer<typeof rowSchema>;

export type Parsed = { ok: true; rows: { line: number; row: ParticipantRow }[] } | { ok: false; problems: ImportProblem[] };

export function parseParticipants(file: Buffer): Parsed {
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return { ok: false, problems: [{ line: 1, problem: 'notUtf8' }] };
  }
  if (content.trim() === '') return { ok: false, problems: [{ line: 1, problem: 'empty' }] };
  let records: { record: Record<string, string>; raw: string; info: { bytes: number } }[];
  let header: string[] = [];
  try {
    records = parse(content, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
      skip_empty_lines: true,
      info: true,
      raw: true,
      relax_column_count: false,
    }) as typeof records;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return { ok: false, problems: [{ line: e.lines ?? 1, problem: 'notCsv', vars: { detail: e.message.replace(/^Invalid Record Length: /, '') } }] };
  }
  const problems: ImportProblem[] = [];
  const unknown = header.filter((h) => !(columns as readonly string[]).includes(h));
  const missing = required.filter((c) => !header.includes(c));
  for (const c of missing) problems.push({ line: 1, column: c, problem: 'missingColumn' });
  for (const c of unknown) problems.push({ line: 1, column: c, problem: 'unknownColumn', vars: { known: columns.join(', ') } });
  if (records.length === 0) problems.push({ line: 2, problem: 'noRows' });
  if (records.length > MAX_ROWS) problems.push({ line: MAX_ROWS + 2, problem: 'tooManyRows', vars: { rows: records.length, max: MAX_ROWS } });
  if (problems.length > 0) return { ok: false, problems };

  const rows: { line: number; row: ParticipantRow }[] = [];
  const seen = { email: new Map<string, number>(), slack_id: new Map<string, number>(), teams_id: new Map<string, number>() };
  const starts = lineStarts(file);
  for (const { record, raw, info } of records) {
    const line = recordLine(starts, info.bytes, raw);
    const controlled = new Set<string>();
    for (const [column, value] of Object.entries(record)) {
      // A CR left at the end of a line by a file with mixed line endings is trimmed away, not stored.
      const hit = typeof value === 'string' ? CONTROL.exec(value.replace(/\r$/, '')) : null;
      if (!hit) continue;
      controlled.add(column);
      const code = hit[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      problems.push({ line, column, problem: 'control', vars: { code } });
    }
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success || controlled.size > 0) {
      for (const issue of parsed.error?.issues ?? []) if (!controlled.has(String(issue.path[0]))) problems.push({ line, column: String(issue.path[0] ?? ''), ...fromIssue(issue) });
      continue;
    }
    for (const key of ['email', 'slack_id', 'teams_id'] as const) {
      const value = parsed.data[key];
      if (!value) continue;
      const first = seen[key].get(value);
      if (first !== undefined) problems.push({ line, column: key, problem: 'alsoOnLine', vars: { value, first } });
      else seen[key].set(value, line);
    }
    rows.push({ line, row: parsed.data });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

/** A schema issue as a problem: its message is the code; a limit or the zone typed are its values. */
function fromIssue(issue: z.core.$ZodIssue): Pick<ImportProblem, 'problem' | 'vars'> {
  const vars: Record<string, string | number> = {};
  if (issue.code === 'too_big') vars.max = Number(issue.maximum);
  if (issue.code === 'too_small') vars.min = Number(issue.minimum);
  if (issue.code === 'custom' && typeof issue.params?.zone === 'string') vars.zone = issue.params.zone;
  return { problem: problemCode(issue.message), vars };
}

/** The byte offsets where the file's lines start (after LF, CRLF or a lone CR). */
function lineStarts(file: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < file.length; i += 1) {
    if (file[i] === 0x0a || (file[i] === 0x0d && file[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/**
 * The line a record starts on, from where it ends (csv-parse's `bytes`) and its raw text, which may
 * begin with the empty lines skipped before it. A quoted cell may span lines: the row's first line counts.
 */
function recordLine(starts: number[], end: number, raw: string): number {
  const offset = end - Buffer.byteLength(raw) + (/^[\r\n]*/.exec(raw)?.[0].length ?? 0);
  let [low, high] = [0, starts.length - 1];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Who imports: a coordinator (from chat), who may change people of the programmes they coordinate,
 * or null for the command line, which may change people of the programme it names only.
 */
export type Importer = { coordinatorId: number } | null;

/** A file that would move an identity or change someone the importer may not change; nothing of it was stored. */
export class ImportRefusedError extends InputError {
  constructor(
    readonly problems: ImportProblem[],
    text: Catalog,
  ) {
    super(`the file was not imported; nothing was changed:\n${formatProblems(text, 'en', problems)}`);
  }
}

interface Match {
  personId: number | null;
  /** The person also takes part in a programme the importer may not change: only their part in this one may. */
  shared: boolean;
}

interface Plan {
  problems: ImportProblem[];
  /** Who each row is, in the order of the rows (null: someone new). */
  matches: Match[];
}

interface PersonRow {
  name: string;
  email: string | null;
  locale: string | null;
  timezone: string | null;
}

/**
 * Who each row is, and what no row may do: re-link a platform id to another person, or change the
 * name, e-mail, language, zone or platform ids of someone who also takes part in a programme the
 * importer may not change. Rows match by e-mail, else by Slack id, else by Teams id.
 */
function planImport(core: Core, programmeId: number, rows: { line?: number; row: ParticipantRow }[], importer: Importer): Plan {
  const changeable =
    importer === null
      ? new Set([programmeId])
      : new Set((core.db.prepare("SELECT programme_id AS id FROM participants WHERE person_id = ? AND role = 'coordinator'").all(importer.coordinatorId) as { id: number }[]).map((r) => r.id));
  // The command line changes the programme it names; a coordinator, the programmes they coordinate.
  const sharedProblem = { link: importer === null ? 'linkSharedOther' : 'linkSharedNotYours', change: importer === null ? 'changeSharedOther' : 'changeSharedNotYours' } as const;
  const programmesOf = core.db.prepare('SELECT DISTINCT programme_id AS id FROM participants WHERE person_id = ?');
  const personById = core.db.prepare('SELECT name, email, locale, timezone FROM people WHERE id = ?');
  const owner = (platform: string, id: string | undefined) => (id ? findPersonByIdentity(core, platform, id) : null);
  const plan: Plan = { problems: [], matches: [] };
  const people = new Map<number, number>();
  rows.forEach((entry, index) => {
    const { row } = entry;
    const line = entry.line ?? index + 2;
    const owners = { slack_id: owner('slack', row.slack_id), teams_id: owner('teams', row.teams_id) };
    const personId = findPersonByEmail(core, row.email) ?? owners.slack_id ?? owners.teams_id;
    const shared = personId !== null && (programmesOf.all(personId) as { id: number }[]).some((p) => !changeable.has(p.id));
    plan.matches.push({ personId, shared });
    for (const column of ['slack_id', 'teams_id'] as const) {
      const id = row[column];
      if (!id) continue;
      if (owners[column] !== null && owners[column] !== personId) {
        plan.problems.push({ line, column, problem: 'linkedElsewhere', vars: { id } });
      } else if (owners[column] === null && shared) {
        plan.problems.push({ line, column, problem: sharedProblem.link, vars: { id } });
      }
    }
    if (personId === null) return;
    const first = people.get(personId);
    if (first !== undefined) plan.problems.push({ line, column: 'email', problem: 'samePerson', vars: { first } });
    else people.set(personId, line);
    if (!shared) return;
    const before = personById.get(personId) as PersonRow;
    const changed = {
      name: before.name !== row.name,
      email: before.email !== row.email,
      locale: row.locale !== undefined && before.locale !== row.locale,
      timezone: row.timezone !== undefined && before.timezone !== row.timezone,
    };
    for (const [column, yes] of Object.entries(changed)) {
      if (yes) plan.problems.push({ line, column, problem: sharedProblem.change });
    }
  });
  return plan;
}

/**
 * The problems that keep a parsed file from being applied to the programme by this importer (none:
 * it may be applied), checked against the database as it is now.
 */
export function checkParticipants(core: Core, programmeId: number, rows: { line?: number; row: ParticipantRow }[], importer: Importer = null): ImportProblem[] {
  return planImport(core, programmeId, rows, importer).problems;
}

/**
 * Applies a parsed file to a programme, in one transaction. A file `checkParticipants` has
 * problems with is refused whole (ImportRefusedError) and nothing is stored.
 */
export function applyParticipants(core: Core, programmeId: number, rows: { line?: number; row: ParticipantRow }[], importer: Importer = null): ImportResult {
  return inTransaction(core.db, () => {
    const plan = planImport(core, programmeId, rows, importer);
    if (plan.problems.length > 0) throw new ImportRefusedError(plan.problems, core.text);
    const personById = core.db.prepare('SELECT name, email, locale FROM people WHERE id = ?');
    const participation = core.db.prepare('SELECT profile FROM participants WHERE programme_id = ? AND person_id = ? AND role = ?');
    const update = core.db.prepare('UPDATE people SET name = ?, email = ?, locale = ? WHERE id = ?');
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
    rows.forEach(({ row }, index) => {
      // Rows cannot match each other's people: e-mails and platform ids are unique in a file, and a person matches one row at most.
      const match = plan.matches[index]!;
      let personId = match.personId;
      const profile: Record<string, unknown> = {};
      for (const key of ['faculty', 'education', 'company', 'job_title', 'capacity'] as const) if (row[key] !== undefined) profile[key] = row[key];
      if (row.interests.length > 0) profile.interests = row.interests;
      if (personId === null) {
        personId = createPerson(core, { name: row.name, email: row.email, locale: row.locale ?? null, timezone: row.timezone ?? null });
        result.created += 1;
      } else {
        const sameProfile = (participation.get(programmeId, personId, row.role) as { profile: string } | undefined)?.profile === JSON.stringify(profile);
        if (match.shared) {
          // Planned above: their name, e-mail, language and zone are what the row says (or the cell is empty); only their part here changes.
          result[sameProfile ? 'unchanged' : 'updated'] += 1;
        } else {
          const before = personById.get(personId) as Omit<PersonRow, 'timezone'>;
          const same = before.name === row.name && before.email === row.email && (before.locale ?? undefined) === row.locale && sameProfile;
          update.run(row.name, row.email, row.locale ?? null, personId);
          // An empty timezone cell keeps the zone the person has (from an earlier file or their platform).
          const zoneChanged = setTimezoneFromImport(core, personId, row.timezone);
          result[same && !zoneChanged ? 'unchanged' : 'updated'] += 1;
        }
      }
      // A Slack member id is enough to open a DM; a Teams user needs the conversation the app gets when installed.
      if (row.slack_id) addIdentity(core, personId, 'slack', row.slack_id, `slack:${row.slack_id}`);
      if (row.teams_id) addIdentity(core, personId, 'teams', row.teams_id, null);
      if (findPersonByIdentity(core, 'local', String(personId)) === null) addIdentity(core, personId, 'local', String(personId), `local:${personId}`);
      joinProgramme(core, programmeId, personId, row.role as Role, profile);
    });
    return result;
  });
}
