/**
 * The `cortex-vae` command end to end, in process, on a small fixture (20 genes, left hemisphere,
 * short training, tiny nulls, cpu backend): exit codes, outputs present and parseable, bad input
 * giving exit 2 and one line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, oneLineError } from './fixtures/run-cli';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { DATA_DIR } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';
import { makeSyntheticCohort } from './helpers/synthetic-adni';
import { readAtlasTable } from '../src/pipeline/data/atlas-table';
import { pearson } from '../src/pipeline/evaluation/metrics';

const folder = tempFolder();
const expression = folder.write('expression.csv', toCsv(smallExpression(20)));
const small = ['--expression', expression, '--genes', 'all', '--regions', 'left', '--backend', 'cpu', '--quiet'];

/** A study small enough for a test: short training at H = 32, K = 4, one scheme, a few null maps, one seed. */
const SMALL_STUDY = [
  ...['--epochs', '10', '--hidden', '32', '--latent', '4', '--schemes', 'lobe'],
  ...['--spins', '4', '--moran-maps', '4', '--vae-spins', '1', '--seeds', '1', '--random-gene-sets', '0'],
];
const tinyTuning = ['--tune-epochs', '5,10', '--tune-seeds', '2', '--tune-spins', '2', '--inner-folds', '2'];
const tinyStudy = [
  '--epochs',
  '20',
  '--hidden',
  '32',
  '--latent',
  '4',
  '--schemes',
  'lobe,distance',
  '--vae-schemes',
  'distance',
  '--spins',
  '8',
  '--moran-maps',
  '8',
  '--vae-spins',
  '2',
  '--seeds',
  '2',
  '--random-gene-sets',
  '0',
  ...tinyTuning,
];

