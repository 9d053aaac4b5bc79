/**
 * `npm start` compiles only when it must (scripts/build-if-changed.js, its prestart): when nothing
 * is built, when a source of src/, adapters/ or bin/ or a tsconfig is newer than its compiled file,
 * or when the last build failed. Run on a small stand-in project whose "TypeScript" is a fake tsc
 * that records each call and writes the compiled files.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../src/paths';

const FAKE_TSC = `
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const root = join(__dirname, '..', '..', '..');
appendFileSync(join(root, 'tsc-calls'), 'x');
if (process.env.FAKE_TSC_FAILS) process.exit(2);
for (const file of ['src/a.ts', 'adapters/b.ts', 'bin/sparring.ts']) {
  const out = join(root, 'dist', file.replace(/\\.ts$/, '.js'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, '');
}`;

let root: string;

function write(path: string, text = ''): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Makes `path` look `secondsAgo` old. */
function age(path: string, secondsAgo: number): void {
  const at = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(join(root, path), at, at);
}

/** As if `path` had been edited after the last build: the build 30 s ago, the edit 10 s ago. */
function editedAfterBuild(path: string): void {
  for (const file of readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' })) age(join('dist', file), 30);
  age(path, 10);
}

function prestart(env: Record<string, string> = {}) {
  const before = existsSync(join(root, 'tsc-calls')) ? readFileSync(join(root, 'tsc-calls'), 'utf8').length : 0;
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-changed.js')], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  const after = existsSync(join(root, 'tsc-calls')) ? readFileSync(join(root, 'tsc-calls'), 'utf8').length : 0;
  return { status: run.status, stderr: run.stderr, compiled: after > before };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sparring-prestart-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(projectRoot(), 'scripts', 'build-if-changed.js'), join(root, 'scripts', 'build-if-changed.js'));
  write('node_modules/typescript/package.json', '{"name":"typescript","version":"0.0.0"}');
  write('node_modules/typescript/bin/tsc', FAKE_TSC);
  write('tsconfig.json', '{}');
  write('tsconfig.build.json', '{}');
  for (const file of ['src/a.ts', 'adapters/b.ts', 'bin/sparring.ts', 'src/types.d.ts']) {
    write(file);
    age(file, 60);
  }
  age('tsconfig.json', 60);
  age('tsconfig.build.json', 60);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm start compiles only when the sources changed', () => {
  it('compiles when nothing is built, then not again', () => {
    expect(prestart()).toMatchObject({ status: 0, compiled: true, stderr: expect.stringContaining('nothing is built yet') });
    expect(prestart()).toEqual({ status: 0, compiled: false, stderr: '' });
  });

  it('compiles again when a source or a tsconfig is newer than what was built, or a new source has no compiled file', () => {
    prestart();
    editedAfterBuild('adapters/b.ts');
    expect(prestart()).toMatchObject({ compiled: true, stderr: expect.stringContaining('adapters/b.ts changed since the last build') });
    expect(prestart().compiled).toBe(false);
    editedAfterBuild('tsconfig.build.json');
    expect(prestart().compiled).toBe(true);
    write('src/new.ts');
    age('src/new.ts', 60);
    expect(prestart()).toMatchObject({ compiled: true, stderr: expect.stringContaining('src/new.ts') });
  });

  it('refuses to start when the build fails, and builds again next time though the files are fresh', () => {
    prestart();
    editedAfterBuild('src/a.ts');
    expect(prestart({ FAKE_TSC_FAILS: '1' })).toMatchObject({ status: 2, compiled: true, stderr: expect.stringContaining('the build failed') });
    expect(prestart({ FAKE_TSC_FAILS: '1' })).toMatchObject({ status: 2, stderr: expect.stringContaining('the last build failed') });
    expect(prestart()).toMatchObject({ status: 0, compiled: true });
    expect(prestart().compiled).toBe(false);
  });

  it('ignores declaration files, which compile to nothing', () => {
    prestart();
    editedAfterBuild('src/types.d.ts');
    expect(prestart().compiled).toBe(false);
  });
});
