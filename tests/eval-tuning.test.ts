/**
 * Nested tuning of the VAE: spatial inner folds inside the training regions, the choice of setting
 * and epoch count from their held-out error, and the no-peeking property (held-out targets change
 * neither the choice nor any prediction); batching tasks together changes nothing.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { Hemisphere } from '../src/pipeline/atlas';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { farthestPoints, spatialInnerSplits } from '../src/pipeline/evaluation/inner-splits';
import { distanceDependentSplits, hemisphereSplits } from '../src/pipeline/evaluation/splits';
import { tunedVaeRegressor, type TuningSettings } from '../src/pipeline/evaluation/tuned-vae-regressor';
import { vaeRegressor } from '../src/pipeline/evaluation/vae-regressor';
import { readCentroids } from './eval-fixtures';
import { normalisedLaplacian, ringWithChords } from './model-synthetic';

describe('spatial inner folds', () => {
  const c = readCentroids();

  test('farthest-point seeds on a line: the ends first, then the middle', () => {
    const line = Float64Array.of(0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0);
    expect(farthestPoints(line, 3)).toEqual([0, 4, 2]);
  });

  test('hemisphere → hemisphere: patches of the training hemisphere only, nearest regions, deterministic', () => {
    for (const outer of hemisphereSplits(c.regions)) {
      const inner = spatialInnerSplits(outer.train, c.surface, c.hemisphere, { folds: 4, fraction: 0.25 });
      expect(inner).toHaveLength(4);
      expect(spatialInnerSplits(outer.train, c.surface, c.hemisphere, { folds: 4, fraction: 0.25 })).toEqual(inner);
      const held = new Set(outer.test);
      for (const fold of inner) {
        expect(fold.test).toHaveLength(Math.round(0.25 * outer.train.length));
        expect([...fold.train, ...fold.test].sort((a, b) => a - b)).toEqual(outer.train);
        expect([...fold.train, ...fold.test].some((i) => held.has(i))).toBe(false);
        const seed = Number(fold.name.slice('inner-'.length));
        const d = (i: number) => Math.hypot(...[0, 1, 2].map((a) => c.surface[3 * i + a]! - c.surface[3 * seed + a]!));
        expect(Math.max(...fold.test.map(d))).toBeLessThanOrEqual(Math.min(...fold.train.map(d)));
      }
      // the seeds are spread out: no two closer than the typical patch radius
      const seeds = inner.map((f) => Number(f.name.slice('inner-'.length)));
      const radius = Math.max(
        ...inner[0]!.test.map((i) =>
          Math.hypot(...[0, 1, 2].map((a) => c.surface[3 * i + a]! - c.surface[3 * seeds[0]! + a]!)),
        ),
      );
      for (const a of seeds)
        for (const b of seeds)
          if (a !== b)
            expect(Math.hypot(...[0, 1, 2].map((k) => c.surface[3 * a + k]! - c.surface[3 * b + k]!))).toBeGreaterThan(
              radius,
            );
    }
  });

  test("distance-dependent outer split: both hemispheres train; each patch stays in its seed's hemisphere", () => {
    const outer = distanceDependentSplits(c.surface, 0.25, c.hemisphere)[5]!;
    const inner = spatialInnerSplits(outer.train, c.surface, c.hemisphere, { folds: 5, fraction: 0.2 });
    expect(new Set(inner.map((f) => c.hemisphere[Number(f.name.slice(6))])).size).toBe(2);
    for (const fold of inner) {
      const side = c.hemisphere[Number(fold.name.slice(6))];
      expect(fold.test.every((i) => c.hemisphere[i] === side)).toBe(true);
      expect(fold.test.some((i) => outer.test.includes(i))).toBe(false);
    }
  });

  test('bad settings are refused', () => {
    const train = Array.from({ length: 34 }, (_, i) => i);
    expect(() => spatialInnerSplits(train, c.surface, c.hemisphere, { folds: 1, fraction: 0.25 })).toThrow(
      /inner folds/,
    );
    expect(() => spatialInnerSplits([0, 1, 2], c.surface, c.hemisphere, { folds: 2, fraction: 0.9 })).toThrow(
      /lower the inner fraction/,
    );
  });
});

// a ring of 20 regions in one hemisphere, centroids on a circle; genes vary smoothly around it and carry y
const n = 20;
const g = 12;
const graph = normalisedLaplacian(n, ringWithChords(n));
const centroids = Float64Array.from({ length: 3 * n }, (_, k) =>
  k % 3 === 2 ? 0 : 50 * (k % 3 === 0 ? Math.cos : Math.sin)((2 * Math.PI * Math.floor(k / 3)) / n),
);
const hemispheres: Hemisphere[] = new Array(n).fill('L');
const X = Float64Array.from(
  { length: n * g },
  (_, k) => Math.sin((2 * Math.PI * Math.floor(k / g)) / n + 0.5 * (k % g)) + 0.05 * Math.cos(1.7 * k),
);
const expression = geneMatrix(X, n, g);
const y = Float64Array.from({ length: n }, (_, i) => 5 + 2 * Math.sin((2 * Math.PI * i) / n) + 0.3 * Math.cos(5.1 * i));
const test_ = [0, 1, 2, 3, 4];
const train = Array.from({ length: n }, (_, i) => i).filter((i) => !test_.includes(i));
const base = { hiddenSize: 16, latentSize: 4, klWarmupEpochs: 0 };
const shared = () => ({
  engine: new Engine(new CpuBackend()),
  laplacian: graph.laplacian,
  edgeCount: graph.edgeCount,
  seed: 3,
  scaling: 'zscore' as const,
});
const settings: TuningSettings = {
  candidates: [{ learningRate: 1e-4 }, { learningRate: 1e-2 }],
  epochs: [10, 40],
  innerFolds: 3,
  innerFraction: 0.25,
};
const tuned = (tuning = settings) => tunedVaeRegressor({ ...shared(), config: base, tuning, centroids, hemispheres });

describe('tuned VAE', () => {
  test('no peeking: changing the held-out targets changes neither the choice nor any prediction', async () => {
    const a = await tuned().fitPredict(expression, [{ y, train, test: test_ }]);
    const changed = Float64Array.from(y, (v, i) => (test_.includes(i) ? -40 * v + 300 : v));
    const b = await tuned().fitPredict(expression, [{ y: changed, train, test: test_ }]);
    expect(b.choices).toEqual(a.choices);
    expect(Array.from(b.predictions[0]!)).toEqual(Array.from(a.predictions[0]!));
  });

  test('the choice is the least inner error, and each read-off error equals a fit stopped at that epoch count', async () => {
    const {
      choices: [choice],
    } = await tuned().fitPredict(expression, [{ y, train, test: test_ }]);
    const errors = choice!.innerError;
    expect(errors).toHaveLength(2);
    const least = Math.min(...errors.flat());
    expect(errors[choice!.candidate]![settings.epochs.indexOf(choice!.epochs)]).toBe(least);
    expect(Math.min(...errors[1]!)).toBeLessThan(Math.min(...errors[0]!)); // lr 1e-4 barely moves in 40 epochs

    // candidate 1 after 10 epochs, recomputed from scratch: one fit per inner fold for exactly 10 epochs
    const inner = spatialInnerSplits(train, centroids, hemispheres, { folds: 3, fraction: 0.25 });
    const direct = vaeRegressor({ ...shared(), config: { ...base, learningRate: 1e-2, epochs: 10 } });
    const { predictions } = await direct.fitPredict(
      expression,
      inner.map((f) => ({ y, train: f.train, test: f.test })),
    );
    let se = 0;
    let count = 0;
    inner.forEach((f, k) =>
      f.test.forEach((i) => {
        se += (y[i]! - predictions[k]![i]!) ** 2;
        count++;
      }),
    );
    expect(errors[1]![0]).toBeCloseTo(se / count, 4);
  });

  test('tasks tuned together in one call match each tuned alone', async () => {
    const other = {
      y,
      train: Array.from({ length: n }, (_, i) => i).filter((i) => i < 10 || i > 14),
      test: [10, 11, 12, 13, 14],
    };
    const together = await tuned().fitPredict(expression, [{ y, train, test: test_ }, other]);
    for (const [t, task] of [{ y, train, test: test_ }, other].entries()) {
      const alone = await tuned().fitPredict(expression, [task]);
      expect(alone.choices[0]!.candidate).toBe(together.choices[t]!.candidate);
      expect(alone.choices[0]!.epochs).toBe(together.choices[t]!.epochs);
      together.predictions[t]!.forEach((v, i) => expect(v).toBeCloseTo(alone.predictions[0]![i]!, 4));
    }
  });

  test('settings that cannot be tuned are refused', () => {
    expect(() => tuned({ ...settings, candidates: [{ epochs: 5 }] })).toThrow(/sets epochs/);
    expect(() => tuned({ ...settings, epochs: [40, 10] })).toThrow(/ascending/);
    expect(() => tuned({ ...settings, candidates: [] })).toThrow(/at least one candidate/);
  });
});
