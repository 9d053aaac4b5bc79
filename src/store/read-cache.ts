/**
 * A read cache that cannot go stale. The same few rows (a person, their programme, a meeting and its
 * pair) are read many times while one message is composed or one answer handled; reading them again
 * is most of the cost of a busy tick. Each cached read names the tables it depends on, and its entry
 * stays valid only while none of them was written:
 *
 * - every statement of this connection that can write counts a write of its table when it runs
 *   (INSERT, UPDATE, REPLACE); a DELETE (foreign keys cascade), `exec`, or SQL whose table cannot be
 *   read from its text counts as a write of everything;
 * - a transaction that ends in an exception (rolled back) counts as a write of everything, so nothing
 *   read inside it survives;
 * - another connection's commit (another process, the CLI) is seen through `PRAGMA data_version`
 *   (see otherConnectionsWrote), and counts as a write of everything.
 *
 * Cached values are frozen: a caller that changes one fails loudly instead of changing it for everyone.
 */
import type Database from 'better-sqlite3';

type Db = Database.Database;

interface Tracker {
  /** Writes per table since the connection opened. */
  tables: Map<string, number>;
  /** Writes of "everything": deletes, exec, rollbacks, other connections. */
  everything: number;
  dataVersion: Database.Statement | null;
  lastDataVersion: number;
  /** Counts outermost transactions (and exec calls, which may BEGIN one); see `otherConnectionsWrote`. */
  transactions: number;
  /** The transaction in which data_version was last read (-1: outside one). */
  checkedIn: number;
  entries: Map<string, Map<unknown, { value: unknown; stamp: number }>>;
}

const trackers = new WeakMap<Db, Tracker>();

/** At most this many entries per kind; a full kind starts afresh (a season's working set fits easily). */
const MAX_ENTRIES = 20_000;

const WRITTEN_TABLE = /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?)\s+["`[]?(\w+)/i;

/** The table a statement writes, or null for "anything" (a DELETE, a CTE, DDL, …). */
export function writtenTable(sql: string): string | null {
  return WRITTEN_TABLE.exec(sql)?.[1]?.toLowerCase() ?? null;
}

/**
 * Starts counting the writes of `db` (called by openDatabase, before anything else runs). `wrap` is
 * given each statement as it is compiled: a statement that can write counts its writes when it runs.
 */
export function trackWrites(db: Db): { wrap(statement: Database.Statement, sql: string): Database.Statement } {
  const tracker: Tracker = {
    tables: new Map(),
    everything: 0,
    dataVersion: null,
    lastDataVersion: -1,
    transactions: 0,
    checkedIn: -1,
    entries: new Map(),
  };
  trackers.set(db, tracker);

  const exec = db.exec.bind(db);
  db.exec = ((sql: string) => {
    tracker.transactions += 1;
    try {
      return exec(sql);
    } finally {
      tracker.everything += 1;
    }
  }) as Db['exec'];

  // A transaction function that throws was rolled back (a nested one to its savepoint), its commit
  // included: forget what was read in it.
  const transaction = db.transaction.bind(db);
  const forgetOnThrow = <F extends (...args: never[]) => unknown>(f: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      if (!db.inTransaction) tracker.transactions += 1;
      try {
        return f.apply(this, args);
      } catch (error) {
        tracker.everything += 1;
        throw error;
      }
    } as F;
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = transaction(fn);
    const wrapped = forgetOnThrow(t) as typeof t;
    for (const variant of ['default', 'deferred', 'immediate', 'exclusive'] as const) {
      Object.defineProperty(wrapped, variant, { value: forgetOnThrow(t[variant]), enumerable: false });
    }
    Object.defineProperty(wrapped, 'database', { value: db, enumerable: false });
    return wrapped;
  }) as Db['transaction'];

  return {
    wrap(statement, sql) {
      if (statement.readonly) return statement;
      const table = writtenTable(sql);
      const count = table
        ? () => tracker.tables.set(table, (tracker.tables.get(table) ?? 0) + 1)
        : () => {
            tracker.everything += 1;
          };
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const original = statement[method] as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = function (this: Database.Statement, ...args: unknown[]) {
          try {
            return original.apply(this, args);
          } finally {
            count();
          }
        };
      }
      return statement;
    },
  };
}

/**
 * Counts another connection's commit as a write of everything. data_version is read before every
 * cached read outside a transaction (reading it costs about as much as a small query, so callers that
 * read a lot, like composing a message, do it inside one), and once per transaction inside one: a
 * write transaction holds the lock and a read transaction keeps its snapshot, so no other commit can
 * be seen in it after its first read.
 */
function otherConnectionsWrote(db: Db, tracker: Tracker): void {
  const inTransaction = db.inTransaction;
  if (inTransaction && tracker.checkedIn === tracker.transactions) return;
  tracker.dataVersion ??= db.prepare('PRAGMA data_version').pluck();
  const version = tracker.dataVersion.get() as number;
  if (version !== tracker.lastDataVersion) {
    if (tracker.lastDataVersion !== -1) tracker.everything += 1;
    tracker.lastDataVersion = version;
  }
  tracker.checkedIn = inTransaction ? tracker.transactions : -1;
}

function stampOf(tracker: Tracker, tables: readonly string[]): number {
  let stamp = tracker.everything;
  for (const t of tables) stamp += tracker.tables.get(t) ?? 0;
  return stamp;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * `load()`'s value, from the cache while none of `tables` was written since it was read. `kind`
 * names the read (one kind, one fixed set of tables); `key` its argument. `tables` must name every
 * table the value depends on, including those read through other cached reads inside `load`.
 * Connections opened without openDatabase are not tracked and always load.
 */
export function cachedRead<T>(db: Db, kind: string, tables: readonly string[], key: unknown, load: () => T): T {
  const tracker = trackers.get(db);
  if (!tracker || !db.open) return load();
  otherConnectionsWrote(db, tracker);
  // Stamped before loading: a write during the load makes the entry stale at once.
  const stamp = stampOf(tracker, tables);
  const hit = entriesOf(tracker, kind).get(key);
  if (hit && hit.stamp === stamp) return hit.value as T;
  return remember(tracker, kind, key, stamp, load());
}

/**
 * Keeps a value read on the way by another read (e.g. a person's latest programme, read in the same
 * statement as the person) as if `cachedRead(db, kind, tables, key, …)` had loaded it with that read.
 * Call it inside the other read's `load`, right after its statement, before anything is written: other
 * connections' commits are not looked for again here (one seen now may have come after the statement
 * ran; the next read sees it and loads afresh).
 */
export function primeRead<T>(db: Db, kind: string, tables: readonly string[], key: unknown, value: T): void {
  const tracker = trackers.get(db);
  if (tracker && db.open) remember(tracker, kind, key, stampOf(tracker, tables), value);
}

function entriesOf(tracker: Tracker, kind: string): Map<unknown, { value: unknown; stamp: number }> {
  let entries = tracker.entries.get(kind);
  if (!entries) tracker.entries.set(kind, (entries = new Map()));
  return entries;
}

function remember<T>(tracker: Tracker, kind: string, key: unknown, stamp: number, loaded: T): T {
  const entries = entriesOf(tracker, kind);
  const value = deepFreeze(loaded);
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { value, stamp });
  return value;
}
