/**
 * The CLI loads what a command uses, when it runs: `--help` loads no package at all, and the
 * coordinator's commands never wait for Bolt, botbuilder or the server (about 0.3–1 s on the 2-core
 * machine). Checked by what each command left in Node's module cache, in a process of its own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDatabasePath } from '../helpers/sparring';

const dist = join(projectRoot(), 'dist');
const PROBE = `
const { runCli } = require(${JSON.stringify(join(dist, 'bin', 'cli.js'))});
const { Writable } = require('node:stream');
const sink = new Writable({ write(chunk, encoding, done) { done(); } });
runCli(JSON.parse(process.argv[1]), { out: sink, err: process.stderr, env: process.env, stdin: process.stdin }).then((code) => {
  process.stdout.write(JSON.stringify({ code, loaded: Object.keys(require.cache) }));
  process.exit(0);
});`;

function modulesLoadedBy(args: string[], env: Record<string, string> = {}): string[] {
  const run = spawnSync(process.execPath, ['-e', PROBE, JSON.stringify(args)], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', input: '', timeout: 20_000 });
  const result = JSON.parse(run.stdout) as { code: number; loaded: string[] };
  expect([args.join(' '), result.code, run.stderr]).toEqual([args.join(' '), 0, '']);
  return result.loaded;
}

const platformSdks = /node_modules[\\/](@slack[\\/](bolt|web-api|socket-mode)|botbuilder|botframework-)/;
const server = /dist[\\/](bin[\\/]server|adapters[\\/](http|slack[\\/]app|teams[\\/]app))\.js$/;

describe('what each CLI command loads', () => {
  it('--help: no package at all', () => {
    const loaded = modulesLoadedBy(['--help']);
    expect(loaded.filter((m) => m.includes('node_modules'))).toEqual([]);
  });

  it('status, backup: neither the platform SDKs nor the server', () => {
    const databasePath = tempDatabasePath();
    const env = { DATABASE_PATH: databasePath };
    modulesLoadedBy(['demo'], env);
    for (const args of [['status', '--programme', 'Demo 2026'], ['backup', `${databasePath}.copy`]]) {
      const loaded = modulesLoadedBy(args, env);
      expect(loaded.some((m) => m.includes('better-sqlite3'))).toBe(true);
      expect(loaded.filter((m) => platformSdks.test(m) || server.test(m))).toEqual([]);
    }
  });

  it('manifest slack: the manifest, without Bolt or botbuilder', () => {
    const loaded = modulesLoadedBy(['manifest', 'slack', '--socket']);
    expect(loaded.some((m) => /adapters[\\/]slack[\\/]manifest\.js$/.test(m))).toBe(true);
    expect(loaded.filter((m) => platformSdks.test(m) || server.test(m))).toEqual([]);
  });
});
