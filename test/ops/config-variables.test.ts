/**
 * One list of environment variables (src/config-variables.ts): the zod schema reads exactly those,
 * `.env.example` and the README's configuration table say the same, and no code reads a variable
 * the list does not know.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { schemaVariables } from '../../src/config';
import { configVariables, envExample, isSecretVariable, readmeTable } from '../../src/config-variables';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const names = configVariables.map((v) => v.name as string);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the configuration list', () => {
  it('is what the zod schema reads, no more and no fewer', () => {
    expect([...schemaVariables].sort()).toEqual([...names].sort());
  });

  it('names each variable once, with a meaning', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const v of configVariables) expect(v.description.length).toBeGreaterThan(5);
  });

  it('holds every variable of the design, and the new ones', () => {
    for (const name of [
      'DATABASE_PATH', 'PORT', 'ADAPTERS', 'DEFAULT_LOCALE', 'DEFAULT_TIMEZONE', 'COORDINATORS', 'LOG_LEVEL',
      'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL',
      'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'TEAMS_ALLOW_UNAUTHENTICATED',
      'PUBLIC_URL', 'CALENDAR_ORGANIZER', 'SHUTDOWN_TIMEOUT_MS', 'NODE_ENV',
    ])
      expect(names).toContain(name);
    expect(names).not.toContain('LOG_FORMAT');
  });

  it('marks every token, secret and password as a secret', () => {
    for (const name of names) expect([name, isSecretVariable(name)]).toEqual([name, /TOKEN|SECRET|PASSWORD/i.test(name)]);
  });

  it('is what .env.example says (npm run env:example rewrites it)', () => {
    const file = readFileSync(join(root, '.env.example'), 'utf8');
    expect(file).toBe(envExample());
    for (const name of names) expect(file).toMatch(new RegExp(`^# ${name}=`, 'm'));
  });

  it("is what the README's configuration table says (npm run env:table prints it)", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('## Configuration\n');
    const section = readme.slice(start, readme.slice(start + 1).search(/\n##+ /) + start + 1);
    const table = section.split('\n').filter((line) => line.startsWith('|'));
    expect(table.join('\n') + '\n').toBe(readmeTable());
  });

  it('is the only way code reads the environment: every variable read in src, adapters and bin is on the list', () => {
    const read = new Set<string>();
    for (const file of ['src', 'adapters', 'bin'].flatMap((dir) => sourceFiles(join(root, dir)))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\benv(?:\.|\[['"])([A-Za-z][A-Za-z0-9_]*)/g)) if (/^[A-Z]|^Microsoft/.test(m[1]!)) read.add(m[1]!);
    }
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !names.includes(name))).toEqual([]);
  });
});
