/**
 * The package as a user gets it: `npm pack` (which builds dist and the type declarations), the
 * tarball installed into an empty project with no network, and then, from that project: the CLI
 * (`npx cortex-vae data`, `--version`), the library bundle without the CLI or the bench, a
 * TypeScript consumer under "moduleResolution": "nodenext" with the `lib` docs/package.md names, a
 * CommonJS consumer, the runnable examples of docs/examples/, and everything that must work where
 * Dawn's native module cannot load (its dawn.node made unloadable, as on a glibc < 2.34 cluster).
 *
 * Offline: `npm ci` fills npm's cache with the dependencies' tarballs but not with the registry
 * metadata `npm install` needs to resolve versions, so the project gets a lockfile built from this
 * repository's own (same versions, resolved URLs and integrity) and installs with `npm ci --offline`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const NPM = 'npm';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
type Strings = Record<string, string>;
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  dependencies: Strings;
  bin: Strings;
  engines: Strings;
};

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Strings;
  [key: string]: unknown;
}

/**
 * A lockfile for a project depending on the tarball alone: its production dependency closure, copied
 * from this repository's lock.
 */
function consumerLock(tarballName: string, tarball: Buffer): unknown {
  const lockFile = join(ROOT, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, unknown> = {};
  const pending = Object.keys(PACKAGE.dependencies);
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
    version: PACKAGE.version,
    resolved: spec,
    integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    license: PACKAGE.license,
    dependencies: PACKAGE.dependencies,
    bin: PACKAGE.bin,
    engines: PACKAGE.engines,
  };
  const root = { name: 'consumer', dependencies: { 'cortex-vae': spec } };
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages: { '': root, ...packages } };
}

const ENV = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

/** Runs a command in the project; its exit code and output. */
function attempt(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: ENV });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function run(command: string, args: string[], cwd: string): string {
  const result = attempt(command, args, cwd);
  if (result.code !== 0) {
    const what = `${command} ${args.join(' ')} (in ${cwd})`;
    throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

let project: string;
let paths: string[];
let installed: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'cortex-vae-consumer-'));
  const packOutput = execFileSync(NPM, ['pack', '--json', '--pack-destination', project], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const packed = JSON.parse(packOutput) as { filename: string; files: { path: string }[] }[];
  const { filename, files } = packed[0]!;
  paths = files.map((f) => f.path);
  const tarball = readFileSync(join(project, filename));
  const dependencies = { 'cortex-vae': `file:${filename}` };
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies };
  writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(consumerLock(filename, tarball), null, 2));
  run(NPM, ['ci', '--offline'], project);
  installed = join(project, 'node_modules', 'cortex-vae');
}, 900_000);

describe('the packed package, installed offline into an empty project', () => {
  it('holds the CLI, the library, types, data, docs, examples, README and LICENSE; no sources, bench or maps', () => {
    for (const path of [
      'dist/cli.js',
      'dist/index.js',
      'dist/types/src/index.d.ts',
      'README.md',
      'LICENSE',
      'data/SHA256SUMS',
      'data/SOURCES.md',
      'data/ahba_dk_enigma_stable_r0.2.csv.gz',
      'docs/math.md',
      'docs/evaluation.md',
      'docs/engine.md',
      'docs/api.md',
      'docs/package.md',
      'docs/examples/train-on-your-arrays.mjs',
      'docs/examples/engine-for-another-model.mjs',
      'docs/examples/evaluate-your-map.mjs',
    ]) {
      expect(paths, path).toContain(path);
    }
    const unwanted = paths.filter((p) => /^(src|tests|bench)\//.test(p) || p.endsWith('.map') || p === 'dist/bench.js');
    expect(unwanted).toEqual([]);
    const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^BSD 3-Clause License\n\nCopyright \(c\) \d{4}, cortex-vae authors/);
  });

  it('runs `npx cortex-vae data` on the data inside the installed package, and `--version`', () => {
    const summary = run('npx', ['--offline', 'cortex-vae', 'data'], project);
    expect(summary).toMatch(/L1000 landmarks: 787 of 978 found in ahba_dk_enigma_stable_r0\.2\.csv\.gz/);
    expect(summary).toContain(join(installed, 'data'));
    expect(run('npx', ['--offline', 'cortex-vae', '--version'], project)).toBe(`cortex-vae ${PACKAGE.version}\n`);
  });

  it("is silent on stderr with --quiet, Dawn's own log lines included", () => {
    const info = attempt('npx', ['--offline', 'cortex-vae', 'info', '--quiet'], project);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^cortex-vae \d/);
    expect(info.stderr).toBe('');
  });

  it('ships a library bundle without shebang, source-map reference, CLI or bench, and types without bench', () => {
    const library = readFileSync(join(installed, 'dist', 'index.js'), 'utf8');
    expect(library.startsWith('#!')).toBe(false);
    expect(library).not.toMatch(/sourceMappingURL/);
    const benchOrCli = [
      'bench/',
      'benchMain',
      'peers/',
      '@tensorflow',
      'onnxruntime',
      '@jax-js',
      'playwright',
      'runCli',
      'src/pipeline/cli/',
    ];
    for (const marker of benchOrCli) {
      expect(library.includes(marker), marker).toBe(false);
    }
    const declarations = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? declarations(join(dir, e.name)) : [join(dir, e.name)],
      );
    const types = declarations(join(installed, 'dist', 'types'));
    expect(types.filter((f) => /[/\\](bench|cli)[/\\]/.test(f))).toEqual([]);
    expect(types.filter((f) => /from ['"][^'"]*bench/.test(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('types and runs a TypeScript consumer with the lib docs/package.md names, or skipLibCheck without DOM', () => {
    copyFileSync(join(ROOT, 'tests', 'fixtures', 'consumer', 'consumer.ts'), join(project, 'consumer.ts'));
    const fixture = join(ROOT, 'tests', 'fixtures', 'consumer', 'tsconfig.json');
    const tsconfig = JSON.parse(readFileSync(fixture, 'utf8')) as { compilerOptions: Record<string, unknown> };
    // @types/node, which the project itself does not install
    tsconfig.compilerOptions.typeRoots = [join(ROOT, 'node_modules', '@types')];
    const write = (options: Record<string, unknown>) =>
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, ...options } }),
      );
    write({ lib: ['ES2022'], skipLibCheck: true });
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    write({ lib: ['ES2022', 'DOM'], skipLibCheck: false });
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    const output = run(process.execPath, [join(project, 'out', 'consumer.js')], project);
    type Result = { regions: number; genes: number; landmarksFound: number; epochs: number; r: number };
    const result = JSON.parse(output) as Result;
    expect(result).toMatchObject({ regions: 66, genes: 787, landmarksFound: 787, epochs: 20 });
    expect(Number.isFinite(result.r)).toBe(true);
  });

  it('loads with require() from CommonJS (Node ≥ 20.19, as engines says)', () => {
    expect(PACKAGE.engines.node).toBe('>=20.19');
    const program =
      "const { Engine, trainVae } = require('cortex-vae');\n" + 'console.log(typeof Engine, typeof trainVae);\n';
    writeFileSync(join(project, 'consumer.cjs'), program);
    expect(run(process.execPath, ['consumer.cjs'], project)).toBe('function function\n');
  });
});

