/**
 * Erasing a person: everything they wrote and everything that names them goes; what remains are
 * anonymous aggregates (that a meeting took place, a survey score with no one behind it, a count).
 * The person row stays, emptied, so that the pair's meetings still count for the programme.
 */
import type { Core } from '../core';
import { inTransaction } from '../store/database';

export interface Erased {
  personId: number;
  rows: number;
}

export function erasePerson(core: Core, personId: number): Erased {
  return inTransaction(core.db, () => {
    const db = core.db;
    let rows = 0;
    const run = (sql: string, ...args: unknown[]) => {
      rows += db.prepare(sql).run(...args).changes;
    };
    const menteeMeetings = "SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.mentee_id = ?";
    // What the person wrote, or what was written about their own preparation and reflection
    run(`DELETE FROM prep_answers WHERE meeting_id IN (${menteeMeetings})`, personId);
    run(`UPDATE summaries SET points = '', mentor_addition = NULL WHERE meeting_id IN (${menteeMeetings})`, personId);
    run('UPDATE summaries SET mentor_addition = NULL WHERE meeting_id IN (SELECT m.id FROM meetings m JOIN pairs p ON p.id = m.pair_id WHERE p.mentor_id = ?)', personId);
    run('DELETE FROM reflections WHERE person_id = ?', personId);
    run('DELETE FROM agreements WHERE author_id = ?', personId);
    run('DELETE FROM action_items WHERE owner_id = ?', personId);
    run('DELETE FROM checkins WHERE person_id = ?', personId);
    run('UPDATE survey_responses SET person_id = NULL, text = NULL WHERE person_id = ?', personId);
    // How the person was reached, and what was waiting for them
    run('DELETE FROM dialogues WHERE person_id = ?', personId);
    run('DELETE FROM nudges WHERE person_id = ?', personId);
    run('DELETE FROM local_inbox WHERE person_id = ?', personId);
    // The platforms' delivery records for this person (their DM channel, what was posted there)
    const slackUsers = "SELECT platform_id FROM identities WHERE person_id = ? AND platform = 'slack'";
    run(`DELETE FROM slack_sends WHERE channel_id IN (SELECT channel_id FROM slack_channels WHERE user_id IN (${slackUsers}))`, personId);
    run(`DELETE FROM slack_channels WHERE user_id IN (${slackUsers})`, personId);
    run(`DELETE FROM slack_unjournalled_users WHERE user_id IN (${slackUsers})`, personId);
    const teamsUsers = "SELECT platform_id FROM identities WHERE person_id = ? AND platform = 'teams'";
    run(`DELETE FROM teams_journal WHERE conversation_id IN (SELECT json_extract(reference, '$.conversation.id') FROM teams_conversations WHERE user_id IN (${teamsUsers}))`, personId);
    run('DELETE FROM identities WHERE person_id = ?', personId);
    run("UPDATE participants SET profile = '{}' WHERE person_id = ?", personId);
    run("UPDATE people SET name = '(erased)', email = NULL, locale = NULL, timezone = NULL, timezone_source = NULL, paused_until = NULL WHERE id = ?", personId);
    return { personId, rows };
  });
}
