/**
 * The read cache (src/store/read-cache.ts) must never hand out a value the database no longer
 * holds: after this connection's writes (held statements and RETURNING included), after a rolled-back
 * transaction, and after another connection's commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/database';
import { cachedRead, primeRead, writtenTable } from '../../src/store/read-cache';

let dir: string;
let db: Db;
let loads: number;

/** A person's name through the cache, counting the reads that reached the database. */
function name(d: Db, id: number): string | null {
  return cachedRead(d, 'test-name', ['people'], id, () => {
    loads += 1;
    return (d.prepare('SELECT name FROM people WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? null;
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sparring-cache-'));
  db = openDatabase(join(dir, 'test.db'));
  db.prepare("INSERT INTO people (id, name, created_at) VALUES (1, 'Emil', 0), (2, 'Sara', 0)").run();
  loads = 0;
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a repeated read is served from the cache until its table is written', () => {
  expect(name(db, 1)).toBe('Emil');
  expect(name(db, 1)).toBe('Emil');
  expect(loads).toBe(1);
  db.prepare("UPDATE people SET name = 'Emilie' WHERE id = 1").run();
  expect(name(db, 1)).toBe('Emilie');
  expect(loads).toBe(2);
});

test('a value kept on the way by another read is served until its table is written, and replaces an older one', () => {
  expect(name(db, 1)).toBe('Emil');
  db.prepare("UPDATE people SET name = 'Emilie' WHERE id = 1").run();
  // Read with something else (as a person's latest programme is read with the person): kept as if loaded now.
  primeRead(db, 'test-name', ['people'], 1, 'Emilie');
  expect(name(db, 1)).toBe('Emilie');
  expect(loads).toBe(1);
  db.prepare("UPDATE people SET name = 'Em' WHERE id = 1").run();
  expect(name(db, 1)).toBe('Em');
  expect(loads).toBe(2);
});

test('a write to a table the read does not depend on keeps the entry; a delete anywhere drops it', () => {
  name(db, 1);
  db.prepare("INSERT INTO programmes (name, starts_on, ends_on, locale, timezone, created_at) VALUES ('P', '2026-09-01', '2026-12-18', 'da', 'Europe/Copenhagen', 0)").run();
  name(db, 1);
  expect(loads).toBe(1);
  // A delete can cascade through foreign keys into any table.
  db.prepare('DELETE FROM programmes').run();
  name(db, 1);
  expect(loads).toBe(2);
});

test('a statement held and run again counts every run, and UPDATE … RETURNING counts too', () => {
  const rename = db.prepare('UPDATE people SET name = ? WHERE id = 1');
  rename.run('A');
  expect(name(db, 1)).toBe('A');
  rename.run('B');
  expect(name(db, 1)).toBe('B');
  db.prepare('UPDATE people SET name = ? WHERE id = 1 RETURNING id').get('C');
  expect(name(db, 1)).toBe('C');
  db.exec("UPDATE people SET name = 'D' WHERE id = 1");
  expect(name(db, 1)).toBe('D');
});

test('what was read inside a transaction that rolled back is forgotten, nested ones included', () => {
  expect(() =>
    db.transaction(() => {
      db.prepare("UPDATE people SET name = 'Ghost' WHERE id = 1").run();
      expect(name(db, 1)).toBe('Ghost');
      throw new Error('undo');
    })(),
  ).toThrow('undo');
  expect(name(db, 1)).toBe('Emil');

  db.transaction(() => {
    try {
      db.transaction(() => {
        db.prepare("UPDATE people SET name = 'Savepoint' WHERE id = 2").run();
        expect(name(db, 2)).toBe('Savepoint');
        throw new Error('undo the savepoint');
      }).immediate();
    } catch {
      // the outer transaction goes on
    }
    expect(name(db, 2)).toBe('Sara');
  }).immediate();
  expect(name(db, 2)).toBe('Sara');
});

test("another connection's commit is seen at once outside a transaction, and at the first read inside one", () => {
  const other = openDatabase(join(dir, 'test.db'));
  try {
    expect(name(db, 1)).toBe('Emil');
    other.prepare("UPDATE people SET name = 'Changed elsewhere' WHERE id = 1").run();
    expect(name(db, 1)).toBe('Changed elsewhere');

    other.prepare("UPDATE people SET name = 'Again' WHERE id = 1").run();
    db.transaction(() => {
      expect(name(db, 1)).toBe('Again');
    }).immediate();
  } finally {
    other.close();
  }
});

test('cached values are frozen, so a caller cannot change them for everyone', () => {
  const value = cachedRead(db, 'test-object', ['people'], 1, () => ({ names: ['Emil'] }));
  expect(() => {
    (value as { names: string[] }).names.push('Sara');
  }).toThrow(TypeError);
});

test('a connection not opened by openDatabase is not tracked, and always reads', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const plain = new Database(join(dir, 'test.db'));
  try {
    name(plain, 1);
    name(plain, 1);
    expect(loads).toBe(2);
  } finally {
    plain.close();
  }
});

test('the written table is read from INSERT, REPLACE and UPDATE; anything else counts as everything', () => {
  expect(writtenTable('INSERT INTO people (name) VALUES (?)')).toBe('people');
  expect(writtenTable('  insert or ignore into "dialogues" values (1)')).toBe('dialogues');
  expect(writtenTable('REPLACE INTO kv VALUES (1, 2)')).toBe('kv');
  expect(writtenTable('UPDATE OR ROLLBACK nudges SET x = 1')).toBe('nudges');
  expect(writtenTable('DELETE FROM people')).toBeNull();
  expect(writtenTable('WITH x AS (SELECT 1) INSERT INTO people SELECT * FROM x')).toBeNull();
});

test('every trigger writes only the table it is on (the cache counts a write against the statement’s own table)', () => {
  const triggers = db.prepare("SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; tableName: string; sql: string }[];
  expect(triggers.length).toBeGreaterThan(0);
  for (const t of triggers) {
    const body = t.sql.slice(t.sql.search(/\bBEGIN\b/i));
    const written = [...body.matchAll(/\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`[]?(\w+)/gi)].map((m) => m[1]!.toLowerCase());
    expect({ trigger: t.name, writes: [...new Set(written)] }).toEqual({ trigger: t.name, writes: [t.tableName.toLowerCase()] });
  }
});
