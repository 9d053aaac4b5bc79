/**
 * Dialogues are small state machines stored per person: which flow, which step, about what, until
 * when. A person may have several open at once: the one with the lowest rank is current, the others
 * wait in order, and none is ever replaced by a newer one. A closed dialogue keeps its row, without
 * its answers, and why it closed (answered, cancelled, expired, stale).
 */
import type { Core } from './core';
import { releaseWaiting } from './scheduler/nudges';
import { cachedRead } from './store/read-cache';

export interface Dialogue {
  id: number;
  personId: number;
  flow: string;
  subject: string;
  step: string;
  meetingId: number | null;
  state: Record<string, unknown>;
  expiresAt: number | null;
  snoozedUntil: number | null;
  /** 'open' while it waits for an answer; else why it closed. */
  status: 'open' | Outcome;
  createdAt: number;
  /** When it was last asked or answered. */
  updatedAt: number;
  /** When the person last wrote while it was their current question (or was asked it again as promised); null while untouched. */
  touchedAt: number | null;
}

export type Outcome = 'answered' | 'cancelled' | 'expired' | 'stale';

interface DialogueRow {
  id: number;
  person_id: number;
  flow: string;
  subject: string;
  step: string;
  meeting_id: number | null;
  state: string;
  expires_at: number | null;
  snoozed_until: number | null;
  status: 'open' | Outcome;
  created_at: number;
  updated_at: number;
  touched_at: number | null;
}

function fromRow(row: DialogueRow): Dialogue {
  return {
    id: row.id,
    personId: row.person_id,
    flow: row.flow,
    subject: row.subject,
    step: row.step,
    meetingId: row.meeting_id,
    state: JSON.parse(row.state) as Record<string, unknown>,
    expiresAt: row.expires_at,
    snoozedUntil: row.snoozed_until,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    touchedAt: row.touched_at,
  };
}

/**
 * Every open dialogue of the person, current first, then in the order they wait. Those whose time is
 * up are closed as expired on the way.
 */
export function openDialogues(core: Core, personId: number): readonly Dialogue[] {
  const now = core.clock.now();
  // Handling one message asks this several times; the answer holds until a dialogue is written.
  return cachedRead(core.db, 'openDialogues', ['dialogues'], `${personId}@${now}`, () => {
    const rows = core.db
      .prepare("SELECT * FROM dialogues WHERE person_id = ? AND status = 'open' ORDER BY rank, id")
      .all(personId) as DialogueRow[];
    const expired = (r: DialogueRow) => r.expires_at !== null && r.expires_at <= now;
    for (const r of rows) if (expired(r)) closeDialogue(core, r.id, 'expired', 'its time passed');
    const live = rows.filter((r) => !expired(r));
    const awake = live.filter((r) => r.snoozed_until === null || r.snoozed_until <= now);
    const asleep = live.filter((r) => !(r.snoozed_until === null || r.snoozed_until <= now));
    return [...awake, ...asleep].map(fromRow);
  });
}

/** The dialogue a reply goes to: the first open one that is not put off until later; or null. */
export function currentDialogue(core: Core, personId: number): Dialogue | null {
  const first = openDialogues(core, personId)[0];
  if (!first || (first.snoozedUntil !== null && first.snoozedUntil > core.clock.now())) return null;
  return first;
}

export function getDialogue(core: Core, id: number): Dialogue | null {
  // Read several times while one answer is handled; kept until a dialogue is written.
  return cachedRead(core.db, 'dialogue', ['dialogues'], id, () => {
    const row = core.db.prepare('SELECT * FROM dialogues WHERE id = ?').get(id) as DialogueRow | undefined;
    return row ? fromRow(row) : null;
  });
}

/** Whether the dialogue is still waiting for an answer. */
export function isOpen(core: Core, id: number): boolean {
  return dialogueOutcome(core, id)?.status === 'open';
}

/** The dialogue's status and why it closed, e.g. for an answer that comes after it expired. */
export function dialogueOutcome(core: Core, id: number): { status: 'open' | Outcome; note: string | null } | null {
  return (core.db.prepare('SELECT status, outcome_note AS note FROM dialogues WHERE id = ?').get(id) as { status: 'open' | Outcome; note: string | null }) ?? null;
}

/** The rank that puts a dialogue in front of the person's open ones (ranks are times; lower is earlier). */
function frontOf(core: Core, lowest: number | null): number {
  return Math.min(lowest ?? Number.MAX_SAFE_INTEGER, core.clock.now()) - 1;
}

function frontRank(core: Core, personId: number): number {
  const { lowest } = core.db.prepare("SELECT min(rank) AS lowest FROM dialogues WHERE person_id = ? AND status = 'open'").get(personId) as { lowest: number | null };
  return frontOf(core, lowest);
}

export type NewDialogue = Pick<Dialogue, 'personId' | 'flow' | 'subject' | 'step' | 'meetingId' | 'state' | 'expiresAt'> & {
  /** 'front': it becomes current (the person was just asked it); 'back': it waits behind the others. */
  place?: 'front' | 'back';
};

/**
 * Opens a dialogue and returns it. One that is already open about the same subject is started again
 * in place (asking the same thing twice keeps one question); every other open dialogue stays.
 */
