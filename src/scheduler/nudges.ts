/**
 * Planned nudges as rows. Planning is an insert keyed by a unique key (planning twice inserts once).
 * A claim takes due rows under a lease in the style of graphile-worker: it records the owner and
 * the lease's end and counts the attempt; every outcome write is fenced by the owner, so a row taken
 * over by another process can never be overwritten; a row is taken back only when its lease ran out,
 * and it is then "in doubt" (it may have arrived) until the platform has been asked.
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
  seqAt: number;
  expiresAt: number | null;
  status: NudgeStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lockedAt: number | null;
  lockedBy: string | null;
  leaseUntil: number | null;
  /** The key the message went out under when it was bundled with others. */
  bundleKey: string | null;
}

export interface ClaimedNudge extends NudgeRow {
  /** Claimed before by a process whose lease ran out before it recorded the outcome: it may have been delivered. */
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

const columns = `id, key, kind, person_id AS personId, subject, payload, due_at AS dueAt, coalesce(seq_at, due_at) AS seqAt,
  expires_at AS expiresAt, status, attempts, max_attempts AS maxAttempts, last_error AS lastError, locked_at AS lockedAt,
  locked_by AS lockedBy, lease_until AS leaseUntil, bundle_key AS bundleKey, in_doubt AS inDoubtFlag`;

type Row = NudgeRow & { inDoubtFlag: number };
const toClaimed = (r: Row): ClaimedNudge => {
  const { inDoubtFlag, ...rest } = r;
  return { ...rest, inDoubt: inDoubtFlag === 1 };
};

/**
 * Inserts the nudge unless one with the same key exists; returns whether it was inserted. A cancelled
 * row with that key (a meeting moved away and back) is planned again; a pending one is brought
 * forward when `earliest` asks for it; any other is left as it is.
 */
export function planNudge(db: Db, nudge: PlanNudge, now: number): boolean {
  const result = db
    .prepare(
      `INSERT INTO nudges (key, kind, person_id, subject, payload, due_at, seq_at, expires_at, max_attempts, created_at)
       VALUES (@key, @kind, @personId, @subject, @payload, @dueAt, @dueAt, @expiresAt, @maxAttempts, @now)
       ON CONFLICT (key) DO UPDATE SET
         due_at = CASE WHEN nudges.status = 'cancelled' THEN excluded.due_at ELSE min(nudges.due_at, excluded.due_at) END,
         seq_at = CASE WHEN nudges.status = 'cancelled' THEN excluded.due_at ELSE min(coalesce(nudges.seq_at, nudges.due_at), excluded.due_at) END,
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
  const row = db.prepare(`SELECT ${columns} FROM nudges WHERE id = ?`).get(id) as Row | undefined;
  return row ? toClaimed(row) : null;
}

export function findNudge(db: Db, key: string): NudgeRow | null {
  const row = db.prepare(`SELECT ${columns} FROM nudges WHERE key = ?`).get(key) as Row | undefined;
  return row ? toClaimed(row) : null;
}

export interface ClaimOptions {
  limit: number;
  /** Who claims: the process id and its start, e.g. "4211:1764000000000". */
  owner: string;
  leaseMs: number;
  /** Also claim each person's further nudges due within this window after now, to send them as one message. */
  bundleMs?: number;
}

/**
 * Claims due work in one short IMMEDIATE transaction, grouped by person, each group in the person's
 * order. First rows whose lease ran out (in doubt), then for each person with nothing in flight their
 * next nudge in order if it is due, with the further ones due within the bundle window. A person
 * never has two claims at once, so their messages go out one at a time, in order.
 */
export function claimDue(db: Db, now: number, options: ClaimOptions): ClaimedNudge[][] {
  const expired = db.prepare(`SELECT ${columns} FROM nudges WHERE status = 'sending' AND lease_until <= ? ORDER BY lease_until LIMIT ?`);
  // A row that failed and waits for its retry (or was held back by the platform) keeps its place in
  // the person's order: nothing planned after it may overtake it.
  const notOvertaking = (alias: string) => `NOT EXISTS (SELECT 1 FROM nudges r WHERE r.person_id = ${alias}.person_id AND r.status = 'pending'
          AND r.last_error IS NOT NULL AND r.due_at > @now AND coalesce(r.seq_at, r.due_at) < coalesce(${alias}.seq_at, ${alias}.due_at))`;
  const heads = db.prepare(
    `SELECT ${columns} FROM nudges n
      WHERE n.status = 'pending' AND n.due_at <= @now
        AND n.id = (SELECT m.id FROM nudges m WHERE m.person_id = n.person_id AND m.status = 'pending' AND m.due_at <= @now
                     ORDER BY coalesce(m.seq_at, m.due_at), m.id LIMIT 1)
        AND NOT EXISTS (SELECT 1 FROM nudges s WHERE s.person_id = n.person_id AND s.status = 'sending')
        AND ${notOvertaking('n')}
      ORDER BY n.due_at, n.id LIMIT @limit`,
  );
  const companions = db.prepare(
    `SELECT ${columns} FROM nudges c WHERE c.person_id = @personId AND c.status = 'pending' AND c.id <> @id AND c.due_at <= @until
        AND coalesce(c.not_before, 0) <= @now AND ${notOvertaking('c')}
      ORDER BY coalesce(c.seq_at, c.due_at), c.id LIMIT 20`,
  );
  const dueTogether = db.prepare(
    `SELECT c.person_id FROM nudges c WHERE c.person_id IN (SELECT value FROM json_each(@persons)) AND c.status = 'pending'
        AND c.id NOT IN (SELECT value FROM json_each(@heads)) AND c.due_at <= @until AND coalesce(c.not_before, 0) <= @now
      GROUP BY c.person_id`,
  );
  const lock = db.prepare(
    `UPDATE nudges SET status = 'sending', locked_by = @owner, locked_at = @now, lease_until = @lease, attempts = attempts + 1,
       in_doubt = CASE WHEN status = 'sending' THEN 1 ELSE in_doubt END
     WHERE id = @id`,
  );
  return db
    .transaction(() => {
      const groups: ClaimedNudge[][] = [];
      const taken = (expired.all(now, options.limit) as Row[]).map((r) => ({ ...toClaimed(r), inDoubt: true }));
      const byPerson = new Map<number, ClaimedNudge[]>();
      for (const n of taken) byPerson.set(n.personId, [...(byPerson.get(n.personId) ?? []), n]);
      groups.push(...byPerson.values());
      const room = options.limit - taken.length;
      if (room > 0) {
        const claimedHeads = (heads.all({ now, limit: room }) as Row[]).map(toClaimed).filter((h) => !byPerson.has(h.personId));
        // Most people have nothing else due: one query finds those who do, and only they are asked for their rows.
        const until = now + (options.bundleMs ?? 0);
        const withMore = options.bundleMs ? new Set(dueTogether.pluck().all({ persons: JSON.stringify(claimedHeads.map((h) => h.personId)), heads: JSON.stringify(claimedHeads.map((h) => h.id)), until, now }) as number[]) : new Set<number>();
        for (const head of claimedHeads) {
          const more = withMore.has(head.personId) ? (companions.all({ personId: head.personId, id: head.id, until, now }) as Row[]).map(toClaimed) : [];
          groups.push([head, ...more]);
        }
      }
      for (const group of groups) for (const n of group) lock.run({ owner: options.owner, now, lease: now + options.leaseMs, id: n.id });
      return groups.map((g) => g.map((n) => ({ ...n, attempts: n.attempts + 1, lockedBy: options.owner, lockedAt: now, leaseUntil: now + options.leaseMs })));
    })
    .immediate();
}

/** Keeps the lease of rows still being delivered by `owner`. */
export function renewLeases(db: Db, owner: string, ids: readonly number[], until: number): void {
  const renew = db.prepare("UPDATE nudges SET lease_until = ? WHERE id = ? AND locked_by = ? AND status = 'sending'");
  db.transaction(() => {
    for (const id of ids) renew.run(until, id, owner);
  })();
}

/** The message this row goes out in when bundled with others: written before sending, for recovery. */
export function setBundleKey(db: Db, owner: string, ids: readonly number[], bundleKey: string | null): void {
  const set = db.prepare("UPDATE nudges SET bundle_key = ? WHERE id = ? AND locked_by = ? AND status = 'sending'");
  db.transaction(() => {
    for (const id of ids) set.run(bundleKey, id, owner);
  })();
}

/** Each outcome write is fenced: it changes the row only while `owner` still holds it. Returns whether it did. */
export function markDelivered(db: Db, id: number, owner: string, messageId: string, now: number): boolean {
  return (
    db
      .prepare(
        `UPDATE nudges SET status = 'delivered', delivered_at = ?, platform_message_id = ?, locked_at = NULL, lease_until = NULL,
           last_error = NULL, in_doubt = 0 WHERE id = ? AND locked_by = ? AND status = 'sending'`,
      )
      .run(now, messageId, id, owner).changes === 1
  );
}

/**
 * Keeps the person's order: what is planned after a row that now waits until `dueAt` waits at least as
 * long (its place, seq_at, is kept), so nothing overtakes it and the next due time stays true.
 */
function holdLaterOnes(db: Db, id: number, dueAt: number): void {
  db.prepare(
    `UPDATE nudges SET due_at = max(due_at, @dueAt)
      WHERE status = 'pending' AND person_id = (SELECT person_id FROM nudges WHERE id = @id)
        AND coalesce(seq_at, due_at) > (SELECT coalesce(seq_at, due_at) FROM nudges WHERE id = @id) AND id <> @id`,
  ).run({ id, dueAt });
}

/** A failed attempt (counted at the claim) that will be tried again at `dueAt`, in the person's order. */
export function markRetry(db: Db, id: number, owner: string, dueAt: number, error: string): boolean {
  const done =
    db
      .prepare(
        `UPDATE nudges SET status = 'pending', due_at = ?, last_error = ?, locked_at = NULL, lease_until = NULL, bundle_key = NULL
          WHERE id = ? AND locked_by = ? AND status = 'sending'`,
      )
      .run(dueAt, error, id, owner).changes === 1;
  if (done) holdLaterOnes(db, id, dueAt);
  return done;
}

/**
 * Not an attempt after all (the platform asked to slow down, its circuit is open, or it could not say
 * whether the message arrived): back to pending at `dueAt` without counting, in the person's order.
 */
export function release(db: Db, id: number, owner: string, dueAt: number, note: string): boolean {
  const done =
    db
      .prepare(
        `UPDATE nudges SET status = 'pending', due_at = ?, attempts = max(attempts - 1, 0), outcome_note = ?, last_error = ?, locked_at = NULL,
           lease_until = NULL, bundle_key = CASE WHEN in_doubt = 1 THEN bundle_key ELSE NULL END
          WHERE id = ? AND locked_by = ? AND status = 'sending'`,
      )
      .run(dueAt, note, note, id, owner).changes === 1;
  if (done) holdLaterOnes(db, id, dueAt);
  return done;
}

export function markFailed(db: Db, id: number, owner: string, error: string): boolean {
  return (
    db
      .prepare("UPDATE nudges SET status = 'failed', last_error = ?, locked_at = NULL, lease_until = NULL WHERE id = ? AND locked_by = ? AND status = 'sending'")
      .run(error, id, owner).changes === 1
  );
}

/** Not sent and never will be: expired, or its reason is gone. Not an attempt. */
export function markDropped(db: Db, id: number, owner: string, note: string): boolean {
  return (
    db
      .prepare(
        `UPDATE nudges SET status = 'dropped', outcome_note = ?, attempts = max(attempts - 1, 0), locked_at = NULL, lease_until = NULL
          WHERE id = ? AND locked_by = ? AND status = 'sending'`,
      )
      .run(note, id, owner).changes === 1
  );
}

/**
 * Not sent yet, without counting an attempt: quiet hours, a pause, or the person is in the middle of
 * another dialogue. It takes its place in the person's order at the new time.
 */
export function postpone(db: Db, id: number, owner: string, dueAt: number, note: string): boolean {
  return (
    db
      .prepare(
        `UPDATE nudges SET status = 'pending', due_at = ?, seq_at = ?, attempts = max(attempts - 1, 0), outcome_note = ?, locked_at = NULL,
           lease_until = NULL, bundle_key = NULL WHERE id = ? AND locked_by = ? AND status = 'sending'`,
      )
      .run(dueAt, dueAt, note, id, owner).changes === 1
  );
}

export const WAITING_FOR_DIALOGUE = 'waiting for an open dialogue';

/** Nudges held back while the person was in another dialogue: due now that it has closed. */
export function releaseWaiting(db: Db, personId: number, now: number): number {
  return db
    .prepare("UPDATE nudges SET due_at = ?, seq_at = ? WHERE person_id = ? AND status = 'pending' AND outcome_note = ? AND due_at > ?")
    .run(now, now, personId, WAITING_FOR_DIALOGUE, now).changes;
}

export function nextDueAt(db: Db): number | null {
  const row = db.prepare("SELECT min(due_at) AS at FROM nudges WHERE status = 'pending'").get() as { at: number | null };
  return row.at;
}
