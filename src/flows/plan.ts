/**
 * Small helpers the flows share for planning nudges at sensible local moments, and for a "slot":
 * one pending message about one thing to one person, replaced while it waits (debouncing).
 */
import type { Core } from '../core';
import { planNudge, type PlanNudge } from '../scheduler/nudges';
import { atLocalTime, shiftLocalDate } from '../time';

export function plan(core: Core, nudge: PlanNudge): boolean {
  return planNudge(core.db, nudge, core.clock.now());
}

/** `hour`:00 local time, `days` days after the local date of `at`. */
export function dayAt(at: number, days: number, hour: number, zone: string): number {
  return atLocalTime(shiftLocalDate(at, days, zone), hour, 0, zone);
}

export const pairSubject = (pairId: number) => `pair:${pairId}`;
export const quietSubject = (pairId: number) => `pair:${pairId}:quiet`;

/** Keys of a slot's rows are `${slot}:…`; this is their range in the unique index on key (':' + 1 is ';'). */
const slotRange = (slot: string) => ({ from: `${slot}:`, to: `${slot};` });

export interface PendingInSlot {
  id: number;
  key: string;
  payload: unknown;
}

/** The slot's message that is planned and not yet claimed, if any. */
export function pendingInSlot(core: Core, slot: string): PendingInSlot | null {
  const { from, to } = slotRange(slot);
  const row = core.db
    .prepare("SELECT id, key, payload FROM nudges WHERE key >= ? AND key < ? AND status = 'pending' ORDER BY id DESC LIMIT 1")
    .get(from, to) as { id: number; key: string; payload: string } | undefined;
  if (!row) return null;
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    // a row that cannot be read is replaced like any other
  }
  return { id: row.id, key: row.key, payload };
}

/**
 * Plans the slot's message (a slot starts with its kind, e.g. `meeting.invite:7:3`). While one
 * is still pending (not yet claimed for delivery), it is replaced: its payload, due time and
 * expiry become these, so changes in quick succession send one message with the final state. Otherwise a new row is planned under `${slot}:${suffix}` (the
 * suffix must differ from that of any earlier row of the slot, e.g. a meeting's sequence).
 * The row is not sent, nor taken into a bundle, before its due time (`not_before`), so that a
 * change within the delay can still replace it. Returns what the pending row held before, or null
 * when a new row was planned.
 */
export function planLatest(core: Core, slot: string, suffix: string | number, nudge: Omit<PlanNudge, 'key' | 'earliest'>): PendingInSlot | null {
  const pending = pendingInSlot(core, slot);
  if (!pending) {
    const key = `${slot}:${suffix}`;
    plan(core, { ...nudge, key });
    core.db.prepare("UPDATE nudges SET not_before = ? WHERE key = ? AND status = 'pending'").run(nudge.dueAt, key);
    return null;
  }
  core.db
    .prepare(
      `UPDATE nudges SET subject = @subject, payload = @payload, due_at = @dueAt, seq_at = @dueAt, not_before = @dueAt,
         expires_at = @expiresAt, outcome_note = NULL, last_error = NULL
       WHERE id = @id AND status = 'pending'`,
    )
    .run({
      id: pending.id,
      subject: nudge.subject ?? null,
      payload: JSON.stringify(nudge.payload ?? {}),
      dueAt: nudge.dueAt,
      expiresAt: nudge.expiresAt ?? null,
    });
  return pending;
}

/** Withdraws the slot's pending message (it is not sent); returns what it held, or null when none was pending. */
export function withdrawPending(core: Core, slot: string, note: string): PendingInSlot | null {
  const pending = pendingInSlot(core, slot);
  if (pending) core.db.prepare("UPDATE nudges SET status = 'cancelled', outcome_note = ? WHERE id = ? AND status = 'pending'").run(note, pending.id);
  return pending;
}
