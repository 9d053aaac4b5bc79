import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';

export type Db = Database.Database;

/**
 * Opens (creating if need be) the SQLite file, sets the pragmas Sparring relies on and applies
 * pending migrations. `:memory:` works too.
 */
export function openDatabase(path: string, options: { migrationsDir?: string } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrationsDir);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `work` inside one IMMEDIATE transaction (the write lock is taken up front, so two
 * processes never interleave a read-then-write). One use case, one transaction.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
