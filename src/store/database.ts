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
      statement = wrap(rowsInJs(compile(sql)), sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/**
 * Rows as objects built in JavaScript from the raw values, one literal per statement's columns:
 * better-sqlite3 builds each row object through V8's API, property by property, which cost more
 * than the query itself for a wide row (measured: 10 µs for a 17-column row by id, 6.5 µs raw and
 * built here). Same shape as better-sqlite3's (a later column of the same name wins); `pluck()`,
 * `raw()` and `expand()` still switch the statement to those modes.
 */
function rowsInJs(statement: Database.Statement): Database.Statement {
  if (!statement.reader) return statement;
  const names = statement.columns().map((c) => c.name);
  // Built from the statement's own column names, each quoted as a string literal: one object shape per statement.
  const rowOf = new Function('r', `return { ${names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ')} };`) as (raw: unknown[]) => unknown;
  const native = { get: statement.get, all: statement.all, iterate: statement.iterate, pluck: statement.pluck, raw: statement.raw, expand: statement.expand };
  let objects = true;
  native.raw.call(statement, true);
  const mode = (name: 'pluck' | 'raw' | 'expand') =>
    function (this: Database.Statement, on = true) {
      native[name].call(statement, on);
      objects = !on;
      if (objects) native.raw.call(statement, true);
      return statement;
    };
  Object.assign(statement, {
    pluck: mode('pluck'),
    raw: mode('raw'),
    expand: mode('expand'),
    get(...args: unknown[]) {
      const row = native.get.apply(statement, args) as unknown[] | undefined;
      return objects && row !== undefined ? rowOf(row) : row;
    },
    all(...args: unknown[]) {
      const rows = native.all.apply(statement, args) as unknown[][];
      return objects ? rows.map(rowOf) : rows;
    },
    *iterate(...args: unknown[]) {
      for (const row of native.iterate.apply(statement, args) as IterableIterator<unknown[]>) yield objects ? rowOf(row) : row;
    },
  });
  return statement;
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
