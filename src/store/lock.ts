/**
 * One running Sparring per database file. The lock is a small SQLite file next to the database
 * (`sparring.db.lock`) held with an exclusive lock for the life of the process. SQLite takes that
 * lock with fcntl, so the kernel releases it the moment the process dies, even by `kill -9`: there is
 * no stale lock to guess about, and a reused pid (always 1 in a container) cannot fool it. Who holds
 * it is written beside it (`sparring.db.lock.json`), only to name them when a second start is refused.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SparringError } from '../errors';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

export interface ProcessLock {
  owner: LockOwner;
  /** The scheduler's owner id: `${pid}:${startedAt}`. */
  id: string;
  release(): void;
}

const ownerSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.number() });

/** Another process holds the lock on this database. */
export class AlreadyRunningError extends SparringError {
  constructor(
    readonly databasePath: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner ? `pid ${owner.pid} on ${owner.host}, running since ${new Date(owner.startedAt).toISOString()}` : 'its pid is not known';
    super(
      'already_running',
      `another Sparring is already running on ${databasePath} (${who}); stop it first, or point DATABASE_PATH at another file`,
    );
  }
}

export const lockPaths = (databasePath: string) => ({ lock: `${databasePath}.lock`, owner: `${databasePath}.lock.json` });

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * Takes the lock for `databasePath`, or throws AlreadyRunningError naming the process that holds it.
 * A lock left by a process that died is free again and simply taken. `:memory:` needs no lock.
 */
export function acquireProcessLock(databasePath: string, now: number = Date.now()): ProcessLock {
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: now };
  const id = `${owner.pid}:${owner.startedAt}`;
  if (databasePath === ':memory:') return { owner, id, release: () => {} };
  const paths = lockPaths(databasePath);
  mkdirSync(dirname(databasePath), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(paths.lock, { timeout: 0 });
  } catch (error) {
    if (isBusy(error)) throw new AlreadyRunningError(databasePath, readOwner(paths.owner));
    throw error;
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, started_at INTEGER NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO owner (id, pid, host, started_at) VALUES (1, ?, ?, ?)').run(owner.pid, owner.host, owner.startedAt);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new AlreadyRunningError(databasePath, readOwner(paths.owner));
    throw error;
  }
  writeFileSync(paths.owner, JSON.stringify(owner) + '\n');
  let held = true;
  return {
    owner,
    id,
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