describe('cortex-vae CLI', () => {
  test('--help and unknown commands', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/reproduce/);
    oneLineError(await cli('frobnicate'), /unknown command "frobnicate"/);
    oneLineError(await cli('data', '--no-such-flag'), /no-such-flag/);
  });

  test('data summarises and validates; --json parses', async () => {
    const text = await cli('data', ...small);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/regions: 34 \(34 left, 0 right\)/);
    const json = await cli('data', ...small, '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { regions: string[]; genes: string[] };
    expect(parsed.regions).toHaveLength(34);
    expect(parsed.genes).toHaveLength(20);
    const targets = await cli('data', 'targets', '--json');
    expect(JSON.parse(targets.stdout).length).toBeGreaterThan(5);
  });

  test('bad inputs: missing file, wrong region name, NaN, bad option value → exit 2 with one line', async () => {
    oneLineError(await cli('data', ...small, '--expression', join(folder.dir, 'absent.csv')), /absent\.csv/);
    const renamed = smallExpression(20);
    renamed.rows[3]![0] = 'L_cuneuss';
    oneLineError(
      await cli('data', ...small, '--expression', folder.write('renamed.csv', toCsv(renamed))),
      /L_cuneuss.*L_cuneus/,
    );
    const nan = smallExpression(20);
    nan.rows[5]![7] = 'NaN';
    oneLineError(
      await cli('data', ...small, '--expression', folder.write('nan.csv', toCsv(nan))),
      /nan\.csv.*(NaN|not finite)/i,
    );
    oneLineError(await cli('train', ...small, '--epochs', 'many'), /--epochs "many" is not a number/);
    oneLineError(
      await cli('train', ...small, '--config', folder.write('bad.json', '{"model": {"epochz": 3}}')),
      /unknown setting "model\.epochz"/,
    );
  });

  test('data adni-map turns a subject-level ADNI cohort into a target map the other commands read', async () => {
    const cohort = makeSyntheticCohort(readAtlasTable(DATA_DIR).adniThicknessAverage, {
      seed: 5,
      nCn: 300,
      nAd: 150,
      adMeanAge: 72,
      ageSlope: -0.004,
    });
    const map = join(folder.dir, 'adni_map.csv');
    const made = await cli(
      'data',
      'adni-map',
      '--freesurfer',
      folder.write('UCSFFSX51.csv', cohort.freesurferCsv),
      '--diagnosis',
      folder.write('ADNIMERGE.csv', cohort.diagnosisCsv),
      '--qc',
      'OVERALLQC=Pass',
      '--dest',
      map,
      '--json',
    );
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ nCn: 300, nAd: 150 });
    const d = readFileSync(map, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]));
    expect(pearson(d, cohort.trueEffect)).toBeGreaterThan(0.9);
    const data = await cli('data', ...small, '--target', `file:${map}:cohens_d`, '--target-sign', '1', '--json');
    expect(data.code).toBe(0);
    oneLineError(await cli('data', 'adni-map', '--freesurfer', map), /needs --freesurfer FILE .* and --diagnosis FILE/);
  });

  test('train writes a checkpoint and report; predict from it reproduces the in-sample predictions', async () => {
    const out = join(folder.dir, 'train');
    const trained = await cli('train', ...small, '--epochs', '30', '--out', out, '--json');
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.stdout) as { inSample: { r: number }; msPerEpoch: number };
    expect(summary.inSample.r).toBeGreaterThan(0);
    for (const file of ['report.html', 'results.json', 'predictions.csv', 'latents.csv', 'config.json', 'model.ckpt']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));

    const predicted = join(folder.dir, 'predict');
    const result = await cli(
      'predict',
      '--checkpoint',
      join(out, 'model.ckpt'),
      '--expression',
      expression,
      '--backend',
      'cpu',
      '--out',
      predicted,
      '--quiet',
    );
    expect(result.code).toBe(0);
    const trainRows = readFileSync(join(out, 'predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const predictRows = readFileSync(join(predicted, 'predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(predictRows.map((r) => r[0])).toEqual(trainRows.map((r) => r[0]));
    predictRows.forEach((row, i) => expect(Number(row[1])).toBeCloseTo(Number(trainRows[i]![2]), 5));

    oneLineError(await cli('predict', '--checkpoint', join(out, 'config.json')), /config\.json/);
  });

  test('evaluate runs the whole study and writes a report that its config.json reruns', async () => {
    const out = join(folder.dir, 'evaluate');
    const run = await cli('evaluate', ...small, ...tinyStudy, '--out', out, '--json');
    expect(run.code).toBe(0);
    const figures = JSON.parse(run.stdout) as {
      crossValidation: { scheme: string; model: string }[];
      nulls: { p: number; name: string }[];
      tuning: { scheme: string; split: string; seed: number; candidate: number; epochs: number }[];
      intervals: { coverage: { level: number; calibrated: number }[] };
    };
    expect(new Set(figures.crossValidation.map((c) => c.scheme))).toEqual(new Set(['lobe', 'distance']));
    // headline (lobe): the VAE and its 2-seed ensemble, λ = 0, the tuned VAE and its ensemble, 6 baselines
    expect(
      figures.crossValidation
        .filter((c) => c.scheme === 'lobe')
        .map((c) => c.model)
        .slice(0, 5),
    ).toEqual([
      'graph VAE (λ as configured)',
      'graph VAE (λ as configured), 2-seed ensemble',
      'graph VAE without Laplacian (λ = 0)',
      'graph VAE, tuned by nested spatial CV',
      'graph VAE, tuned by nested spatial CV, 2-seed ensemble',
    ]);
    expect(figures.crossValidation.filter((c) => c.scheme === 'lobe')).toHaveLength(11);
    for (const n of figures.nulls) expect(n.p).toBeGreaterThan(0);
    // retrained nulls for the VAE, the λ = 0 VAE and the tuned VAE too
    for (const model of ['graph VAE without Laplacian', 'graph VAE, tuned'])
      expect(figures.nulls.some((n) => n.name.startsWith(model) && /rerun on each spun target/.test(n.name))).toBe(
        true,
      );
    expect(figures.tuning).toHaveLength(6 * 2); // 6 lobes × 2 seeds
    for (const c of figures.tuning) expect([5, 10]).toContain(c.epochs);
    expect(figures.intervals.coverage.map((c) => c.level)).toEqual([0.5, 0.8, 0.9]);
    for (const file of [
      'report.html',
      'results.json',
      'predictions.csv',
      'latents.csv',
      'gene_loadings.csv',
      'intervals.csv',
      'config.json',
      'model.ckpt',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      crossValidation: unknown[];
      latents: unknown[];
      tuning: { choices: unknown[] };
      intervals: { points: unknown[] };
      diagnostics: { curves: unknown[]; spread: unknown[] };
    };
    expect(results.crossValidation).toHaveLength(18); // 11 models on the headline (lobe), the VAE and 6 baselines on distance
    expect(results.latents).toHaveLength(4);
    const notes = (
      JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { notes: { text: string }[] }
    ).notes.map((n) => n.text);
    expect(notes.find((t) => t.startsWith('Tuned VAE, leave-one-lobe-out'))).toMatch(
      /; its 2-seed ensemble r = -?\d\.\d+, R² = -?[\d.]+ \(\d\.\d+ (above|below) ridge\); ridge r = /,
    );
    expect(notes.find((t) => t.startsWith('Protocol sizes:'))).toMatch(
      /every VAE fit trains 20 epochs .* 2 seed\(s\); the VAE's nulls .* use 2 symmetric spins and 2 Moran surrogates, the baselines' 8 spins and 8 surrogates on lobe; the tuned VAE picks one of 5 candidate settings × 2 epoch counts \(5, 10\) on 2 spatial inner folds .* the VAE is cross-validated on lobe, distance, the baselines on lobe, distance/,
    );
    expect(results.tuning.choices).toHaveLength(12);
    expect(results.intervals.points).toHaveLength(34); // every region held out once by its lobe
    expect(results.diagnostics.curves).toHaveLength(2 * 6); // the VAE and the tuned VAE on each lobe split
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const id of ['tuning', 'diagnostics', 'intervals']) expect(html).toContain(`<section id="${id}">`);

    const rerun = await cli(
      'evaluate',
      '--config',
      join(out, 'config.json'),
      '--out',
      join(folder.dir, 'rerun'),
      '--quiet',
      '--json',
    );
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).crossValidation).toEqual(figures.crossValidation);
  }, 600_000);

  test('evaluate --no-tune leaves the tuned VAE out; --targets runs every map and sums them up in one table', async () => {
    const out = join(folder.dir, 'targets');
    const untuned = await cli(
      'evaluate',
      ...small,
      ...SMALL_STUDY,
      '--schemes',
      'lobe,distance',
      '--no-tune',
      '--out',
      join(folder.dir, 'untuned'),
      '--json',
    );
    expect(untuned.code).toBe(0);
    const rows = (JSON.parse(untuned.stdout) as { crossValidation: { scheme: string; model: string }[] })
      .crossValidation;
    expect(rows.some((c) => /tuned/.test(c.model))).toBe(false);
    // without --vae-schemes the VAE is cross-validated on the headline (lobe) only; the baselines on both schemes
    expect(rows.filter((c) => c.model.startsWith('graph VAE')).map((c) => c.scheme)).toEqual(['lobe', 'lobe']); // λ as set, λ = 0
    expect(rows.filter((c) => c.scheme === 'distance')).toHaveLength(6);

    const run = await cli(
      'evaluate',
      ...small,
      ...SMALL_STUDY,
      '--no-tune',
      '--targets',
      'adni2-ad-volume-d,adni-ad-tau',
      '--out',
      out,
      '--json',
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      targets: { target: string; model: string; r: number; pSpin?: number }[];
    };
    expect(new Set(summary.targets.map((t) => t.target))).toEqual(new Set(['adni2-ad-volume-d', 'adni-ad-tau']));
    expect(summary.targets.filter((t) => t.target === 'adni-ad-tau')).toHaveLength(8);
    expect(
      summary.targets.find((t) => t.target === 'adni-ad-tau' && t.model.startsWith('ridge'))!.pSpin,
    ).toBeGreaterThan(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'targets', 'adni-ad-tau', 'report.html'))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="targets">');
    expect(html).toContain('href="targets/adni-ad-tau/report.html"');
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as {
      data: { targets: string[] };
      evaluation: { tuning: null };
    };
    expect(config.data.targets).toEqual(['adni2-ad-volume-d', 'adni-ad-tau']);
    expect(config.evaluation.tuning).toBeNull();
    oneLineError(
      await cli('evaluate', ...small, '--targets', 'adni2-ad-volume-d,no-such-map', '--out', join(folder.dir, 'bad')),
      /no-such-map/,
    );
    oneLineError(await cli('evaluate', ...small, '--tune', '--no-tune'), /contradict/);
    oneLineError(await cli('evaluate', ...small, '--tune-epochs', '40,10'), /ascending/);
  }, 300_000);

  test('the sensitivity table reruns the headline CV for other expression files and gene selections', async () => {
    const fewer = folder.write('fewer.csv', toCsv(smallExpression(8)));
    const config = folder.write(
      'sensitivity.json',
      JSON.stringify({
        evaluation: {
          sensitivity: {
            geneSets: [
              { expression: expression, genes: 'all' },
              { expression: fewer, genes: 'all' },
            ],
          },
        },
      }),
    );
    const run = await cli(
      'evaluate',
      ...small,
      ...SMALL_STUDY,
      '--no-tune',
      '--config',
      config,
      '--out',
      join(folder.dir, 'sensitivity'),
      '--json',
    );
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as {
      sensitivity: { geneCount: number; model: string; r: number }[];
      crossValidation: { scheme: string; model: string; pooled: { r: number } }[];
    };
    const rows = output.sensitivity;
    expect(rows.map((r) => r.geneCount)).toEqual([20, 20, 20, 8, 8, 8]);
    // the first gene set is the run's own dataset: its rows are the study's headline results, not a refit
    for (const row of rows.slice(0, 3))
      expect(row.r).toBe(output.crossValidation.find((c) => c.scheme === 'lobe' && c.model === row.model)!.pooled.r);
    expect(rows[3]!.r).not.toBe(rows[0]!.r);
    expect(rows.slice(0, 3).map((r) => r.model)).toEqual([
      'ridge (λ by inner CV)',
      'graph VAE (λ as configured)',
      'graph VAE without Laplacian (λ = 0)',
    ]);
    expect(readFileSync(join(folder.dir, 'sensitivity', 'report.html'), 'utf8')).toContain(
      '<section id="sensitivity">',
    );
  }, 300_000);
});
