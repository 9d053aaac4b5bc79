import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../src/paths';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the core', () => {
  const root = projectRoot();
  const files = sourceFiles(join(root, 'src'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('imports no chat platform SDK and no adapter', () => {
    const forbidden = /(?:from\s+|require\(\s*|import\(\s*)['"](@slack\/[^'"]*|botbuilder[^'"]*|botframework-[^'"]*|(?:\.\.\/)+adapters\/[^'"]*)['"]/g;
    const offenders = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(forbidden)].map((m) => `${relative(root, file)} imports ${m[1]}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the platform SDKs', () => {
  const root = projectRoot();
  const files = ['src', 'adapters', 'bin'].flatMap((dir) => sourceFiles(join(root, dir)));
  const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

  it('keeps botbuilder inside adapters/teams, so a move to the Agents SDK touches that folder alone', () => {
    const offenders = files.filter((f) => !relative(root, f).startsWith(join('adapters', 'teams'))).filter((f) => importsOf(f).some((i) => /^(botbuilder|botframework-)/.test(i)));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('keeps @slack/* inside adapters/slack', () => {
    const offenders = files.filter((f) => !relative(root, f).startsWith(join('adapters', 'slack'))).filter((f) => importsOf(f).some((i) => i.startsWith('@slack/')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
