/**
 * The container, checked without Docker (there is none on the development machine, and hadolint is
 * not packaged for Debian): the Dockerfile's essentials, what `.dockerignore` lets into the build,
 * compose.yaml, the health check's own script against a real HTTP server, and the image's start
 * command run as a process with the image's environment and no platform credentials: it refuses,
 * in one line, and seeds no demo.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { NO_PLATFORM_IN_PRODUCTION } from '../../bin/cli';
import { projectRoot } from '../../src/paths';
import { freePort } from '../helpers/net';
import { tempDatabasePath } from '../helpers/sparring';

const root = projectRoot();

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped, each with its stage (0, 1 …). */
function dockerfile(): Instruction[] {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '');
  let stage = -1;
  return logical.map((line) => {
    const [, keyword, args] = /^\s*(\w+)\s+(.*)$/.exec(line)!;
    if (keyword!.toUpperCase() === 'FROM') stage += 1;
    return { keyword: keyword!.toUpperCase(), args: args!.trim(), stage };
  });
}

/** The image's environment: every ENV of the final stage. */
function imageEnv(instructions: Instruction[]): Record<string, string> {
  const last = Math.max(...instructions.map((i) => i.stage));
  const env: Record<string, string> = {};
  for (const i of instructions.filter((i) => i.stage === last && i.keyword === 'ENV'))
    for (const pair of i.args.split(/\s+/)) {
      const [name, ...value] = pair.split('=');
      env[name!] = value.join('=');
    }
  return env;
}

/** Docker's .dockerignore matching: the last rule that matches the path or a folder above it decides. */
function dockerignore(): (path: string) => boolean {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) =>
          part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

/** The script the HEALTHCHECK runs with `node -e`. */
function healthcheckScript(instructions: Instruction[]): string {
  const check = instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
  const exec = JSON.parse(check.args.slice(check.args.indexOf('CMD') + 3).trim()) as string[];
  expect(exec.slice(0, 2)).toEqual(['node', '-e']);
  return exec[2]!;
}

describe('the Dockerfile', () => {
  const instructions = dockerfile();
  const last = Math.max(...instructions.map((i) => i.stage));
  const final = instructions.filter((i) => i.stage === last);

  it('builds in stages on the current Node LTS, slim', () => {
    const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^node:24[.-]\S*bookworm-slim\b/);
  });

  it('runs as an unprivileged user, with node itself as the main process', () => {
    const users = final.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const cmd = final.find((i) => i.keyword === 'CMD')!;
    expect(JSON.parse(cmd.args)).toEqual(['node', 'dist/bin/sparring.js', 'start']);
    expect(final.findIndex((i) => i.keyword === 'USER')).toBeLessThan(final.findIndex((i) => i.keyword === 'CMD'));
  });

  it('runs in production, on its volume, stopping within Docker\'s default grace', () => {
    const env = imageEnv(instructions);
    expect(env).toMatchObject({ NODE_ENV: 'production', DATABASE_PATH: '/data/sparring.db' });
    expect(Number(env.SHUTDOWN_TIMEOUT_MS)).toBeLessThan(10_000);
    expect(final.some((i) => i.keyword === 'VOLUME' && i.args.includes('/data'))).toBe(true);
  });

  it('carries what `start` needs: the compiled code, its dependencies, migrations and prompts', () => {
    const copies = final.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    for (const needed of [/--from=build \/app\/dist dist/, /--from=build \/app\/node_modules node_modules/, /^migrations migrations$/, /^prompts prompts$/, /^package\.json/])
      expect(copies.some((c) => needed.test(c))).toBe(true);
  });

  it('never copies the whole context, secrets or data into the image', () => {
    const copies = instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.args.startsWith('--from'));
    expect(copies.length).toBeGreaterThan(3);
    for (const source of copies.flatMap((i) => i.args.split(/\s+/).slice(0, -1)))
      expect([source, /^\.\/?$|\.env|^(\.\/)?data(\/|$)|\.db|\.sqlite/.test(source)]).toEqual([source, false]);
  });

  it('has a health check on /healthz at PORT', () => {
    const check = final.find((i) => i.keyword === 'HEALTHCHECK');
    expect(check?.args).toMatch(/--interval=\S+ .*CMD/);
    expect(healthcheckScript(instructions)).toMatch(/127\.0\.0\.1.*process\.env\.PORT.*\/healthz/);
  });
});

