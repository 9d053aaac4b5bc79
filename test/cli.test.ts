import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths';
import { tempDatabasePath } from './helpers/sparring';

const bin = join(projectRoot(), 'dist', 'bin', 'sparring.js');

function sparring(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', input: '', timeout: 15_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npx sparring', () => {
  it('lists its commands with --help', () => {
    const run = sparring(['--help']);
    expect(run.status).toBe(0);
    for (const c of ['start', 'demo', 'programme create', 'backup FILE', 'export-person PLATFORM:ID']) expect(run.stdout).toContain(c);
  });

  it('explains each command with --help', () => {
    const run = sparring(['programme', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: sparring programme create --name NAME --start YYYY-MM-DD --end YYYY-MM-DD');
  });

  it('refuses an unknown command, naming it', () => {
    const run = sparring(['frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });

  it('stops at a bad environment with one line per variable', () => {
    const run = sparring(['start'], { PORT: 'abc', DEFAULT_TIMEZONE: 'Nowhere/City', DATABASE_PATH: tempDatabasePath() });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'sparring: PORT must be a whole number from 1 to 65535 (got "abc")',
      'sparring: DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Copenhagen (got "Nowhere/City")',
    ]);
  });

  it('creates a programme, and refuses a second of the same name or bad dates', () => {
    const env = { DATABASE_PATH: tempDatabasePath() };
    const args = ['programme', 'create', '--name', 'Efterår 2026', '--start', '2026-09-01', '--end', '2026-12-15', '--locale', 'en'];
    const first = sparring(args, env);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Created programme "Efterår 2026" (2026-09-01 to 2026-12-15, en, Europe/Copenhagen)');
    expect(sparring(args, env)).toMatchObject({ status: 1, stderr: expect.stringContaining('exists already') });
    expect(sparring(['programme', 'create', '--name', 'X', '--start', '2026-02-30', '--end', '2026-12-15'], env).stderr).toContain(
      'start must be a date like 2026-09-01',
    );
    expect(sparring(['programme', 'create', '--name', 'Y', '--start', '2026-09-01', '--end', '2026-12-15', '--timezone', 'Moon/Base'], env).stderr).toContain(
      'timezone must be an IANA zone',
    );
    const withSettings = sparring(['programme', 'create', '--name', 'Forår', '--start', '2027-02-01', '--end', '2027-05-31', '--rhythm-days', '21', '--study-contact', 'Studievejledningen, sv@example.org', '--wellbeing-contact', 'Rådgivningen', '--coordinator-contact', 'Helle, helle@example.org'], env);
    expect(withSettings.status).toBe(0);
    const stored = new Database(env.DATABASE_PATH, { readonly: true });
    expect(JSON.parse((stored.prepare("SELECT settings FROM programmes WHERE name = 'Forår'").get() as { settings: string }).settings)).toMatchObject({
      rhythmDays: 21,
      contacts: { coordinator: 'Helle, helle@example.org', studyCounselling: 'Studievejledningen, sv@example.org', wellbeing: 'Rådgivningen' },
    });
    stored.close();
    expect(sparring(['programme', 'create', '--name', 'Z', '--start', '2027-02-01', '--end', '2027-05-31', '--rhythm-days', 'monthly'], env).stderr).toContain('--rhythm-days must be a whole number');
    expect(sparring(['programme', 'start', '--name', 'Forår'], env).stdout).toContain('Started "Forår"');
    expect(sparring(['programme', 'close', '--name', 'Forår'], env).stdout).toContain('Closed "Forår": 0 pairs ended');
    expect(sparring(['programme', 'start', '--name', 'Forår'], env)).toMatchObject({ status: 1, stderr: expect.stringContaining('"Forår" is closed') });
    const missing = sparring(['programme', 'create', '--start', '2026-09-01'], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--name is required');
  });

  it('seeds the demo once, exports a person and writes a backup', () => {
    const databasePath = tempDatabasePath();
    const env = { DATABASE_PATH: databasePath };
    expect(sparring(['demo'], env).stdout).toContain('Seeded "Demo 2026"');
    expect(sparring(['demo'], env).stdout).toContain('nothing changed');

    const exported = sparring(['export-person', 'local:1'], env);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ person: { name: 'Astrid Holm' }, roles: [{ role: 'mentee' }] });
    expect(sparring(['export-person', 'local:999'], env)).toMatchObject({ status: 1, stderr: expect.stringContaining('nobody is known as local:999') });

    expect(sparring(['erase-person', 'local:1'], env)).toMatchObject({ status: 2, stderr: expect.stringContaining('run it again with --yes') });
    expect(sparring(['erase-person', 'local:2', '--yes'], env)).toMatchObject({ status: 0, stdout: expect.stringContaining('Erased local:2') });
    expect(sparring(['export-person', 'local:2'], env)).toMatchObject({ status: 1, stderr: expect.stringContaining('nobody is known as local:2') });

    const backup = join(databasePath, '..', 'backup.db');
    expect(sparring(['backup', backup], env).status).toBe(0);
    const copy = new Database(backup, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 5 });
    copy.close();
  });

  it('imports participants, matches them, shows the status and reports, from the shell', () => {
    const databasePath = tempDatabasePath();
    const env = { DATABASE_PATH: databasePath, DEFAULT_LOCALE: 'en' };
    const dir = join(databasePath, '..');
    expect(sparring(['programme', 'create', '--name', 'Spring 2027', '--start', '2027-02-01', '--end', '2027-05-31'], env).status).toBe(0);
    const file = join(dir, 'people.csv');
    writeFileSync(
      file,
      [
        'role,name,email,locale,slack_id,teams_id,faculty,education,interests,company,job_title,capacity',
        'mentee,Astrid Holm,astrid@example.org,da,,,IT,cand.it,UX;LinkedIn,,,',
        'mentee,Emil Carter,emil@example.org,en,,,IT,MSc,data,,,',
        'mentor,Jonas Berg,jonas@example.org,,,,IT,,UX,Netcompany,UX lead,2',
      ].join('\n'),
    );
    expect(sparring(['import', file, '--programme', 'Spring 2027'], env)).toMatchObject({ status: 0, stdout: 'Imported 3 participants: 3 new, 0 updated, 0 unchanged.\n' });
    expect(sparring(['import', file, '--programme', 'Spring 2027'], env).stdout).toContain('0 new, 0 updated, 3 unchanged');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'role,name,email\nstudent,Bo,bo@example\n');
    const refused = sparring(['import', bad, '--programme', 'Spring 2027'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('was not imported; nothing was changed');
    expect(refused.stderr).toContain('line 2, role: must be mentee, mentor or coordinator');
    expect(refused.stderr).toContain('line 2, email: is not an e-mail address');
    expect(sparring(['import', file, '--programme', 'Nope'], env).stderr).toContain('there is no programme called "Nope"; there are: Spring 2027');

    expect(sparring(['match', '--programme', 'Spring 2027'], env).stdout).toContain('Astrid Holm -> Jonas Berg  score');
    expect(sparring(['match', '--programme', 'Spring 2027', '--apply'], env).stdout).toContain('Matched 2 pairs.');
    const status = sparring(['status', '--programme', 'Spring 2027'], env);
    expect(status.stdout).toContain('Participants: mentees 2 · mentors 1 · coordinators 0');
    expect(status.stdout).toContain('Pairs: active 2 · ended 0');

    expect(sparring(['report', '--programme', 'Spring 2027', '--format', 'csv'], env).stdout.split('\r\n')[0]).toBe('\uFEFFgroup,item,n,count_1,count_2,count_3,count_4,count_5,share,average,note');
    expect(sparring(['report', '--programme', 'Spring 2027'], env).stdout).toContain('# Evaluation: Spring 2027');
    const png = join(dir, 'report.png');
    expect(sparring(['report', '--programme', 'Spring 2027', '--format', 'png', '--output', png], env).status).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(sparring(['report', '--programme', 'Spring 2027', '--format', 'pdf'], env)).toMatchObject({ status: 2, stderr: expect.stringContaining('--format must be md, csv or png') });
  });
});
