/**
 * Living with a short busy timeout. The running bot waits at most SERVING_BUSY_TIMEOUT_MS for another
 * connection's write lock, so no statement holds the event loop for seconds; a write that meets a
 * busy database is tried again a little later with `withBusyRetry`, letting HTTP be served meanwhile.
 */
import type { Db } from './database';

/** The busy timeout of the running bot's connection. */
export const SERVING_BUSY_TIMEOUT_MS = 100;

/** Whether SQLite said another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED and their extended codes). */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export interface BusyRetryOptions {
  /** How long to keep trying in all (default 30 s). */
  totalMs?: number;
  /** First pause between tries; doubled each time up to `maxDelayMs` (defaults 50 ms and 1 s). */
  delayMs?: number;
  maxDelayMs?: number;
  /** Called before each pause, e.g. to log once. */
  onBusy?: (attempt: number, error: unknown) => void;
}

/**
 * Runs `work` (a synchronous write, usually one transaction) and tries again while the database is
 * busy, pausing between tries without blocking. Any other error, or a busy one after `totalMs`, is thrown.
 */
export async function withBusyRetry<T>(work: () => T, options: BusyRetryOptions = {}): Promise<T> {
  const totalMs = options.totalMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 1000;
  const end = Date.now() + totalMs;
  let delay = options.delayMs ?? 50;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return work();
    } catch (error) {
      if (!isBusyError(error) || Date.now() + delay > end) throw error;
      options.onBusy?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/** Sets the connection's busy timeout (the bot's own connection uses SERVING_BUSY_TIMEOUT_MS). */
export function setBusyTimeout(db: Db, ms: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
}

/**
 * Whether the database takes a write now: BEGIN IMMEDIATE with a busy timeout of `waitMs`, then
 * ROLLBACK, so nothing is written and the event loop waits at most `waitMs`. Returns a problem, or null.
 */
export function probeWritable(db: Db, waitMs = 20, restoreMs = SERVING_BUSY_TIMEOUT_MS): string | null {
  if (!db.open) return 'the database is closed';
  if (db.inTransaction) return null;
  setBusyTimeout(db, waitMs);
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return null;
  } catch (error) {
    if (isBusyError(error)) return 'the database is locked by another connection';
    return `the database cannot be written: ${(error as Error).message}`;
  } finally {
    setBusyTimeout(db, restoreMs);
  }
}
