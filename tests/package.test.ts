/**
 * The package as a user gets it: `npm pack` (which builds dist and the type declarations), the
 * tarball installed into an empty project with no network, `npx cortex-vae data` run there (the
 * data found inside the installed package, not beside the repository), and a TypeScript program
 * that loads the dataset and trains a model through the library API type-checked under
 * "moduleResolution": "nodenext" and run.
 *
 * Offline: `npm ci` fills npm's cache with the dependencies' tarballs but not with the registry
 * metadata `npm install` needs to resolve versions, so the project gets a lockfile built from this
 * repository's own (same versions, resolved URLs and integrity) and installs with `npm ci --offline`.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const NPM = 'npm';

interface LockEntry { version: string; resolved?: string; integrity?: string; dependencies?: Record<string, string>; [key: string]: unknown }

/** A lockfile for a project depending on the tarball alone: its production dependency closure, copied from this repository's lock. */
function consumerLock(tarballName: string, tarball: Buffer): unknown {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };
  const packages: Record<string, unknown> = {};
  const pending = Object.keys(pkg.dependencies);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const key = `node_modules/${name}`;
    if (key in packages) continue;
    const entry = lock.packages[key];
    if (!entry) throw new Error(`package-lock.json has no hoisted ${key}`);
    const { dev: _dev, ...rest } = entry;
    packages[key] = rest;
    pending.push(...Object.keys(entry.dependencies ?? {}));
  }
  const spec = `file:${tarballName}`;
  packages['node_modules/cortex-vae'] = {
    version: pkg.version, resolved: spec, integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
  };
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages: { '': { name: 'consumer', dependencies: { 'cortex-vae': spec } }, ...packages } };
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('the packed package, installed offline into an empty project', () => {
  it('holds dist, types, data, docs and README; runs `npx cortex-vae data`; types and runs a library consumer', () => {
    const project = mkdtempSync(join(tmpdir(), 'cortex-vae-consumer-'));
    const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { filename: string; files: { path: string }[] }[];
    const { filename, files } = packed[0]!;
    const paths = files.map((f) => f.path);
    for (const path of ['dist/cli.js', 'dist/index.js', 'dist/types/src/index.d.ts', 'README.md', 'data/SHA256SUMS', 'data/SOURCES.md', 'data/ahba_dk_enigma_stable_r0.2.csv.gz', 'docs/math.md', 'docs/evaluation.md', 'docs/engine.md']) {
      expect(paths, path).toContain(path);
    }
    expect(paths.filter((p) => /^(src|tests|bench)\//.test(p) || p.endsWith('.map'))).toEqual([]);

    const tarball = readFileSync(join(project, filename));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'cortex-vae': `file:${filename}` } }));
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(consumerLock(filename, tarball), null, 2));
    run(NPM, ['ci', '--offline'], project);
    expect(existsSync(join(project, 'node_modules', 'cortex-vae', 'data', 'SHA256SUMS'))).toBe(true);

    const summary = run('npx', ['--offline', 'cortex-vae', 'data'], project);
    expect(summary).toMatch(/L1000 landmarks: 787 of 978 found in ahba_dk_enigma_stable_r0\.2\.csv\.gz/);
    expect(summary).toContain(join(project, 'node_modules', 'cortex-vae', 'data'));

    copyFileSync(join(ROOT, 'tests', 'fixtures', 'consumer', 'consumer.ts'), join(project, 'consumer.ts'));
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'consumer', 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.typeRoots = [join(ROOT, 'node_modules', '@types')]; // @types/node, which the project itself does not install
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    const result = JSON.parse(run(process.execPath, [join(project, 'out', 'consumer.js')], project)) as { regions: number; genes: number; landmarksFound: number; epochs: number; r: number };
    expect(result).toMatchObject({ regions: 66, genes: 787, landmarksFound: 787, epochs: 20 });
    expect(Number.isFinite(result.r)).toBe(true);
  }, 900_000);
});