describe('the health check script', () => {
  const script = healthcheckScript(dockerfile());
  let server: Server;
  let status = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  // Not spawnSync: the server answering it runs in this process.
  const check = (port: number) =>
    new Promise<number | null>((resolve) => spawn(process.execPath, ['-e', script], { env: { PORT: String(port) }, stdio: 'ignore' }).on('exit', resolve));

  it('passes while /healthz answers 200, fails on 503 and when nothing listens', async () => {
    const port = (server.address() as { port: number }).port;
    status = 200;
    expect(await check(port)).toBe(0);
    status = 503;
    expect(await check(port)).toBe(1);
    expect(await check(await freePort())).toBe(1);
  });
});

describe('.dockerignore', () => {
  const excluded = dockerignore();

  it('keeps personal data, secrets, dependencies, builds, history and tests out of the build', () => {
    for (const path of [
      'node_modules/zod/index.js', 'data/sparring.db', 'data/attachments/meeting.ics', 'sparring.db', 'sparring.db-wal',
      '.env', '.env.production', 'dist/bin/sparring.js', '.git/HEAD', 'test/ops/container.test.ts', 'coverage/lcov.info',
      'backups/sparring-2026-10-06T031500Z.db', 'sparring-teams.zip', 'src/store/stray.db', 'prompts/.env', 'adapters/node_modules/x.js',
    ])
      expect([path, excluded(path)]).toEqual([path, true]);
  });

  it('lets in what the Dockerfile copies from the build context', () => {
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/config.ts', 'adapters/http.ts', 'bin/sparring.ts', 'migrations/0001_initial.sql', 'prompts/da/common.json'])
      expect([path, excluded(path)]).toEqual([path, false]);
    for (const copy of dockerfile().filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(root, source))).toBe(true);
        expect([source, excluded(source)]).toEqual([source, false]);
      }
    }
  });
});

describe('compose.yaml', () => {
  // js-yaml comes with Jest (through ts-jest's istanbul plugin); a YAML parser of our own is not worth it.
  const yaml = require('js-yaml') as { load(text: string): unknown };
  const compose = yaml.load(readFileSync(join(root, 'compose.yaml'), 'utf8')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const service = Object.values(compose.services)[0]!;

  it('builds the image and reads the variables from .env', () => {
    expect(service.build).toBe('.');
    expect([service.env_file].flat()).toEqual(['.env']);
  });

  it('keeps the database on a named volume at the image\'s DATABASE_PATH', () => {
    const volumes = service.volumes as string[];
    const data = volumes.find((v) => v.endsWith(':/data'))!;
    expect(Object.keys(compose.volumes)).toContain(data.split(':')[0]);
    expect((service.environment as Record<string, string>).DATABASE_PATH).toBe(imageEnv(dockerfile()).DATABASE_PATH);
  });

  it('restarts, checks health like the image, and stops later than SHUTDOWN_TIMEOUT_MS', () => {
    expect(['always', 'unless-stopped']).toContain(service.restart);
    expect(service.init).toBe(true);
    const test = (service.healthcheck as { test: string[] }).test;
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toBe(healthcheckScript(dockerfile()));
    const grace = /^(\d+)s$/.exec(String(service.stop_grace_period))!;
    expect(Number(grace[1]) * 1000).toBeGreaterThan(Number(imageEnv(dockerfile()).SHUTDOWN_TIMEOUT_MS));
    expect(Number(grace[1]) * 1000).toBeGreaterThan(10_000);
  });
});

describe("the image's start command with the image's environment and no credentials", () => {
  const env = imageEnv(dockerfile());
  const cmd = JSON.parse(dockerfile().find((i) => i.keyword === 'CMD')!.args) as string[];
  const run = (extra: Record<string, string> = {}, args = cmd.slice(1)) =>
    spawnSync(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH, ...env, ...extra }, encoding: 'utf8', input: '', timeout: 15_000 });

  it('refuses in one line, exits non-zero, and seeds nothing', () => {
    const databasePath = tempDatabasePath();
    const result = run({ DATABASE_PATH: databasePath });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`sparring: ${NO_PLATFORM_IN_PRODUCTION}\n`);
    expect(result.stdout).toBe('');
    expect(existsSync(databasePath)).toBe(false);
  });

  it('refuses the local chat asked for by name, and the demo command, all the same', () => {
    const databasePath = tempDatabasePath();
    expect(run({ DATABASE_PATH: databasePath, ADAPTERS: 'local' }).status).toBe(1);
    const demo = run({ DATABASE_PATH: databasePath }, ['dist/bin/sparring.js', 'demo']);
    expect(demo.status).toBe(1);
    expect(demo.stderr).toMatch(/^sparring: the demo programme is not seeded when NODE_ENV is production/);
    expect(existsSync(databasePath)).toBe(false);
  });
});
