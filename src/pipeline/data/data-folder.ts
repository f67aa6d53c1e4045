/**
 * Where the shipped data lives: `data/` in the package root (the folder holding package.json),
 * found from this module's own location, so an installed package finds its data whatever the
 * current directory. `CORTEX_VAE_DATA` points it elsewhere.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: above dist/ when bundled, above src/pipeline/data in the sources. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the cortex-vae package root');
    dir = parent;
  }
  return dir;
}

/** $CORTEX_VAE_DATA, else the package's own data/ folder. */
export function defaultDataDir(): string {
  return process.env.CORTEX_VAE_DATA ?? join(packageRoot(), 'data');
}
