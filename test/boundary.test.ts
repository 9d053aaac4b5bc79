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
