/**
 * Retention: a programme's free text and its people's contact data are deleted automatically
 * `retentionMonths` (default 12) after the programme closed; anonymous aggregates stay (meetings held,
 * scores without a person, counts), so the report still adds up.
 *
 * For each programme that is due, in one transaction:
 * - every person whose programmes are all past retention is erased as `erase-person` erases (their
 *   words everywhere, their identities, name and e-mail);
 * - for people still in a later programme, only what belongs to this programme goes: the free text
 *   of its pairs and meetings, and their profile in it (faculty, company, interests…).
 * Then the WAL is checkpointed, so nothing is left in the file's bytes (secure_delete is on).
 * `retentionCoverage` says, for every table, how retention reaches it (a test holds it to sqlite_master).
 */
import { addMonths } from 'date-fns/addMonths'; // not the package's index: that takes ~0.1 s to load
import type { Core } from '../core';
import { parseSettings } from '../programme/settings';
import { inTransaction } from '../store/database';
import { eraseWithin } from './erase';

export const retentionCoverage: Readonly<Record<string, string>> = {
  people: 'emptied (name, e-mail, locale, zone) for people whose programmes are all past retention, as erasure does',
  identities: 'deleted for people whose programmes are all past retention',
  participants: "profile emptied ('{}') for the programme; the role stays for the counts",
  pairs: 'kept: who was paired with whom by id, for the counts',
  meetings: 'kept for the counts; the place and the online link are removed',
  preps: 'kept: whether the preparation was shared and when, no text',
  prep_answers: "deleted for the programme's meetings",
  summaries: "points and the mentor's addition emptied for the programme's meetings",
  action_items: "deleted for the programme's pairs",
  agreements: "deleted for the programme's pairs",
  reflections: "deleted for the programme's meetings",
  checkins: 'kept: scores only, no text',
  goals: "text emptied for the programme's pairs; the rows stay, without words, for the counts of progress",
  goal_ratings: 'kept: ratings only, no text',
  outcome_growth: "person removed for the programme; the scores at start and end stay, anonymous",
  introductions: "deleted for the programme's pairs",
  survey_responses: "text and person removed for the programme; scores stay, anonymous",
  dialogues: "deleted for the programme's meetings and pairs (open ones were deleted at close)",
  nudges: "deleted when not pending, for the programme's pairs and meetings (housekeeping deletes delivered ones after keepDeliveredDays anyway)",
  local_inbox: 'deleted for people whose programmes are all past retention',
  slack_questions: 'deleted for people whose programmes are all past retention (as erasure does)',
  slack_channels: 'deleted for people whose programmes are all past retention',
  slack_sends: 'deleted for people whose programmes are all past retention',
  slack_unjournalled_users: 'deleted for people whose programmes are all past retention',
  slack_events: 'not about a person: event ids seen, for deduplication (kept two days)',
  teams_conversations: 'deleted for people whose programmes are all past retention',
  teams_journal: 'deleted for people whose programmes are all past retention',
  programmes: 'kept: the name, dates and settings, and when free text was deleted',
  served_images: 'not about a person: report charts (aggregates), deleted when their link expires',
  signposts: 'not about a person: an anonymous count',
  kv: 'not about a person: small settings',
  flags: "the coordinators' notes emptied for the programme; codes, counts and dates stay",
  help_requests: 'person removed for the programme’s pairs; that a pair asked stays, as a count',
  coordinator_messages: 'deleted for the programme (messages to the coordinator are free text)',
  coordinator_digest: 'deleted for people whose programmes are all past retention (as erasure does)',
  desk_links: 'deleted for people whose programmes are all past retention (as erasure does); hashes only, and gone a day after they expire',
  desk_sessions: 'deleted for people whose programmes are all past retention (as erasure does); hashes only, and gone once they expire',
  schema_migrations: 'not about a person: the schema version',
};

interface ProgrammeRow {
  id: number;
  name: string;
  status: string;
  settings: string;
  closed_at: number | null;
  free_text_deleted_at: number | null;
}

/** When the programme's free text is (or was) deleted: `retentionMonths` after it closed; null while it runs. */
export function retentionDueAt(row: { settings: string; closed_at: number | null }): number | null {
  if (row.closed_at === null) return null;
  return addMonths(new Date(row.closed_at), parseSettings(row.settings).retentionMonths).getTime();
}

export interface RetentionState {
  /** While the programme runs: months after its close; after: the date it happens, or happened. */
  months: number;
  dueAt: number | null;
  deletedAt: number | null;
}

export function retentionOf(core: Core, programmeId: number): RetentionState {
  const row = core.db.prepare('SELECT settings, closed_at, free_text_deleted_at FROM programmes WHERE id = ?').get(programmeId) as Pick<ProgrammeRow, 'settings' | 'closed_at' | 'free_text_deleted_at'>;
  return { months: parseSettings(row.settings).retentionMonths, dueAt: retentionDueAt(row), deletedAt: row.free_text_deleted_at };
}

