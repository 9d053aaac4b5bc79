/**
 * Recording accepted deliveries (group commit). Deliveries the platform accepted in the same turn of
 * the event loop are recorded together, in one commit, with their tasks' `delivered` hooks: the commit
 * is most of the cost of a delivery, and a platform answers many at once on a busy morning. A recording
 * waits at most until the loop turns (or until RECORDING_BATCH are waiting), and the scheduler flushes
 * before each claim and at the end of a tick; a process killed in between leaves the rows in flight,
 * which the next start asks the platform about, as after a kill just before the commit.
 *
 * Once a platform accepted a message nothing sends it again: a recording that cannot be written is
 * kept in memory and written when the database is back, and its hooks are tried on their own.
 */
import type { Core } from '../core';
import { describeError } from '../errors';
import type { Logger } from '../log';
import { inTransaction } from '../store/database';
import { markDelivered, type ClaimedNudge } from './nudges';
import type { TaskContext, TaskRegistry } from './task';

/** A row whose message the platform accepted: recorded, then its task's `delivered` hook runs. */
export interface Delivered {
  n: ClaimedNudge;
  ctx: TaskContext<unknown>;
}

/** At most this many accepted deliveries wait for their commit. */
const RECORDING_BATCH = 64;

export interface RecorderHost {
  core: Core;
  tasks: TaskRegistry;
  owner: string;
  log: Logger;
  counters: { delivered: number; recordRetries: number; hookFailures: number };
  /** Runs one database write; a failure (busy, full, read-only) is reported and it returns false. */
  write(what: string, work: () => boolean | void): boolean;
}

export class DeliveryRecorder {
  private waiting: { rows: Delivered[]; messageId: string; at: number }[] = [];
  private timer: NodeJS.Immediate | null = null;
  /** Deliveries accepted whose recording could not be written yet, by nudge id. */
  private readonly unrecorded = new Map<number, { messageId: string }>();

  constructor(private readonly host: RecorderHost) {}

  /** Records the rows (one message) now or at the loop's next turn. */
  record(rows: Delivered[], messageId: string): void {
    const { core, counters } = this.host;
    counters.delivered += rows.length;
    this.waiting.push({ rows, messageId, at: core.clock.now() });
    // Not inside another transaction (composing): the recording must not be undone with it.
    if (this.waiting.length >= RECORDING_BATCH && !core.db.inTransaction) this.flush();
    else this.timer ??= setImmediate(() => this.flush());
  }

  /** Where the waiting recordings stand, to go back to if the transaction that made the later ones is undone. */
  mark(): number {
    return this.waiting.length;
  }

  /** Forgets what was recorded since `mark` (its transaction was rolled back: those rows were never delivered). */
  forgetSince(mark: number): void {
    for (const { rows } of this.waiting.splice(mark)) this.host.counters.delivered -= rows.length;
  }

  /** The rows whose leases must be kept: waiting to be recorded, or kept in memory. */
  ids(): number[] {
    return [...this.waiting.flatMap((r) => r.rows.map((row) => row.n.id)), ...this.unrecorded.keys()];
  }

  /** How many accepted deliveries could not be recorded yet (the database cannot be written). */
  get unrecordedCount(): number {
    return this.unrecorded.size;
  }

  /**
   * Writes the waiting recordings and runs their hooks in one transaction, each hook in a savepoint of
   * its own, so one that throws is undone alone (logged and counted, never a reason to send again)
   * and the recordings stand.
   */
  flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    const { core, owner, log } = this.host;
    const recorded = this.host.write('recording a delivery', () => {
      inTransaction(core.db, () => {
        for (const { rows, messageId, at } of batch) {
          for (const { n } of rows) {
            if (!markDelivered(core.db, n.id, owner, messageId, at)) log.warn('a delivery was recorded by another process already', { nudge: n.key });
          }
          this.runHooks(rows);
        }
      });
    });
    if (recorded) return;
    for (const { rows, messageId } of batch) {
      for (const { n } of rows) this.unrecorded.set(n.id, { messageId });
      this.host.counters.recordRetries += 1;
      log.error('a message was delivered but could not be recorded; it will not be sent again, and is recorded when the database is back', {
        nudges: rows.map((r) => r.n.key),
      });
      // The hooks were undone with the recording (or never ran): try them on their own.
      this.runHooks(rows);
    }
  }

  /** Writes the recordings kept in memory while the database could not be written. */
  flushUnrecorded(): void {
    if (this.unrecorded.size === 0) return;
    const { core, owner } = this.host;
    const now = core.clock.now();
    for (const [id, u] of [...this.unrecorded]) {
      if (!this.host.write('recording a delivery', () => void markDelivered(core.db, id, owner, u.messageId, now))) return;
      this.unrecorded.delete(id);
    }
    this.host.log.info('deliveries kept in memory are recorded now');
  }

  /** Runs each row's `delivered` hook in its own (nested: savepoint) transaction. */
  private runHooks(rows: Delivered[]): void {
    const { core, tasks, counters, log } = this.host;
    for (const { n, ctx } of rows) {
      const hook = tasks.get(n.kind)?.delivered;
      if (!hook) continue;
      try {
        inTransaction(core.db, () => hook(ctx));
      } catch (error) {
        counters.hookFailures += 1;
        log.error('what follows a delivery failed; the message is not sent again', { nudge: n.key, error: describeError(error) });
      }
    }
  }
}
