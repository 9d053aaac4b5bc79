/**
 * Erasing a person: everything they wrote and everything that names them goes; what remains are
 * anonymous aggregates (that a meeting took place, a survey score with no one behind it, a count).
 * The person row stays, emptied, so that the pair's meetings still count for the programme.
 * Their words copied onto someone else's rows (a message to their mentor, a question shown to a
 * coordinator) go too. Deleted text is overwritten (secure_delete, set on every connection) and the
 * WAL is checkpointed and truncated afterwards, so nothing is left in the file or the WAL.
 * `erasureCoverage` says, for every table, how erasure reaches it (a test holds it to sqlite_master).
 */
import type { Core } from '../core';
import { inTransaction } from '../store/database';

export interface Erased {
  personId: number;
  rows: number;
}

/** Every table of the store: how erasure reaches it, or why nothing about a person is there. */
export const erasureCoverage: Readonly<Record<string, string>> = {
  people: 'emptied: name "(erased)", e-mail, locale, time zone and pause removed; the row stays for the counts',
  identities: 'deleted',
  participants: "profile emptied ('{}'); the role stays for the counts",
  pairs: 'kept: who was paired with whom by id only (the person row is emptied)',
  meetings: 'kept for the counts; the place and the online link are removed from meetings the person booked',
  preps: 'kept: whether the preparation was shared and when, no text',
  prep_answers: 'deleted for meetings where the person is the mentee',
  summaries: 'points emptied where the person is the mentee or wrote them; the mentor’s addition removed',
  action_items: 'deleted: the person’s own, and every step of their pairs as mentee (the mentee wrote the mentor’s steps too)',
  agreements: 'deleted (the person’s answers)',
  reflections: 'deleted',
  checkins: 'deleted',
  goals: 'deleted for the pairs where the person is the mentee (their words, from the agreement)',
  goal_ratings: 'deleted with those goals (the mentee’s private ratings)',
  outcome_growth: 'person removed; the scores at start and end stay, anonymous, so the change still adds up',
  introductions: 'deleted (the person’s get-to-know answers)',
  survey_responses: 'person and text removed; the score stays, anonymous',
  dialogues: 'deleted; a partner’s or coordinator’s dialogue holding the person’s words is emptied (cancelled if open)',
  nudges: 'deleted; a partner’s or coordinator’s message holding the person’s words is emptied (cancelled if still pending)',
  local_inbox: 'deleted; a partner’s or coordinator’s message holding the person’s words is deleted',
  slack_questions: 'deleted for the person’s Slack users; a question to a partner or coordinator showing their words is deleted',
  slack_channels: 'deleted for the person’s Slack users',
  slack_sends: 'deleted for the person’s DM channels',
  slack_unjournalled_users: 'deleted for the person’s Slack users',
  slack_events: 'not about a person: event ids seen, for deduplication',
  teams_conversations: 'deleted for the person’s Teams users (by user id or Entra ID object id)',
  teams_journal: 'deleted for the person’s personal chats',
  programmes: 'not about a person',
  signposts: 'not about a person: an anonymous count',
  kv: 'not about a person: small settings',
  flags: 'notes emptied on the flags of the person’s pairs and on those the person acknowledged or resolved (a coordinator’s note may name them); who acknowledged or resolved stays as an id of the emptied person row; codes, counts and dates stay',
  help_requests: 'person removed; that a pair asked stays, as a count',
  coordinator_messages: 'deleted (the person’s messages to the coordinator); the copies delivered to the coordinators are removed with the person’s words',
  coordinator_digest: 'deleted',
  served_images: 'not about a person: report charts (aggregates), deleted when their link expires',
  desk_links: 'deleted (one-time sign-in links to the desk: hashes only)',
  desk_sessions: 'deleted (the person is signed out of the desk)',
  schema_migrations: 'not about a person: the schema version',
};

/** Shorter fragments than this are not looked for on others' rows ("ja tak" identifies no one). */
const MIN_FRAGMENT = 8;

export function erasePerson(core: Core, personId: number): Erased {
  const erased = inTransaction(core.db, () => ({ personId, rows: eraseWithin(core, personId) }));
  // Copies the overwritten pages into the file and empties the WAL, where the old text still was.
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  return erased;
}

