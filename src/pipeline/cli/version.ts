/** The package version, read from package.json at the package root. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../data/data-folder';

export const version: string = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
