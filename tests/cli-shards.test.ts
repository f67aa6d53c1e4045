/**
 * Null work in shards, end to end on a small fixture (34 left regions, 10 of 20 genes, tiny models,
 * cpu backend): `evaluate --shard k/n` for k = 1 … 3 then `merge` writes the results.json, CSVs,
 * config.json and model.ckpt of one unsharded run, bit for bit; merge refuses foreign, missing and
 * duplicate shards; a run killed part-way through its nulls resumes from its checkpoints.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { cli, oneLineError } from './fixtures/run-cli';
import { resumeStore } from '../src/pipeline/cli/resume-store';
import { RESUME_FOLDER } from '../src/pipeline/report/atomic-dir';
import type { NullJobInfo } from '../src/pipeline/study/study-nulls';
import { DATA_DIR } from './fixtures/shipped-data';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { tempFolder } from './fixtures/temp-files';

const folder = tempFolder();
const table = smallExpression(20);
const expression = folder.write('expression.csv', toCsv(table));
const genes = folder.write('genes.txt', table.header.slice(1, 11).join('\n') + '\n');
// lobe CV (6 splits on the left hemisphere); 2 null maps per chunk of 12 fits: 4 chunks of the 8 baseline spins
// and of their 8 Moran surrogates, 2 of the 4 VAE spins and of its 4 surrogates (each for the VAE and the λ = 0
// VAE), 1 of the tuned VAE's 2 spins and 2 surrogates, 3 of the 6 random gene sets, 10 of the VAE's 20, 1 of the
// in-sample refit
// the data folder named: the spawned bundle (under node_modules/.cache) would otherwise look for it beside
// whichever package.json is above node_modules, which need not be this repository's
const study = [
  '--data-dir',
  DATA_DIR,
  '--expression',
  expression,
  '--genes',
  genes,
  '--regions',
  'left',
  '--backend',
  'cpu',
  '--epochs',
  '10',
  '--hidden',
  '16',
  '--latent',
  '4',
  '--schemes',
  'lobe',
  '--seeds',
  '2',
  '--spins',
  '8',
  '--moran-maps',
  '8',
  '--vae-spins',
  '4',
  '--random-gene-sets',
  '6',
  '--vae-random-gene-sets',
  '20',
  '--null-chunk',
  '12',
  '--tune-epochs',
  '5,10',
  '--inner-folds',
  '2',
  '--tune-seeds',
  '1',
  '--tune-spins',
  '2',
];
const unsharded = join(folder.dir, 'one');
const shardDir = (k: number) => join(folder.dir, 'shards', String(k));

/** results.json without the run's command line and times, as text: the rest must match exactly. */
function results(dir: string): string {
  const parsed = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { run: Record<string, unknown> };
  for (const key of ['command', 'startedAt', 'finishedAt', 'wallSeconds']) delete parsed.run[key];
  return JSON.stringify(parsed, null, 1);
}

function expectSameOutputs(dir: string, reference: string): void {
  expect(results(dir)).toBe(results(reference));
  for (const file of ['predictions.csv', 'latents.csv', 'gene_loadings.csv', 'config.json', 'model.ckpt']) {
    expect(readFileSync(join(dir, file)).equals(readFileSync(join(reference, file))), file).toBe(true);
  }
}

beforeAll(async () => {
  const one = await cli('evaluate', ...study, '--quiet', '--out', unsharded);
  expect(one.code).toBe(0);
}, 120_000);

