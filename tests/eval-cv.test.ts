import { describe, expect, it } from 'vitest';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { pls } from '../src/pipeline/evaluation/baselines/pls';
import { ridge } from '../src/pipeline/evaluation/baselines/ridge';
import { spatialOnly } from '../src/pipeline/evaluation/baselines/spatial-only';
import { crossValidate } from '../src/pipeline/evaluation/cross-validate';
import { pearson } from '../src/pipeline/evaluation/metrics';
import type { BatchedRegressor, FitTask } from '../src/pipeline/evaluation/models';
import { randomGeneNull } from '../src/pipeline/evaluation/random-gene-null';
import { createRng } from '../src/pipeline/evaluation/rng';
import { permute, spinPermutations } from '../src/pipeline/evaluation/spin';
import { spinNullFixed, spinNullRetrained } from '../src/pipeline/evaluation/spin-null';
import { distanceDependentSplits, leaveOneRegionOut, type Split } from '../src/pipeline/evaluation/splits';
import { readCentroids, smoothRandomMap } from './eval-fixtures';

/** A fake model that records its calls and predicts ŷᵢ = yᵢ + (task index + 1) at held-out regions, ȳ_train elsewhere. */
function recordingModel() {
  const calls: number[] = [];
  const model: BatchedRegressor = {
    name: 'recorder',
    async fitPredict(X, tasks: FitTask[]) {
      const n = X.regions;
      calls.push(tasks.length);
      const predictions = tasks.map((t, k) => {
        const p = new Float64Array(n).fill(t.train.reduce((s, i) => s + t.y[i]!, 0) / t.train.length);
        t.test.forEach((i) => (p[i] = t.y[i]! + k + 1));
        return p;
      });
      return { predictions };
    },
  };
  return { model, calls };
}

describe('crossValidate', () => {
  const y = Float64Array.of(1, 3, 2, 5, 4, 6);
  const splits: Split[] = [
    { name: 'a', train: [2, 3, 4, 5], test: [0, 1] },
    { name: 'b', train: [0, 3, 4, 5], test: [1, 2] },
    { name: 'c', train: [0, 1, 2], test: [3, 4, 5] },
  ];

  it('sends all splits as one batch and averages a region held out twice', async () => {
    const { model, calls } = recordingModel();
    const result = await crossValidate(model, geneMatrix(new Float64Array(0), 6, 0), y, splits);
    expect(calls).toEqual([3]);
    // region 1 is held out by splits a (+1) and b (+2): averaged prediction y₁ + 1.5
    expect(Array.from(result.heldOutPrediction)).toEqual([2, 4.5, 4, 8, 7, 9]);
    expect(result.pooledRegions).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.pooled.r).toBeCloseTo(pearson(y, result.heldOutPrediction), 14);
    expect(result.perSplit.map((p) => p.name)).toEqual(['a', 'b', 'c']);
    // per split the prediction is y plus a constant, so every per-split r is 1 and R² = 1 − k²/Var·n
    expect(result.perSplit.map((p) => p.metrics.r)).toEqual([1, 1, 1]);
    expect(result.perSplit[2]!.metrics.r2).toBeCloseTo(1 - (3 * 9) / 2, 14); // y = 5, 4, 6: SS_tot = 2, SS_res = 3·3²
    expect(result.medianR).toBe(1);
    expect(result.iqrR).toBe(0);
  });

  it('leave-one-region-out: per-split r is NaN (one region), pooled r is defined', async () => {
    const { model } = recordingModel();
    const result = await crossValidate(model, geneMatrix(new Float64Array(0), 6, 0), y, leaveOneRegionOut(6));
    expect(result.perSplit.every((p) => Number.isNaN(p.metrics.r))).toBe(true);
    expect(Number.isNaN(result.medianR)).toBe(true);
    expect(Number.isFinite(result.pooled.r)).toBe(true);
  });
});

describe('spin nulls', () => {
  const c = readCentroids();
  const rng = createRng(77);
  const y = smoothRandomMap(c, 30, rng);
  const spins = spinPermutations({ sphere: c.sphere, hemisphere: c.hemisphere, n: 9, seed: 5, method: 'hungarian' });

  it('retrained: (spins + 1) × splits tasks in batches of at most maxBatch; observed = the CV on y', async () => {
    const splits = distanceDependentSplits(c.surface, 0.25, c.hemisphere).slice(0, 7);
    const { model, calls } = recordingModel();
    const result = await spinNullRetrained(model, geneMatrix(new Float64Array(0), 68, 0), y, splits, spins, {
      maxBatch: 16,
    });
    expect(calls).toEqual([16, 16, 16, 16, 6]); // 70 tasks
    const direct = await crossValidate(model, geneMatrix(new Float64Array(0), 68, 0), y, splits);
    expect(result.observed).toBeCloseTo(direct.pooled.r, 14);
    expect(result.nulls).toHaveLength(9);
    expect(result.pSpin).toBeCloseTo((1 + result.nulls.filter((v) => v >= result.observed).length) / 10, 14);
  });

  it('retrained with a real model: every null equals the CV rerun on that spun target, independent of maxBatch', async () => {
    const g = 20;
    const X = Float64Array.from({ length: 68 * g }, () => rng.normal());
    const splits = distanceDependentSplits(c.surface, 0.25, c.hemisphere).slice(0, 5);
    const model = ridge({ lambda: 50 });
    const a = await spinNullRetrained(model, geneMatrix(X, 68, g), y, splits, spins.slice(0, 4));
    const b = await spinNullRetrained(model, geneMatrix(X, 68, g), y, splits, spins.slice(0, 4), { maxBatch: 3 });
    expect(Array.from(a.nulls)).toEqual(Array.from(b.nulls));
    const second = await crossValidate(model, geneMatrix(X, 68, g), permute(y, spins[1]!), splits);
    expect(a.nulls[1]).toBeCloseTo(second.pooled.r, 14);
  });

  it('fixed (cheap variant): nulls are r(ŷ, spun y) without refitting', () => {
    const yhat = y.map((v, i) => v + Math.sin(i));
    const result = spinNullFixed(yhat, y, spins);
    expect(result.observed).toBeCloseTo(pearson(yhat, y), 14);
    spins.forEach((p, k) => expect(result.nulls[k]).toBeCloseTo(pearson(yhat, permute(y, p)), 14));
  });
});