/** Erases the person inside the caller's transaction; the caller checkpoints afterwards. Rows changed. */
export function eraseWithin(core: Core, personId: number): number {
  const db = core.db;
  let rows = 0;
  const run = (sql: string, ...args: unknown[]) => {
    rows += db.prepare(sql).run(...args).changes;
  };
  // Read first: the person's words, to find them where they were copied to someone else.
  const fragments = wordsOf(core, personId);
  const menteeMeetings = "SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.mentee_id = ?";
  // What the person wrote, or what was written about their own preparation and reflection
  run(`DELETE FROM prep_answers WHERE meeting_id IN (${menteeMeetings})`, personId);
  run(`UPDATE summaries SET points = '', mentor_addition = NULL WHERE meeting_id IN (${menteeMeetings}) OR written_by = ?`, personId, personId);
  run('UPDATE summaries SET mentor_addition = NULL WHERE meeting_id IN (SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.mentor_id = ?)', personId);
  run('DELETE FROM reflections WHERE person_id = ?', personId);
  run('DELETE FROM agreements WHERE author_id = ?', personId);
  // The mentee writes both their own and their mentor's steps after a meeting.
  run('DELETE FROM action_items WHERE owner_id = ? OR pair_id IN (SELECT id FROM pairs WHERE mentee_id = ?)', personId, personId);
  run('DELETE FROM checkins WHERE person_id = ?', personId);
  const menteeGoals = 'SELECT g.id FROM goals g JOIN pairs p ON p.id = g.pair_id WHERE p.mentee_id = ?';
  run(`DELETE FROM goal_ratings WHERE goal_id IN (${menteeGoals})`, personId);
  run('DELETE FROM goals WHERE pair_id IN (SELECT id FROM pairs WHERE mentee_id = ?)', personId);
  run('DELETE FROM introductions WHERE author_id = ?', personId);
  run('UPDATE outcome_growth SET person_id = NULL WHERE person_id = ?', personId);
  // Coordinators' notes about the person's pairs may name them; a coordinator's own notes are their words.
  run('UPDATE flags SET note = NULL WHERE note IS NOT NULL AND (pair_id IN (SELECT id FROM pairs WHERE ? IN (mentee_id, mentor_id)) OR ? IN (acknowledged_by, resolved_by))', personId, personId);
  run('UPDATE help_requests SET person_id = NULL WHERE person_id = ?', personId);
  run('DELETE FROM coordinator_messages WHERE person_id = ?', personId);
  run('DELETE FROM coordinator_digest WHERE person_id = ?', personId);
  run('DELETE FROM desk_links WHERE person_id = ?', personId);
  run('DELETE FROM desk_sessions WHERE person_id = ?', personId);
  run('UPDATE survey_responses SET person_id = NULL, text = NULL WHERE person_id = ?', personId);
  run('UPDATE meetings SET place = NULL, online_url = NULL WHERE booked_by = ? AND (place IS NOT NULL OR online_url IS NOT NULL)', personId);
  // How the person was reached, and what was waiting for them
  run('DELETE FROM dialogues WHERE person_id = ?', personId);
  run('DELETE FROM nudges WHERE person_id = ?', personId);
  run('DELETE FROM local_inbox WHERE person_id = ?', personId);
  // The platforms' delivery records for this person (their DM channel, what was posted there)
  const slackUsers = "SELECT platform_id FROM identities WHERE person_id = ? AND platform = 'slack'";
  run(`DELETE FROM slack_sends WHERE channel_id IN (SELECT channel_id FROM slack_channels WHERE user_id IN (${slackUsers}))`, personId);
  run(`DELETE FROM slack_channels WHERE user_id IN (${slackUsers})`, personId);
  run(`DELETE FROM slack_unjournalled_users WHERE user_id IN (${slackUsers})`, personId);
  run(`DELETE FROM slack_questions WHERE user_id IN (${slackUsers})`, personId);
  const teamsUsers = "SELECT platform_id FROM identities WHERE person_id = ? AND platform = 'teams'";
  const teamsChats = `SELECT user_id FROM teams_conversations WHERE user_id IN (${teamsUsers}) OR aad_object_id IN (${teamsUsers})`;
  run(`DELETE FROM teams_journal WHERE conversation_id IN (SELECT json_extract(reference, '$.conversation.id') FROM teams_conversations WHERE user_id IN (${teamsChats}))`, personId, personId);
  run(`DELETE FROM teams_conversations WHERE user_id IN (${teamsChats})`, personId, personId);
  // Their words on the rows of the people who received them
  rows += scrubOthers(core, personId, fragments);
  run('DELETE FROM identities WHERE person_id = ?', personId);
  run("UPDATE participants SET profile = '{}' WHERE person_id = ?", personId);
  run("UPDATE people SET name = '(erased)', email = NULL, locale = NULL, timezone = NULL, timezone_source = NULL, paused_until = NULL WHERE id = ?", personId);
  return rows;
}

