/**
 * datasetFromArrays: arrays in memory give the same Dataset as the files they came from (rows in
 * the atlas's order whatever order they are passed in), bad arrays a one-line InputError that
 * names the index and the fix, and such a dataset runs a study as docs/package.md shows.
 */
import { describe, expect, it } from 'vitest';
import { buildDataset, type Dataset } from '../src/pipeline/data/dataset';
import { datasetFromArrays, type DatasetArrays } from '../src/pipeline/data/dataset-from-arrays';
import { formatDatasetSummary } from '../src/pipeline/data/summary';
import { laplacianCsr } from '../src/pipeline/data/graph';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { resolveConfig } from '../src/model/config';
import { runStudy } from '../src/pipeline/study/run-study';
import { DEFAULT_STUDY_OPTIONS } from '../src/pipeline/study/options';
import { DATA_DIR } from './fixtures/shipped-data';

const files: Dataset = buildDataset({
  dataDir: DATA_DIR,
  regions: 'bilateral',
  genes: 'l1000',
  target: 'adni2-ad-volume-d',
  adjacency: 'fsa5',
  weighting: 'binary',
});
const n = files.regions.length;
const g = files.genes.length;

/** The file dataset's arrays with its rows in reverse order. */
function reversedArrays(): DatasetArrays {
  const rows = files.regions.map((_, i) => n - 1 - i);
  return {
    regions: rows.map((r) => files.regions[r]!),
    genes: files.genes,
    X: Float64Array.from({ length: n * g }, (_, k) => files.X[rows[Math.floor(k / g)]! * g + (k % g)]!),
    y: rows.map((r) => files.y[r]!),
    target: { name: 'adni2-ad-volume-d' },
    dataDir: DATA_DIR,
  };
}

describe('datasetFromArrays', () => {
  it('rebuilds the file dataset from its arrays: regions, X, y, graph and centroids in the atlas order', () => {
    const arrays = datasetFromArrays(reversedArrays());
    expect(arrays.regions).toEqual(files.regions);
    expect(arrays.hemisphere).toEqual(files.hemisphere);
    expect(arrays.genes).toEqual(files.genes);
    expect(arrays.X).toEqual(files.X);
    expect(arrays.y).toEqual(files.y);
    expect(arrays.graph).toEqual(files.graph);
    expect(arrays.centroids).toEqual(files.centroids);
    expect(formatDatasetSummary(arrays)).toMatch(/regions: 66 \(34 left, 32 right\)/);
  });

  it('refuses bad arrays with the index and the fix', () => {
    const good = reversedArrays();
    const bad = (change: Partial<DatasetArrays>) => () => datasetFromArrays({ ...good, ...change });
    expect(bad({ regions: ['L_entorhinal', 'L_insula', 'lh_fusiform', ...good.regions.slice(3)] })).toThrow(
      /datasetFromArrays: regions\[2\] 'lh_fusiform' is not a Desikan–Killiany region id; fix: use ids/,
    );
    expect(bad({ regions: [good.regions[1]!, ...good.regions.slice(1)] })).toThrow(
      /regions\[1\] repeats regions\[0\] .*; fix: keep one row per region/,
    );
    expect(bad({ X: new Float64Array(n * g - 1) })).toThrow(
      /X has \d+ values, not regions × genes = 66 × 787; fix: pass X row-major/,
    );
    expect(bad({ y: Array.from(good.y).slice(1) })).toThrow(
      /y has 65 values for 66 regions; fix: pass one target value per region/,
    );
    const X = Float64Array.from(good.X);
    X[3 * g + 5] = NaN;
    expect(bad({ X })).toThrow(
      new RegExp(`X\\[3\\]\\[5\\] \\(${good.regions[3]}, ${good.genes[5]}\\) is NaN; fix: supply finite`),
    );
    const constant = Float64Array.from(good.X);
    for (let r = 0; r < n; r++) constant[r * g + 7] = 1;
    expect(bad({ X: constant })).toThrow(
      new RegExp(`gene ${good.genes[7]} \\(column 7 of X\\) is constant over the 66 regions; fix: leave`),
    );
    expect(bad({ y: Array.from(good.y, (v, i) => (i === 4 ? Infinity : v)) })).toThrow(
      /y\[4\] \(.*\) is Infinity; fix: supply a finite target value/,
    );
  });
});

describe('a study on a dataset from arrays (the path docs/package.md shows)', () => {
  it('runs the in-sample fit, a lobe cross-validation and spin nulls on the CPU backend', async () => {
    const left = reversedArrays();
    const rows = left.regions.flatMap((region, row) => (region.startsWith('L_') ? [row] : []));
    const genes = left.genes.slice(0, 20);
    const dataset = datasetFromArrays({
      regions: rows.map((row) => left.regions[row]!),
      genes,
      X: rows.flatMap((row) => genes.map((_, c) => left.X[row * g + c]!)),
      y: rows.map((row) => left.y[row]!),
      dataDir: DATA_DIR,
    });
    const study = await runStudy({
      dataset,
      laplacian: laplacianCsr(dataset.graph, 'normalized'),
      engine: new Engine(new CpuBackend()),
      options: {
        ...DEFAULT_STUDY_OPTIONS,
        model: resolveConfig({ epochs: 20, hiddenSize: 16, latentSize: 4 }),
        schemes: ['lobe'],
        vaeSchemes: [],
        spins: 10,
        vaeSpins: 1,
        randomGeneSets: 10,
        vaeRandomGeneSets: 1,
        stabilitySeeds: 1,
        tuning: null,
        intervals: null,
        diagnostics: false,
      },
    });
    expect(study.headline).toBe('lobe');
    expect(study.inSample.map((m) => m.model).some((name) => name.startsWith('graph VAE'))).toBe(true);
    expect(study.crossValidation.filter((c) => c.scheme === 'lobe').length).toBeGreaterThan(1);
    for (const entry of study.crossValidation) expect(Number.isFinite(entry.result.pooled.r), entry.model).toBe(true);
  });
});