/**
 * Genes as smooth maps: 12 "program" maps (Gaussian-smoothed noise on the sphere, ℓ = 30) mixed into
 * g = 150 genes plus independent noise; y = a weighted sum of the first three programs + noise.
 */
function plantedSmoothGenes(seed: number) {
  const c = readCentroids();
  const rng = createRng(seed);
  const programs = Array.from({ length: 12 }, () => smoothRandomMap(c, 30, rng));
  const g = 150;
  const loadings = Float64Array.from({ length: g * 12 }, () => rng.normal());
  const X = Float64Array.from({ length: 68 * g }, (_, k) => {
    const i = Math.floor(k / g);
    const gene = k % g;
    return programs.reduce((s, p, q) => s + loadings[gene * 12 + q]! * p[i]!, 0) + 0.3 * rng.normal();
  });
  const y = Float64Array.from(
    { length: 68 },
    (_, i) => 1.5 * programs[0]![i]! - programs[1]![i]! + 0.7 * programs[2]![i]! + 0.2 * rng.normal(),
  );
  return { c, X, g, y };
}

describe('planted gene-driven smooth signal, distance-dependent CV', () => {
  it('ridge and PLS beat the spatial-only baseline out of sample', async () => {
    const { c, X, g, y } = plantedSmoothGenes(90);
    const splits = distanceDependentSplits(c.surface, 0.25, c.hemisphere);
    const results = await Promise.all(
      [ridge(), pls(), spatialOnly({ coords: c.surface }), spatialOnly({ coords: c.surface, method: 'knn' })].map(
        async (m) => ({ name: m.name, cv: await crossValidate(m, geneMatrix(X, 68, g), y, splits) }),
      ),
    );
    for (const r of results) {
      console.log(
        `${r.name}: pooled out-of-sample r = ${r.cv.pooled.r.toFixed(3)}, R² = ${r.cv.pooled.r2.toFixed(3)}, median split r = ${r.cv.medianR.toFixed(3)} (IQR ${r.cv.iqrR.toFixed(3)})`,
      );
    }
    const [ridgeCv, plsCv, linearCv, knnCv] = results.map((r) => r.cv);
    const bestSpatial = Math.max(linearCv!.pooled.r2, knnCv!.pooled.r2);
    expect(ridgeCv!.pooled.r2).toBeGreaterThan(bestSpatial + 0.2);
    expect(plsCv!.pooled.r2).toBeGreaterThan(bestSpatial + 0.2);
    expect(ridgeCv!.pooled.r).toBeGreaterThan(0.8);
  });

  it('random-gene null: the 10 genes that carry the signal beat random 10-gene sets', async () => {
    // 200 genes: the first 10 are y + noise, the other 190 are smooth maps unrelated to y
    const c = readCentroids();
    const rng = createRng(91);
    const y = smoothRandomMap(c, 30, rng);
    const g = 200;
    const columns = Array.from({ length: g }, (_, k) =>
      k < 10 ? y.map((v) => v + 0.3 * rng.normal()) : smoothRandomMap(c, 30, rng),
    );
    const X = Float64Array.from({ length: 68 * g }, (_, k) => columns[k % g]![Math.floor(k / g)]!);
    const Xchosen = Float64Array.from({ length: 68 * 10 }, (_, k) => columns[k % 10]![Math.floor(k / 10)]!);
    const splits = distanceDependentSplits(c.surface, 0.25, c.hemisphere);
    const model = ridge({ lambda: 10 });
    const observed = (await crossValidate(model, geneMatrix(Xchosen, 68, 10), y, splits)).pooled.r;
    const result = await randomGeneNull(model, geneMatrix(X, 68, g), 10, y, splits, 19, 3, { observed });
    console.log(
      `random-gene null: observed r = ${observed.toFixed(3)}, null median r = ${[...result.nulls].sort()[9]!.toFixed(3)}, p = ${result.p}`,
    );
    expect(result.nulls).toHaveLength(19);
    expect(result.p).toBeCloseTo(1 / 20, 14); // observed beats every random set
  });
});