export interface RetentionRun {
  programmes: string[];
  people: number;
  rows: number;
}

/** Deletes the free text of every programme whose retention ran out by now. */
export function applyRetention(core: Core): RetentionRun {
  const now = core.clock.now();
  const candidates = core.db
    .prepare("SELECT id, name, status, settings, closed_at, free_text_deleted_at FROM programmes WHERE status = 'closed' AND free_text_deleted_at IS NULL AND closed_at IS NOT NULL")
    .all() as ProgrammeRow[];
  const due = candidates.filter((p) => (retentionDueAt(p) ?? Infinity) <= now);
  const run: RetentionRun = { programmes: [], people: 0, rows: 0 };
  for (const programme of due) {
    const done = inTransaction(core.db, () => expire(core, programme, now));
    run.programmes.push(programme.name);
    run.people += done.people;
    run.rows += done.rows;
  }
  if (due.length > 0) core.db.pragma('wal_checkpoint(TRUNCATE)');
  return run;
}

function expire(core: Core, programme: ProgrammeRow, now: number): { people: number; rows: number } {
  const db = core.db;
  let rows = 0;
  const exec = (sql: string, ...args: unknown[]) => {
    rows += db.prepare(sql).run(...args).changes;
  };
  db.prepare('UPDATE programmes SET free_text_deleted_at = ? WHERE id = ?').run(now, programme.id);

  // People all of whose programmes are now past retention are erased entirely.
  const people = (db.prepare('SELECT DISTINCT person_id AS id FROM participants WHERE programme_id = ?').all(programme.id) as { id: number }[]).map((r) => r.id);
  const stillKept = db.prepare(
    `SELECT 1 FROM participants pa JOIN programmes g ON g.id = pa.programme_id
      WHERE pa.person_id = ? AND g.free_text_deleted_at IS NULL LIMIT 1`,
  );
  const gone = people.filter((id) => !stillKept.get(id));
  for (const id of gone) rows += eraseWithin(core, id);

  // What belongs to this programme, whoever wrote it.
  const pairs = 'SELECT id FROM pairs WHERE programme_id = ?';
  const meetings = 'SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ?';
  const subjects = `SELECT 'pair:' || id FROM pairs WHERE programme_id = ? UNION SELECT 'pair:' || id || ':quiet' FROM pairs WHERE programme_id = ?
    UNION SELECT 'meeting:' || m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.programme_id = ?`;
  exec(`DELETE FROM prep_answers WHERE meeting_id IN (${meetings})`, programme.id);
  exec(`UPDATE summaries SET points = '', mentor_addition = NULL WHERE meeting_id IN (${meetings}) AND (points <> '' OR mentor_addition IS NOT NULL)`, programme.id);
  exec(`DELETE FROM reflections WHERE meeting_id IN (${meetings})`, programme.id);
  exec(`DELETE FROM agreements WHERE pair_id IN (${pairs})`, programme.id);
  exec(`UPDATE goals SET text = NULL WHERE text IS NOT NULL AND pair_id IN (${pairs})`, programme.id);
  exec(`DELETE FROM introductions WHERE pair_id IN (${pairs})`, programme.id);
  exec('UPDATE outcome_growth SET person_id = NULL WHERE programme_id = ? AND person_id IS NOT NULL', programme.id);
  exec(`DELETE FROM action_items WHERE pair_id IN (${pairs})`, programme.id);
  exec(`UPDATE meetings SET place = NULL, online_url = NULL WHERE (place IS NOT NULL OR online_url IS NOT NULL) AND pair_id IN (${pairs})`, programme.id);
  exec('UPDATE survey_responses SET text = NULL, person_id = NULL WHERE programme_id = ? AND (text IS NOT NULL OR person_id IS NOT NULL)', programme.id);
  exec(`DELETE FROM dialogues WHERE meeting_id IN (${meetings}) OR subject IN (${subjects})`, programme.id, programme.id, programme.id, programme.id);
  exec(`DELETE FROM nudges WHERE status NOT IN ('pending', 'sending') AND (subject = ? OR subject IN (${subjects}))`, `survey:${programme.id}`, programme.id, programme.id, programme.id);
  exec("UPDATE participants SET profile = '{}' WHERE programme_id = ? AND profile <> '{}'", programme.id);
  exec('UPDATE flags SET note = NULL WHERE programme_id = ? AND note IS NOT NULL', programme.id);
  exec(`UPDATE help_requests SET person_id = NULL WHERE person_id IS NOT NULL AND pair_id IN (${pairs})`, programme.id);
  exec('DELETE FROM coordinator_messages WHERE programme_id = ?', programme.id);
  return { people: gone.length, rows };
}