/** The person's name, e-mail and every line they wrote, long enough to recognise elsewhere. */
function wordsOf(core: Core, personId: number): string[] {
  const db = core.db;
  const texts: unknown[] = [];
  // Rows as objects: a cached statement must not be switched to raw or pluck mode for its other users.
  const all = (sql: string, ...args: unknown[]) => texts.push(...(db.prepare(sql).all(...args) as Record<string, unknown>[]).flatMap((row) => Object.values(row)));
  const menteeMeetings = "SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.mentee_id = ?";
  const mentorMeetings = "SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.mentor_id = ?";
  all('SELECT name, email FROM people WHERE id = ?', personId);
  all(`SELECT answer FROM prep_answers WHERE meeting_id IN (${menteeMeetings})`, personId);
  all(`SELECT points FROM summaries WHERE meeting_id IN (${menteeMeetings}) OR written_by = ?`, personId, personId);
  all(`SELECT mentor_addition FROM summaries WHERE meeting_id IN (${mentorMeetings})`, personId);
  all('SELECT text FROM action_items WHERE owner_id = ? OR pair_id IN (SELECT id FROM pairs WHERE mentee_id = ?)', personId, personId);
  all('SELECT answer FROM agreements WHERE author_id = ?', personId);
  all('SELECT worked, did_not_work FROM reflections WHERE person_id = ?', personId);
  all('SELECT about, curious FROM introductions WHERE author_id = ?', personId);
  all('SELECT text FROM survey_responses WHERE person_id = ?', personId);
  all('SELECT message FROM coordinator_messages WHERE person_id = ?', personId);
  for (const { state } of db.prepare('SELECT state FROM dialogues WHERE person_id = ?').all(personId) as { state: string }[]) texts.push(...answersIn(state));
  const lines = texts.flatMap((t) => (typeof t === 'string' ? t.split(/\r?\n/) : [])).map((l) => l.replace(/^\s*[-•*\d.)]+\s*/, '').trim());
  return [...new Set(lines.filter((l) => l.length >= MIN_FRAGMENT))];
}

/** The string answers an open form holds in its state (its JSON), if any. */
function answersIn(state: string): string[] {
  try {
    const answers = (JSON.parse(state) as { answers?: unknown }).answers;
    return answers && typeof answers === 'object' ? Object.values(answers).filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Removes the fragments' rows from the people who could have received them: the person's partners
 * and the coordinators of their programmes. A row in flight (a nudge being sent) is left to finish.
 */
function scrubOthers(core: Core, personId: number, fragments: string[]): number {
  if (fragments.length === 0) return 0;
  const db = core.db;
  const others = `SELECT mentor_id FROM pairs WHERE mentee_id = :person UNION SELECT mentee_id FROM pairs WHERE mentor_id = :person
    UNION SELECT c.person_id FROM participants c JOIN participants me ON me.programme_id = c.programme_id WHERE me.person_id = :person AND c.role = 'coordinator'`;
  const ids = (db.prepare(`SELECT mentor_id AS id FROM (${others})`).all({ person: personId }) as { id: number }[]).map((r) => r.id).filter((id) => id !== personId);
  if (ids.length === 0) return 0;
  const users = (db.prepare(`SELECT platform_id AS id FROM identities WHERE platform = 'slack' AND person_id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: string }[]).map((r) => r.id);
  const now = core.clock.now();
  let rows = 0;
  const inIds = `(${ids.map(() => '?').join(',')})`;
  const inUsers = `(${users.map(() => '?').join(',') || "''"})`;
  // JSON columns hold a fragment with its quotes and backslashes escaped.
  for (const fragment of fragments) {
    for (const f of new Set([fragment, JSON.stringify(fragment).slice(1, -1)])) {
      rows += db.prepare(`DELETE FROM local_inbox WHERE person_id IN ${inIds} AND instr(message, ?) > 0`).run(...ids, f).changes;
      rows += db
        .prepare(
          `UPDATE nudges SET payload = '{}', outcome_note = NULL, status = CASE status WHEN 'pending' THEN 'cancelled' ELSE status END
           WHERE person_id IN ${inIds} AND status != 'sending' AND payload != '{}' AND instr(payload, ?) > 0`,
        )
        .run(...ids, f).changes;
      rows += db
        .prepare(
          `UPDATE dialogues SET state = '{}', status = CASE status WHEN 'open' THEN 'cancelled' ELSE status END,
             closed_at = coalesce(closed_at, ?), updated_at = ?
           WHERE person_id IN ${inIds} AND instr(state, ?) > 0`,
        )
        .run(now, now, ...ids, f).changes;
      rows += db.prepare(`DELETE FROM slack_questions WHERE user_id IN ${inUsers} AND instr(blocks, ?) > 0`).run(...users, f).changes;
    }
  }
  return rows;
}
