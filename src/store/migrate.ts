/**
 * Numbered plain-SQL migrations (migrations/0001_name.sql, …), each applied once in its own
 * transaction and recorded in schema_migrations. A database written by a newer Sparring is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SchemaTooNewError, SparringError } from '../errors';
import { projectRoot } from '../paths';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = join(projectRoot(), 'migrations')): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
      if (!match) throw new SparringError('migration_name', `migration file ${file} must be named like 0001_name.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new SparringError('migration_gap', `migrations must be numbered 1, 2, 3 …; found ${m.version} at place ${i + 1}`);
  });
  return migrations;
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Applies what is pending; returns the versions applied now. */
export function migrate(db: Database.Database, dir?: string): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const migrations = readMigrations(dir);
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) throw new SchemaTooNewError(current, latest);
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
