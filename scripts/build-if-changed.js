#!/usr/bin/env node
/**
 * `npm start` runs this first (prestart): it compiles TypeScript only when a source that `start`
 * runs (src/, adapters/, bin/) or a tsconfig is newer than what dist/ holds, or the last build here
 * failed. Building takes seconds; this check takes milliseconds (`npm install` builds once through
 * `prepare`). Plain JavaScript, because it runs before anything is compiled.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const failedMarker = join(dist, '.build-failed');

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why dist/ must be built again (e.g. the first source newer than its compiled file), or undefined when it is current. */
function firstStale() {
  if (existsSync(failedMarker)) return 'the last build failed';
  const entry = mtime(join(dist, 'bin', 'sparring.js'));
  if (entry === undefined) return 'nothing is built yet';
  for (const config of ['tsconfig.json', 'tsconfig.build.json']) if ((mtime(join(root, config)) ?? 0) > entry) return `${config} changed since the last build`;
  const stack = ['src', 'adapters', 'bin'].map((dir) => join(root, dir));
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) stack.push(path);
      else if (item.name.endsWith('.ts') && !item.name.endsWith('.d.ts')) {
        const out = join(dist, relative(root, path)).replace(/\.ts$/, '.js');
        const built = mtime(out);
        if (built === undefined || mtime(path) > built) return `${relative(root, path)} changed since the last build`;
      }
    }
  }
  return undefined;
}

const reason = firstStale();
if (reason !== undefined) {
  process.stderr.write(`sparring: compiling TypeScript: ${reason}…\n`);
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    if (existsSync(dist)) writeFileSync(failedMarker, 'the last `npm start` build failed; it is tried again at the next start\n');
    process.stderr.write('sparring: the build failed (see above); fix it and start again\n');
    process.exit(result.status ?? 1);
  }
  rmSync(failedMarker, { force: true });
}
