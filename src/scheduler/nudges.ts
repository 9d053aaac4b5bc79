/**
 * Planned nudges as rows. Planning is an insert keyed by a unique key (planning twice inserts once);
 * the tick claims due rows through the partial index on due_at and records each outcome.
 */
import type { Db } from '../store/database';

export type NudgeStatus = 'pending' | 'sending' | 'delivered' | 'dropped' | 'failed' | 'cancelled';

export interface NudgeRow {
  id: number;
  key: string;
  kind: string;
  personId: number;
  subject: string | null;
  payload: string;
  dueAt: number;
  expiresAt: number | null;
  status: NudgeStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lockedAt: number | null;
}

export interface ClaimedNudge extends NudgeRow {
  /** Claimed before by a process that stopped before recording the outcome: it may have been delivered. */
  inDoubt: boolean;
}

export interface PlanNudge {
  key: string;
  kind: string;
  personId: number;
  subject?: string;
  payload?: unknown;
  dueAt: number;
  expiresAt?: number | null;
  maxAttempts?: number;
  /** When a pending row with this key exists, bring its due time forward to this one if sooner. */
  earliest?: boolean;
}

const columns = `id, key, kind, person_id AS personId, subject, payload, due_at AS dueAt, expires_at AS expiresAt,
  status, attempts, max_attempts AS maxAttempts, last_error AS lastError, locked_at AS lockedAt`;

/**
 * Inserts the nudge unless one with the same key exists; returns whether it was inserted. A cancelled
 * row with that key (a meeting moved away and back) is planned again; a pending one is brought
 * forward when `earliest` asks for it; any other is left as it is.
 */
export function planNudge(db: Db, nudge: PlanNudge, now: number): boolean {
  const result = db
    .prepare(
      `INSERT INTO nudges (key, kind, person_id, subject, payload, due_at, expires_at, max_attempts, created_at)
       VALUES (@key, @kind, @personId, @subject, @payload, @dueAt, @expiresAt, @maxAttempts, @now)
       ON CONFLICT (key) DO UPDATE SET
         due_at = CASE WHEN nudges.status = 'cancelled' THEN excluded.due_at ELSE min(nudges.due_at, excluded.due_at) END,
         expires_at = CASE WHEN nudges.status = 'cancelled' THEN excluded.expires_at ELSE nudges.expires_at END,
         attempts = CASE WHEN nudges.status = 'cancelled' THEN 0 ELSE nudges.attempts END,
         payload = excluded.payload, last_error = NULL, outcome_note = NULL, status = 'pending'
       WHERE nudges.status = 'cancelled' OR (@earliest = 1 AND nudges.status = 'pending')`,
    )
    .run({
      key: nudge.key,
      kind: nudge.kind,
      personId: nudge.personId,
      subject: nudge.subject ?? null,
      payload: JSON.stringify(nudge.payload ?? {}),
      dueAt: nudge.dueAt,
      expiresAt: nudge.expiresAt ?? null,
      maxAttempts: nudge.maxAttempts ?? 8,
      earliest: nudge.earliest ? 1 : 0,
      now,
    });
  return result.changes === 1;
}

/** Cancels every pending nudge about a subject (a moved or cancelled meeting, an ended pair). */
export function cancelNudges(db: Db, subject: string): number {
  return db.prepare("UPDATE nudges SET status = 'cancelled', outcome_note = 'subject changed' WHERE subject = ? AND status = 'pending'").run(subject)
    .changes;
}

export function getNudge(db: Db, id: number): NudgeRow | null {
  return (db.prepare(`SELECT ${columns} FROM nudges WHERE id = ?`).get(id) as NudgeRow | undefined) ?? null;
}

export function findNudge(db: Db, key: string): NudgeRow | null {
  return (db.prepare(`SELECT ${columns} FROM nudges WHERE key = ?`).get(key) as NudgeRow | undefined) ?? null;
}

/**
 * Claims up to `limit` due nudges in one short IMMEDIATE transaction: first those left in flight by
 * a process that stopped (locked longer ago than `staleMs`), then pending ones whose time has come.
 * Both reads go through partial indexes, so the cost follows what is due, not the table's size.
 */
export function claimDue(db: Db, now: number, options: { limit: number; staleMs: number }): ClaimedNudge[] {
  const stale = db.prepare(`SELECT ${columns} FROM nudges WHERE status = 'sending' AND locked_at <= ? ORDER BY locked_at LIMIT ?`);
  const due = db.prepare(`SELECT ${columns} FROM nudges WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`);
  const lock = db.prepare("UPDATE nudges SET status = 'sending', locked_at = ? WHERE id = ?");
  return db
    .transaction(() => {
      const inDoubt = (stale.all(now - options.staleMs, options.limit) as NudgeRow[]).map((n) => ({ ...n, inDoubt: true }));
      const fresh = (due.all(now, options.limit - inDoubt.length) as NudgeRow[]).map((n) => ({ ...n, inDoubt: false }));
      const claimed = [...inDoubt, ...fresh];
      for (const n of claimed) lock.run(now, n.id);
      return claimed;
    })
    .immediate();
}

export function markDelivered(db: Db, id: number, messageId: string, now: number): void {
  db.prepare(
    `UPDATE nudges SET status = 'delivered', delivered_at = ?, platform_message_id = ?, locked_at = NULL,
       attempts = attempts + 1, last_error = NULL WHERE id = ?`,
  ).run(now, messageId, id);
}

/** A failed attempt that will be tried again at `dueAt`. */
export function markRetry(db: Db, id: number, dueAt: number, error: string): void {
  db.prepare("UPDATE nudges SET status = 'pending', due_at = ?, attempts = attempts + 1, last_error = ?, locked_at = NULL WHERE id = ?").run(
    dueAt,
    error,
    id,
  );
}

export function markFailed(db: Db, id: number, error: string): void {
  db.prepare("UPDATE nudges SET status = 'failed', attempts = attempts + 1, last_error = ?, locked_at = NULL WHERE id = ?").run(error, id);
}

/** Not sent and never will be: expired, or its reason is gone. */
export function markDropped(db: Db, id: number, note: string): void {
  db.prepare("UPDATE nudges SET status = 'dropped', outcome_note = ?, locked_at = NULL WHERE id = ?").run(note, id);
}

/** Not sent yet, without counting an attempt: quiet hours or a pause. */
export function postpone(db: Db, id: number, dueAt: number, note: string): void {
  db.prepare("UPDATE nudges SET status = 'pending', due_at = ?, outcome_note = ?, locked_at = NULL WHERE id = ?").run(dueAt, note, id);
}

export const WAITING_FOR_DIALOGUE = 'waiting for an open dialogue';

/** Nudges held back while the person was in another dialogue: due now that it has closed. */
export function releaseWaiting(db: Db, personId: number, now: number): number {
  return db
    .prepare("UPDATE nudges SET due_at = ? WHERE person_id = ? AND status = 'pending' AND outcome_note = ? AND due_at > ?")
    .run(now, personId, WAITING_FOR_DIALOGUE, now).changes;
}

export function nextDueAt(db: Db): number | null {
  const row = db.prepare("SELECT min(due_at) AS at FROM nudges WHERE status = 'pending'").get() as { at: number | null };
  return row.at;
}
