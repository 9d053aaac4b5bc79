import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';
import { trackWrites } from './read-cache';

export type Db = Database.Database;

/**
 * Opens (creating if need be) the SQLite file, sets the pragmas Sparring relies on and applies
 * pending migrations. `:memory:` works too.
 */
export function openDatabase(path: string, options: { migrationsDir?: string } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  cacheStatements(db, trackWrites(db).wrap);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted and overwritten text is zeroed on its page, not left readable in the file (erasure).
    db.pragma('secure_delete = ON');
    migrate(db, options.migrationsDir);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Makes `db.prepare` return the same compiled statement for the same SQL text. Compiling is most of
 * the cost of a small query, and the core's SQL is a fixed set of strings. (Sparring never iterates
 * a statement, so a statement is never busy when it is handed out again.)
 */
function cacheStatements(db: Db, wrap: (statement: Database.Statement, sql: string) => Database.Statement): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= 1000) cache.clear(); // generated SQL (e.g. a benchmark's IN lists) must not grow it forever
      statement = wrap(compile(sql), sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/** Each connection's one transaction function, given the work to run (making one costs more than a small query). */
const runners = new WeakMap<Db, Database.Transaction<(work: () => unknown) => unknown>>();

/**
 * Runs `work` inside one IMMEDIATE transaction (the write lock is taken up front, so two
 * processes never interleave a read-then-write). One use case, one transaction. Inside another
 * transaction it runs in a savepoint: when it throws, only its own writes are undone.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  let run = runners.get(db);
  if (!run) runners.set(db, (run = db.transaction((w: () => unknown) => w())));
  return run.immediate(work) as T;
}