export function openDialogue(core: Core, d: NewDialogue): Dialogue {
  const now = core.clock.now();
  const open = core.db
    .prepare("SELECT min(rank) AS lowest, max(CASE WHEN subject = ? THEN id END) AS existing FROM dialogues WHERE person_id = ? AND status = 'open'")
    .get(d.subject, d.personId) as { lowest: number | null; existing: number | null };
  const rank = d.place === 'back' ? now : frontOf(core, open.lowest);
  const values = { ...d, state: JSON.stringify(d.state), rank, now };
  if (open.existing !== null) {
    const row = core.db
      .prepare(
        `UPDATE dialogues SET flow = @flow, step = @step, meeting_id = @meetingId, state = @state, expires_at = @expiresAt,
           snoozed_until = NULL, updated_at = @now, touched_at = NULL, rank = CASE WHEN @place = 'back' THEN rank ELSE @rank END WHERE id = @id RETURNING *`,
      )
      .get({ ...values, place: d.place ?? 'front', id: open.existing });
    return fromRow(row as DialogueRow);
  }
  // Everything of a new row is known here; RETURNING would cost more than the insert itself.
  const id = core.db
    .prepare(
      `INSERT INTO dialogues (person_id, flow, subject, step, meeting_id, state, rank, expires_at, created_at, updated_at)
       VALUES (@personId, @flow, @subject, @step, @meetingId, @state, @rank, @expiresAt, @now, @now)`,
    )
    .run(values).lastInsertRowid;
  return fromRow({
    id: Number(id),
    person_id: d.personId,
    flow: d.flow,
    subject: d.subject,
    step: d.step,
    meeting_id: d.meetingId,
    state: values.state,
    expires_at: d.expiresAt,
    snoozed_until: null,
    status: 'open',
    created_at: now,
    updated_at: now,
    touched_at: null,
  });
}

/** Moves the dialogue to its next step (and new state); the person has just answered. */
export function moveDialogue(core: Core, id: number, step: string, state?: Record<string, unknown>): void {
  core.db
    .prepare('UPDATE dialogues SET step = ?, state = coalesce(?, state), updated_at = ? WHERE id = ?')
    .run(step, state ? JSON.stringify(state) : null, core.clock.now(), id);
}

/** Makes the dialogue current (the person picked it from their list, or was just asked it again). */
export function bringToFront(core: Core, id: number): void {
  const d = getDialogue(core, id);
  if (!d) return;
  const open = openDialogues(core, d.personId);
  // Already current (an answer to the question just asked): nothing to write.
  if (open[0]?.id === id && d.snoozedUntil === null) return;
  core.db.prepare('UPDATE dialogues SET rank = ?, snoozed_until = NULL WHERE id = ?').run(frontRank(core, d.personId), id);
}

/**
 * A re-ask the person was promised went out just now: the dialogue is current and counts as asked and
 * touched now (they chose the moment), so a second promised re-ask waits behind it instead of on top.
 */
export function askedAgain(core: Core, id: number): void {
  const d = getDialogue(core, id);
  if (!d || d.status !== 'open') return;
  const now = core.clock.now();
  core.db.prepare('UPDATE dialogues SET rank = ?, snoozed_until = NULL, updated_at = ?, touched_at = ? WHERE id = ?').run(frontRank(core, d.personId), now, now, id);
}

/** The person just wrote while this was their current question: they are in the middle of it. */
export function touchDialogue(core: Core, id: number): void {
  core.db.prepare('UPDATE dialogues SET touched_at = ? WHERE id = ?').run(core.clock.now(), id);
}

/** "Not yet": the dialogue waits, out of the way, until `until`. Putting off is neither asking nor answering. */
export function snoozeDialogue(core: Core, id: number, until: number): void {
  core.db.prepare('UPDATE dialogues SET snoozed_until = ?, rank = ? WHERE id = ?').run(until, until, id);
}

/**
 * Closes a dialogue with its outcome. Its answers are removed from the row (they live in the flow's
 * own tables if they were kept); nudges that waited for the person's dialogue are due now.
 */
export function closeDialogue(core: Core, id: number, outcome: Outcome, note?: string): void {
  const now = core.clock.now();
  const row = core.db
    .prepare(`UPDATE dialogues SET status = ?, outcome_note = ?, state = '{}', closed_at = ?, updated_at = ? WHERE id = ? AND status = 'open' RETURNING person_id`)
    .get(outcome, note ?? null, now, now, id) as { person_id: number } | undefined;
  if (row && releaseWaiting(core.db, row.person_id, now) > 0) core.wake();
}

/** Closes the open dialogues about a pair or its meetings (the pair ended); questions about anything else stay. */
export function closeDialoguesOfPair(core: Core, pairId: number, note: string): number {
  const rows = core.db
    .prepare(
      `SELECT id FROM dialogues WHERE status = 'open'
         AND (json_extract(state, '$.pairId') = @pairId OR meeting_id IN (SELECT id FROM meetings WHERE pair_id = @pairId))`,
    )
    .all({ pairId }) as { id: number }[];
  for (const r of rows) closeDialogue(core, r.id, 'stale', note);
  return rows.length;
}
