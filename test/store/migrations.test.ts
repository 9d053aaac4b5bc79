import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaTooNewError } from '../../src/errors';
import { projectRoot } from '../../src/paths';
import { openDatabase } from '../../src/store/database';
import { readMigrations, schemaVersion } from '../../src/store/migrate';
import { tempDatabasePath } from '../helpers/sparring';

const realDir = join(projectRoot(), 'migrations');

/** A migrations folder holding the real migrations plus `extra` (name → SQL). */
function migrationsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-migrations-'));
  for (const f of readdirSync(realDir)) copyFileSync(join(realDir, f), join(dir, f));
  for (const [name, sql] of Object.entries(extra)) writeFileSync(join(dir, name), sql);
  return dir;
}

const next = String(readMigrations().length + 1).padStart(4, '0');

describe('migrations', () => {
  it('build the whole schema on an empty database, in WAL mode with foreign keys on', () => {
    const db = openDatabase(tempDatabasePath());
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['programmes', 'people', 'identities', 'participants', 'pairs', 'meetings', 'preps', 'prep_answers', 'summaries', 'action_items', 'dialogues', 'nudges', 'survey_responses', 'schema_migrations']),
    );
    expect(schemaVersion(db)).toBe(readMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('apply only what is new to a database from a previous version, keeping its data', () => {
    const path = tempDatabasePath();
    const old = openDatabase(path);
    old.prepare("INSERT INTO people (name, created_at) VALUES ('Astrid', 1)").run();
    old.close();

    const dir = migrationsWith({ [`${next}_people_pronouns.sql`]: 'ALTER TABLE people ADD COLUMN pronouns TEXT;' });
    const db = openDatabase(path, { migrationsDir: dir });
    expect(schemaVersion(db)).toBe(Number(next));
    expect(db.prepare('SELECT name, pronouns FROM people').all()).toEqual([{ name: 'Astrid', pronouns: null }]);
    db.close();
    // and opening again applies nothing twice
    expect(() => openDatabase(path, { migrationsDir: dir }).close()).not.toThrow();
  });

  it('roll back a migration that fails, recording nothing', () => {
    const path = tempDatabasePath();
    openDatabase(path).close();
    const dir = migrationsWith({ [`${next}_broken.sql`]: 'ALTER TABLE people ADD COLUMN nickname TEXT; THIS IS NOT SQL;' });
    expect(() => openDatabase(path, { migrationsDir: dir })).toThrow();
    const db = new Database(path);
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: readMigrations().length });
    expect((db.prepare('PRAGMA table_info(people)').all() as { name: string }[]).map((c) => c.name)).not.toContain('nickname');
    db.close();
  });

  it('refuse a database written by a newer Sparring, with a clear message', () => {
    const path = tempDatabasePath();
    openDatabase(path, { migrationsDir: migrationsWith({ [`${next}_future.sql`]: 'CREATE TABLE future (id INTEGER);' }) }).close();
    expect(() => openDatabase(path)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(path)).toThrow(/schema version \d+, but this Sparring knows only up to \d+: upgrade Sparring/);
  });

  it('must be numbered without gaps', () => {
    const dir = migrationsWith({ '0009_gap.sql': 'SELECT 1;' });
    expect(() => readMigrations(dir)).toThrow(/numbered 1, 2, 3/);
  });
});