describe('evaluate --shard k/n and merge', () => {
  test('3 shards merged write what one run writes, bit for bit', async () => {
    for (let k = 1; k <= 3; k++) {
      const run = await cli('evaluate', ...study, '--quiet', '--shard', `${k}/3`, '--out', shardDir(k), '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ shard: { index: k, count: 3 }, observed: k === 1 });
      expect(readdirSync(shardDir(k)).sort()).toEqual(k === 1 ? ['observed.json', 'shard.json'] : ['shard.json']);
    }
    const shard = (k: number) =>
      JSON.parse(readFileSync(join(shardDir(k), 'shard.json'), 'utf8')) as {
        shard: { index: number; count: number };
        identity: { fingerprint: string };
        nulls: { job: { name: string; items: number }; ranges: [number, number][] }[];
      };
    // self-describing: k/n, the run's identity, each null's item ranges; together every item once
    const records = [1, 2, 3].map(shard);
    expect(new Set(records.map((r) => r.identity.fingerprint)).size).toBe(1);
    records[0]!.nulls.forEach((slice, j) => {
      const items = records.flatMap((r) =>
        r.nulls[j]!.ranges.flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i)),
      );
      expect(items.sort((a, b) => a - b)).toEqual(Array.from({ length: slice.job.items }, (_, i) => i));
    });
    expect(records.map((r) => r.nulls.find((s) => s.job.name.includes('in-sample fit refitted'))!.ranges)).toEqual([
      [],
      [],
      [[0, 4]],
    ]);

    const merged = join(folder.dir, 'merged');
    const merge = await cli('merge', join(folder.dir, 'shards'), '--out', merged, '--quiet', '--json');
    expect(merge.code).toBe(0);
    expectSameOutputs(merged, unsharded);
    const nulls = (JSON.parse(merge.stdout) as { nulls: { count: number }[] }).nulls.map((n) => n.count);
    // fixed (spins, Moran), refit, VAE, λ = 0 and tuned (spins, Moran each), 6 baselines (spins, Moran each), 2 gene-set nulls
    expect(nulls).toEqual([8, 8, 4, 4, 4, 4, 4, 2, 2, ...Array.from({ length: 12 }, () => 8), 6, 20]);
  }, 300_000);

  test('merge refuses shards of other settings or data, missing or repeated shards, and folders that are not shards', async () => {
    oneLineError(
      await cli('merge', shardDir(1), shardDir(2), '--out', join(folder.dir, 'm1')),
      /shard 3\/3 missing \(have 1, 2\); run `cortex-vae evaluate … --shard 3\/3`/,
    );
    oneLineError(
      await cli('merge', shardDir(1), shardDir(2), shardDir(2), shardDir(3), '--out', join(folder.dir, 'm2')),
      /shards\/2 and .*shards\/2 are both shard 2\/3; pass each shard once/,
    );
    oneLineError(
      await cli('merge', unsharded, '--out', join(folder.dir, 'm3')),
      /one: no shard\.json in it or in its subfolders/,
    );

    const otherSeed = join(folder.dir, 'other-seed');
    expect((await cli('evaluate', ...study, '--seed', '2', '--quiet', '--shard', '3/3', '--out', otherSeed)).code).toBe(
      0,
    );
    oneLineError(
      await cli('merge', shardDir(1), shardDir(2), otherSeed, '--out', join(folder.dir, 'm4')),
      /other-seed: a shard of another run than .*shards\/1 \(setting seed is 2 there but 1 here\); merge the shards of one command only/,
    );

    const changed = smallExpression(20);
    changed.rows[2]![3] = String(Number(changed.rows[2]![3]) + 0.5);
    const otherData = join(folder.dir, 'other-data');
    const elsewhere = join(folder.dir, 'elsewhere');
    mkdirSync(elsewhere);
    const changedFile = folder.write('elsewhere/expression.csv', toCsv(changed));
    expect(
      (await cli('evaluate', ...study, '--expression', changedFile, '--quiet', '--shard', '3/3', '--out', otherData))
        .code,
    ).toBe(0);
    oneLineError(
      await cli('merge', shardDir(1), shardDir(2), otherData, '--out', join(folder.dir, 'm5')),
      /a shard of another run .*\(input expression\.csv differs \(sha256 [0-9a-f]{12}… there, [0-9a-f]{12}… here\)\)/,
    );

    oneLineError(await cli('evaluate', ...study, '--shard', '4/3'), /--shard "4\/3" must be k\/n with 1 ≤ k ≤ n/);
    oneLineError(
      await cli('train', ...study, '--shard', '1/3'),
      /--shard applies to evaluate and reproduce, not train/,
    );
    oneLineError(await cli('merge', '--out', join(folder.dir, 'm6')), /merge needs the shard folders/);
  }, 300_000);
});

describe('on the webgpu backend', () => {
  // Its sums may round differently in batches of other sizes (a reduction over 66 rows takes another
  // path once B·H ≥ 256 outputs), so a shard must train exactly the batches one run trains: here 8 fits
  // per chunk, the VAE's 16 spins × 2 splits in 4 chunks, 2 per shard.
  test('2 shards merged write what one run writes, bit for bit (66 regions, hemisphere CV)', async () => {
    const gpu = [
      '--expression',
      expression,
      '--genes',
      genes,
      '--regions',
      'bilateral',
      '--backend',
      'webgpu',
      '--quiet',
      '--epochs',
      '10',
      '--hidden',
      '16',
      '--latent',
      '4',
      '--schemes',
      'hemisphere',
      '--seeds',
      '2',
      '--spins',
      '16',
      '--moran-maps',
      '16',
      '--vae-spins',
      '16',
      '--random-gene-sets',
      '6',
      '--null-chunk',
      '8',
      '--no-tune',
    ];
    const one = join(folder.dir, 'gpu-one');
    expect((await cli('evaluate', ...gpu, '--out', one)).code).toBe(0);
    for (const k of [1, 2])
      expect(
        (await cli('evaluate', ...gpu, '--shard', `${k}/2`, '--out', join(folder.dir, 'gpu-shards', String(k)))).code,
      ).toBe(0);
    const merged = join(folder.dir, 'gpu-merged');
    expect((await cli('merge', join(folder.dir, 'gpu-shards'), '--out', merged, '--quiet')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(merged, 'results.json'), 'utf8')).run.backend).toBe('webgpu');
    expectSameOutputs(merged, one);
  }, 300_000);
});

