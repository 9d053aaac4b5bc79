import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder that holds migrations/ and prompts/. Found by walking up from this file, so it is
 * the same whether the code runs from src/ (tests) or from dist/src/ (npm start, npx sparring).
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'migrations')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Sparring's migrations/ folder above ${from}`);
    dir = parent;
  }
}