describe('the examples in docs/examples, run from the installed package', () => {
  const example = (name: string, ...args: string[]) => {
    copyFileSync(join(installed, 'docs', 'examples', name), join(project, name));
    return JSON.parse(run(process.execPath, [name, ...args], project)) as Record<string, unknown>;
  };

  it('train-on-your-arrays: a dataset from arrays, trained in-sample and cross-validated by lobe', () => {
    type Result = { regions: number; genes: number; inSampleR: number; heldOutR: number };
    const result = example('train-on-your-arrays.mjs') as Result;
    expect(result).toMatchObject({ regions: 34, genes: 40 });
    expect(result.inSampleR).toBeGreaterThan(0.9);
    expect(Number.isFinite(result.heldOutR)).toBe(true);
  });

  it('engine-for-another-model: a small network fitted by Adam, its loss falling', () => {
    type Result = { backend: string; history: { step: number; mse: number }[]; mse: number };
    const result = example('engine-for-another-model.mjs', 'cpu') as Result;
    expect(result.backend).toBe('cpu');
    expect(result.history[0]!.mse).toBeGreaterThan(0.1);
    expect(result.mse).toBeLessThan(0.01);
  });

  it('evaluate-your-map: ridge and a no-gene baseline cross-validated, with a retrained spin null', () => {
    type Result = { regions: number; genes: number; ridge: { r: number }; spinNull: { spins: number; pSpin: number } };
    const result = example('evaluate-your-map.mjs') as Result;
    expect(result).toMatchObject({ regions: 66, genes: 787, spinNull: { spins: 20 } });
    expect(result.ridge.r).toBeGreaterThan(0);
    expect(result.spinNull.pSpin).toBeGreaterThan(0);
    expect(result.spinNull.pSpin).toBeLessThanOrEqual(1);
  });
});

describe("where Dawn's native module cannot load", () => {
  it('--help, data, train --backend cpu, import() work; --backend webgpu: exit 2, one line; auto falls back', () => {
    const platform = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
    const dawn = join(project, 'node_modules', 'webgpu', 'dist', platform, 'dawn.node');
    const cli = (...args: string[]) => attempt('npx', ['--offline', 'cortex-vae', ...args], project);
    expect(existsSync(dawn)).toBe(true);
    renameSync(dawn, `${dawn}.real`);
    writeFileSync(dawn, 'not a shared object'); // dlopen fails as it does on a glibc too old for Dawn
    try {
      expect(run('npx', ['--offline', 'cortex-vae', '--help'], project)).toMatch(/^usage: cortex-vae <command>/);
      expect(run('npx', ['--offline', 'cortex-vae', 'data'], project)).toMatch(/regions: 66/);
      const cpu = cli('train', '--backend', 'cpu', '--epochs', '3', '--out', 'out-cpu');
      expect(cpu.code, cpu.stderr).toBe(0);
      expect(cpu.stdout).toMatch(/graph VAE .* cpu/);
      const gpu = cli('train', '--backend', 'webgpu', '--epochs', '3', '--out', 'out-gpu', '--quiet');
      expect(gpu.code).toBe(2);
      expect(gpu.stderr.trim().split('\n')).toHaveLength(1);
      const oneLine = /^cortex-vae: --backend webgpu: WebGPU is unavailable: .*could not load: .*--backend cpu/;
      expect(gpu.stderr).toMatch(oneLine);
      const auto = cli('train', '--epochs', '3', '--out', 'out-auto');
      expect(auto.code, auto.stderr).toBe(0);
      expect(auto.stderr).toMatch(/cortex-vae: WebGPU is unavailable \(.*could not load.*\); running on the cpu/);
      const program = "const m = await import('cortex-vae');\nconsole.log(typeof m.trainVae, typeof m.CpuBackend);\n";
      writeFileSync(join(project, 'import.mjs'), program);
      expect(run(process.execPath, ['import.mjs'], project)).toBe('function function\n');
    } finally {
      renameSync(`${dawn}.real`, dawn);
    }
  });
});