describe('resuming an interrupted run', () => {
  test("checkpoints: used only by a run with the same fingerprint; another run's are cleared; an unreadable one is recomputed", () => {
    const out = join(folder.dir, 'store');
    const job: NullJobInfo = {
      id: 'retrained: ridge',
      kind: 'retrained',
      model: 'ridge',
      scheme: 'patches',
      family: 'spin',
      name: 'ridge null',
      items: 10,
      itemLabel: 'spins',
      fitsPerItem: 2,
    };
    const lines: string[] = [];
    const first = resumeStore(out, 'a'.repeat(64), (line) => lines.push(line));
    expect(lines).toEqual([]);
    expect(first.load(job, [0, 4])).toBeUndefined();
    first.save(job, [0, 4], Float64Array.of(0.5, NaN, -0, 1));
    first.save(job, [4, 8], Float64Array.of(1, 2, 3, 4));
    const again = resumeStore(out, 'a'.repeat(64), (line) => lines.push(line));
    expect(lines).toEqual([expect.stringMatching(/resuming an interrupted run from .*: 2 finished null chunks$/)]);
    const back = again.load(job, [0, 4])!;
    expect(Object.is(back[2], -0) && Number.isNaN(back[1])).toBe(true);
    expect(again.load(job, [0, 5])).toBeUndefined();
    expect(again.load({ ...job, id: 'retrained: pls' }, [0, 4])).toBeUndefined();
    const [file] = readdirSync(join(out, RESUME_FOLDER, 'a'.repeat(16))).filter((f) => f.endsWith('-1-4.json'));
    writeFileSync(join(out, RESUME_FOLDER, 'a'.repeat(16), file!), '{"fingerprint": "aaa');
    expect(again.load(job, [0, 4])).toBeUndefined();
    const other = resumeStore(out, 'b'.repeat(64), () => {});
    expect(other.load(job, [4, 8])).toBeUndefined();
    expect(readdirSync(join(out, RESUME_FOLDER))).toEqual([]);
  });

  const bundle = join(process.cwd(), 'node_modules', '.cache', 'cortex-vae-shards', 'cli.mjs');
  beforeAll(() => {
    buildSync({
      entryPoints: ['src/cli.ts'],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      loader: { '.wgsl': 'text' },
      external: ['webgpu', 'wgsl_reflect', 'playwright-core'],
      logLevel: 'error',
    });
  });

  test('killed after some null chunks, the same command reruns them not, and writes what an uninterrupted run writes', async () => {
    const out = join(folder.dir, 'interrupted');
    const child = spawn(process.execPath, [bundle, 'evaluate', ...study, '--quiet', '--out', out], {
      stdio: 'ignore',
      env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const chunkFiles = (): string[] => {
      const root = join(out, RESUME_FOLDER);
      if (!existsSync(root)) return [];
      return readdirSync(root)
        .flatMap((sub) => readdirSync(join(root, sub)))
        .filter((f) => f.startsWith('null-') && f.endsWith('.json'));
    };
    const deadline = Date.now() + 120_000;
    while (chunkFiles().length < 2 && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL'); // killed mid-run, not finished
    const finishedBefore = chunkFiles().length;
    expect(finishedBefore).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(out, 'results.json'))).toBe(false);

    const rerun = await cli('evaluate', ...study, '--out', out);
    expect(rerun.code).toBe(0);
    const resumed = /resuming an interrupted run from .*: the observed study and (\d+) finished null chunks/.exec(
      rerun.stderr,
    );
    expect(resumed, rerun.stderr).not.toBeNull();
    expect(Number(resumed![1])).toBe(finishedBefore);
    expectSameOutputs(out, unsharded);
    expect(existsSync(join(out, RESUME_FOLDER))).toBe(false);
  }, 300_000);
});
