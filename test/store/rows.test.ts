/**
 * openDatabase builds row objects in JavaScript (src/store/database.ts, rowsInJs): every row must be
 * what better-sqlite3 itself returns, in every mode a caller can switch a statement to.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/database';

let dir: string;
let ours: Db;
let theirs: Database.Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sparring-rows-'));
  ours = openDatabase(join(dir, 'sparring.db'));
  ours.prepare("INSERT INTO people (id, name, email, created_at) VALUES (1, 'Astrid Holm', 'astrid@example.org', 5), (2, 'Jonas Berg', NULL, 6)").run();
  theirs = new Database(join(dir, 'sparring.db'), { readonly: true });
});
afterAll(() => {
  theirs.close();
  ours.close();
  rmSync(dir, { recursive: true, force: true });
});

const queries: [string, unknown[]][] = [
  ['SELECT * FROM people WHERE id = ?', [1]],
  ['SELECT * FROM people ORDER BY id', []],
  ['SELECT id, name, email FROM people WHERE id = ?', [2]], // a NULL
  ['SELECT id, name AS "odd name", 1 + 1 AS "two", x\'00ff\' AS bytes FROM people ORDER BY id', []],
  ['SELECT a.id, b.id, a.name FROM people a JOIN people b ON b.id <> a.id ORDER BY a.id', []], // the same name twice: the later wins
  ['SELECT * FROM people WHERE id = ?', [99]], // no row
  ['SELECT count(*) AS n FROM people', []],
];

test.each(queries)('"%s" gives the rows better-sqlite3 gives', (sql, params) => {
  expect(ours.prepare(sql).get(...params)).toEqual(theirs.prepare(sql).get(...params));
  expect(ours.prepare(sql).all(...params)).toEqual(theirs.prepare(sql).all(...params));
  expect([...ours.prepare(sql).iterate(...params)]).toEqual([...theirs.prepare(sql).iterate(...params)]);
  expect(Object.keys((ours.prepare(sql).all(...params)[0] ?? {}) as object)).toEqual(Object.keys((theirs.prepare(sql).all(...params)[0] ?? {}) as object));
});

test('pluck, raw and expand still switch a statement, and switching back gives objects again', () => {
  const sql = 'SELECT id, name FROM people ORDER BY id';
  const statement = ours.prepare(sql);
  expect(statement.pluck().all()).toEqual([1, 2]);
  expect(statement.pluck(false).all()).toEqual([{ id: 1, name: 'Astrid Holm' }, { id: 2, name: 'Jonas Berg' }]);
  expect(statement.raw().get()).toEqual([1, 'Astrid Holm']);
  expect(statement.raw(false).get()).toEqual({ id: 1, name: 'Astrid Holm' });
  expect(statement.expand().get()).toEqual(theirs.prepare(sql).expand().get());
  statement.expand(false);
  expect(statement.get()).toEqual({ id: 1, name: 'Astrid Holm' });
});

test('a write with RETURNING gives its row as an object', () => {
  expect(ours.prepare("UPDATE people SET email = 'jonas@example.org' WHERE id = 2 RETURNING id, email").get()).toEqual({ id: 2, email: 'jonas@example.org' });
  expect(ours.prepare('UPDATE people SET email = NULL WHERE id = 2').run().changes).toBe(1);
});
