/**
 * A dialogue is a small state machine stored per person: which flow, which step, for which
 * meeting, until when. A reply goes to the open step; it survives restarts because it is a row.
 */
import type { Core } from './core';
import { releaseWaiting } from './scheduler/nudges';

export interface Dialogue {
  personId: number;
  flow: string;
  step: string;
  meetingId: number | null;
  state: Record<string, unknown>;
  expiresAt: number | null;
  /** When the person last answered (or the dialogue opened). */
  updatedAt?: number;
}

interface DialogueRow {
  person_id: number;
  flow: string;
  step: string;
  meeting_id: number | null;
  state: string;
  expires_at: number | null;
  updated_at: number;
}

/** The person's open dialogue, or null (an expired one is closed on the way). */
export function openDialogueOf(core: Core, personId: number): Dialogue | null {
  const row = core.db.prepare('SELECT * FROM dialogues WHERE person_id = ?').get(personId) as DialogueRow | undefined;
  if (!row) return null;
  if (row.expires_at !== null && row.expires_at <= core.clock.now()) {
    closeDialogue(core, personId);
    return null;
  }
  return {
    personId: row.person_id,
    flow: row.flow,
    step: row.step,
    meetingId: row.meeting_id,
    state: JSON.parse(row.state) as Record<string, unknown>,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  };
}

/** Opens a dialogue; one the person had open before is replaced. */
export function openDialogue(core: Core, d: Dialogue): void {
  core.db
    .prepare(
      `INSERT INTO dialogues (person_id, flow, step, meeting_id, state, expires_at, updated_at)
       VALUES (@personId, @flow, @step, @meetingId, @state, @expiresAt, @now)
       ON CONFLICT (person_id) DO UPDATE SET flow = excluded.flow, step = excluded.step, meeting_id = excluded.meeting_id,
         state = excluded.state, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
    )
    .run({ ...d, state: JSON.stringify(d.state), now: core.clock.now() });
}

export function moveDialogue(core: Core, personId: number, step: string, state?: Record<string, unknown>): void {
  core.db
    .prepare('UPDATE dialogues SET step = ?, state = coalesce(?, state), updated_at = ? WHERE person_id = ?')
    .run(step, state ? JSON.stringify(state) : null, core.clock.now(), personId);
}

/** Closes the person's dialogue; nudges that waited for it are due now. */
export function closeDialogue(core: Core, personId: number): void {
  core.db.prepare('DELETE FROM dialogues WHERE person_id = ?').run(personId);
  if (releaseWaiting(core.db, personId, core.clock.now()) > 0) core.wake();
}
