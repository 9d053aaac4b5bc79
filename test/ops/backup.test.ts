/**
 * `sparring backup FILE --keep N`: a dated copy each time, only the newest N of them kept, nothing
 * else in the folder touched; the copy is a whole database. Run as the real CLI (dist/).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { datedBackupName } from '../../bin/backup';
import { projectRoot } from '../../src/paths';
import { tempDatabasePath } from '../helpers/sparring';

const bin = join(projectRoot(), 'dist', 'bin', 'sparring.js');

function sparring(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', input: '', timeout: 15_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('sparring backup --keep N', () => {
  it('names a dated copy after FILE, in UTC, to the second', () => {
    const at = Date.parse('2026-10-06T03:15:00.456Z');
    expect(datedBackupName('/backups/sparring.db', at)).toBe('/backups/sparring-2026-10-06T031500Z.db');
    expect(datedBackupName('backups/nightly', at)).toBe(join('backups', 'nightly-2026-10-06T031500Z'));
  });

  it('writes a dated copy and keeps only the newest N of the rotation, touching nothing else', () => {
    const databasePath = tempDatabasePath();
    const env = { DATABASE_PATH: databasePath };
    expect(sparring(['demo'], env).status).toBe(0);
    const folder = join(dirname(databasePath), 'backups');
    mkdirSync(folder);
    const old = ['sparring-2000-01-01T031500Z.db', 'sparring-2000-01-02T031500Z.db', 'sparring-2000-01-03T031500Z.db'];
    const others = ['sparring.db', 'notes.txt', 'other-2000-01-01T031500Z.db', 'sparring-2000-01-01.db'];
    for (const name of [...old, ...others]) writeFileSync(join(folder, name), 'not a backup of this rotation');

    const run = sparring(['backup', join(folder, 'sparring.db'), '--keep', '2'], env);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const now = readdirSync(folder).filter((n) => /^sparring-\d{4}-\d{2}-\d{2}T\d{6}Z\.db$/.test(n)).sort();
    expect(now).toHaveLength(2);
    expect(now[0]).toBe('sparring-2000-01-03T031500Z.db');
    expect(run.stdout).toContain(`to ${join(folder, now[1]!)}. Removed 2 older:`);
    for (const name of others) expect(existsSync(join(folder, name))).toBe(true);
    expect(readdirSync(folder).some((n) => n.endsWith('.partial'))).toBe(false);

    const copy = new Database(join(folder, now[1]!), { readonly: true });
    try {
      expect(copy.prepare('SELECT name FROM programmes').all()).toEqual([{ name: 'Demo 2026' }]);
    } finally {
      copy.close();
    }
  });

  it('refuses a --keep that is not a whole number of at least 1', () => {
    const env = { DATABASE_PATH: tempDatabasePath() };
    for (const keep of ['0', 'x', '-3', '1.5']) {
      const run = sparring(['backup', 'b.db', `--keep=${keep}`], env);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^sparring: --keep must be a whole number of backups to keep, 1 or more/);
    }
  });

  it('says so when there is no database to back up, and creates none', () => {
    const databasePath = tempDatabasePath();
    const run = sparring(['backup', join(dirname(databasePath), 'b.db')], { DATABASE_PATH: databasePath });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`sparring: there is no database at ${databasePath}; check DATABASE_PATH\n`);
    expect(existsSync(databasePath)).toBe(false);
  });

  it('says which folder is missing instead of creating it', () => {
    const databasePath = tempDatabasePath();
    expect(sparring(['demo'], { DATABASE_PATH: databasePath }).status).toBe(0);
    const folder = join(dirname(databasePath), 'no-such-folder');
    const run = sparring(['backup', join(folder, 'b.db'), '--keep', '3'], { DATABASE_PATH: databasePath });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`the folder ${folder} does not exist; create it first`);
    expect(existsSync(folder)).toBe(false);
  });
});
