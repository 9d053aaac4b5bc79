/**
 * `sparring backup FILE [--keep N]`: SQLite's online backup (consistent while the bot runs), written
 * to FILE.partial and renamed, so a file under FILE's name is always a whole backup. With --keep N
 * the copy is dated (backups/sparring.db → backups/sparring-2026-10-06T031500Z.db) and only the
 * newest N of that rotation are kept; nothing else in the folder is touched.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Db } from '../src/store/database';
import { SparringError } from '../src/errors';

export interface BackupOutcome {
  /** The file written. */
  file: string;
  /** Older backups of the rotation that were deleted, oldest first. */
  removed: string[];
}

function rotation(file: string): { dir: string; stem: string; ext: string; pattern: RegExp } {
  const ext = extname(file);
  const stem = basename(file, ext);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { dir: dirname(file), stem, ext, pattern: new RegExp(`^${escape(stem)}-\\d{4}-\\d{2}-\\d{2}T\\d{6}Z${escape(ext)}$`) };
}

/** FILE with the moment inserted before its extension, in UTC: sparring.db → sparring-2026-10-06T031500Z.db. */
export function datedBackupName(file: string, at: number): string {
  const { dir, stem, ext } = rotation(file);
  const stamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '');
  return join(dir, `${stem}-${stamp}${ext}`);
}

/** The dated backups of FILE's rotation that exist, oldest first. */
export function backupsOf(file: string): string[] {
  const { dir, pattern } = rotation(file);
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Checks what can be checked before the database is opened. */
export function checkBackupTarget(databasePath: string, file: string): void {
  if (databasePath === ':memory:' || !existsSync(databasePath)) throw new SparringError('not_found', `there is no database at ${databasePath}; check DATABASE_PATH`);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SparringError('not_found', `the folder ${dir} does not exist; create it first (mkdir -p ${dir})`);
}

export async function backupDatabase(db: Db, file: string, options: { keep?: number; now: number }): Promise<BackupOutcome> {
  const target = options.keep === undefined ? file : datedBackupName(file, options.now);
  if (options.keep !== undefined && existsSync(target)) throw new SparringError('backup_exists', `${target} exists already (one dated backup a second); nothing was written`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    await db.backup(partial);
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  if (options.keep === undefined) return { file: target, removed: [] };
  const all = backupsOf(file);
  const removed = all.slice(0, Math.max(0, all.length - options.keep));
  for (const old of removed) rmSync(old, { force: true });
  return { file: target, removed };
}
