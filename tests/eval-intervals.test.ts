/**
 * Predictive intervals: the normal quantile, the mixture of seed members, conformal calibration and
 * coverage on a synthetic case with known noise; Var(ŷ) under q(z|x) against sampling z; the seed
 * ensemble; and the study's interval stage, which must not read held-out targets.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { trainVae } from '../src/model';
import type { Hemisphere } from '../src/pipeline/atlas';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import {
  conformalMultipliers,
  coverage,
  gaussianMultiplier,
  mixtureSpread,
} from '../src/pipeline/evaluation/intervals';
import { learningCurves } from '../src/pipeline/evaluation/learning-curves';
import { predictionVariance } from '../src/pipeline/evaluation/prediction-variance';
import { createRng } from '../src/pipeline/evaluation/rng';
import { seedEnsemble } from '../src/pipeline/evaluation/seed-ensemble';
import { normalQuantile } from '../src/pipeline/evaluation/special-functions';
import { scaledExpression, trainTask, vaeRegressor } from '../src/pipeline/evaluation/vae-regressor';
import { predictiveIntervals } from '../src/pipeline/study/predictive-intervals';
import { normalisedLaplacian, ringWithChords } from './model-synthetic';

describe('interval arithmetic', () => {
  test('normal quantile (reference values from scipy.stats.norm.ppf)', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.75)).toBeCloseTo(0.6744897501960817, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 7);
    expect(gaussianMultiplier(0.9)).toBeCloseTo(1.6448536269514722, 8);
    expect(() => normalQuantile(1)).toThrow(/0 < p < 1/);
  });

  test('mixture of members: mean, and total variance = mean variance + spread of the means', () => {
    const { center, spread } = mixtureSpread(
      [Float64Array.of(1, 0), Float64Array.of(3, 0)],
      [Float64Array.of(0.5, 2), Float64Array.of(1.5, 2)],
    );
    expect(Array.from(center)).toEqual([2, 0]);
    expect(spread[0]).toBeCloseTo(Math.sqrt(1 + 1), 12); // (0.5 + 1.5)/2 + ((1−2)² + (3−2)²)/2
    expect(spread[1]).toBeCloseTo(Math.sqrt(2), 12);
    expect(mixtureSpread([Float64Array.of(1), Float64Array.of(3)], null).spread[0]).toBe(1);
  });

  test('conformal multipliers: the ⌈(m+1)α⌉-th smallest normalised score, infinite when m is too small', () => {
    const residuals = [1, -2, 3, -4, 5, 6, -7, 8, 9].map((v) => 2 * v);
    const spreads = residuals.map(() => 2);
    expect(conformalMultipliers(residuals, spreads, [0.5, 0.9, 0.95])).toEqual([5, 9, Infinity]);
    expect(coverage([0, 1, 2, 3], [0, 0, 0, 0], [1, 1, 1, 1])).toBe(0.5);
  });

  test('known noise: Gaussian intervals with the true SD and calibrated ones from a mis-scaled spread both hold their level', () => {
    const rng = createRng(11);
    const levels = [0.5, 0.8, 0.9];
    // heteroscedastic noise with a known SD per point; the model's spread is 3× too wide
    const draw = (m: number) =>
      Array.from({ length: m }, () => {
        const sd = 0.2 + rng.uniform();
        return { residual: sd * rng.normal(), sd };
      });
    const calibration = draw(2000);
    const q = conformalMultipliers(
      calibration.map((c) => c.residual),
      calibration.map((c) => 3 * c.sd),
      levels,
    );
    const fresh = draw(4000);
    const observed = fresh.map((p) => p.residual);
    levels.forEach((level, l) => {
      const z = gaussianMultiplier(level);
      const gaussian = coverage(
        observed,
        fresh.map((p) => -z * p.sd),
        fresh.map((p) => z * p.sd),
      );
      const calibrated = coverage(
        observed,
        fresh.map((p) => -q[l]! * 3 * p.sd),
        fresh.map((p) => q[l]! * 3 * p.sd),
      );
      const tooWide = coverage(
        observed,
        fresh.map((p) => -z * 3 * p.sd),
        fresh.map((p) => z * 3 * p.sd),
      );
      expect(Math.abs(gaussian - level)).toBeLessThan(0.03);
      expect(Math.abs(calibrated - level)).toBeLessThan(0.03);
      expect(tooWide).toBeGreaterThan(level + 0.05);
      expect(q[l]! * 3).toBeCloseTo(z, 0); // calibration recovers the Gaussian multiplier of the true SD
    });
  });
});

// a ring of 24 regions in one hemisphere with smooth genes; y = smooth signal + noise of known SD
const n = 24;
const g = 10;
const graph = normalisedLaplacian(n, ringWithChords(n));
const centroids = Float64Array.from({ length: 3 * n }, (_, k) =>
  k % 3 === 2 ? 0 : 50 * (k % 3 === 0 ? Math.cos : Math.sin)((2 * Math.PI * Math.floor(k / 3)) / n),
);
const hemispheres: Hemisphere[] = new Array(n).fill('L');
const X = Float64Array.from(
  { length: n * g },
  (_, k) => Math.sin((2 * Math.PI * Math.floor(k / g)) / n + 0.6 * (k % g)) + 0.05 * Math.cos(1.3 * k),
);
const expression = geneMatrix(X, n, g);
const noise = createRng(5);
const y = Float64Array.from({ length: n }, (_, i) => 2 * Math.sin((2 * Math.PI * i) / n) + 0.3 * noise.normal());
const config = { hiddenSize: 12, latentSize: 3, epochs: 40, learningRate: 1e-2, beta: 0.1, klWarmupEpochs: 0 };
const shared = () => ({
  engine: new Engine(new CpuBackend()),
  laplacian: graph.laplacian,
  edgeCount: graph.edgeCount,
  seed: 2,
  scaling: 'zscore' as const,
});

describe("the VAE's own uncertainty", () => {
  test('Var(ŷ) under q(z|x) is Σ_k σ²_k w_k², matching z sampled through the head', async () => {
    const engine = new Engine(new CpuBackend());
    const all = Array.from({ length: n }, (_, i) => i);
    const x = scaledExpression(expression, all, 'zscore');
    const result = await trainVae({
      engine,
      X: x,
      xShape: [1, n, g],
      laplacian: graph.laplacian,
      edgeCount: graph.edgeCount,
      tasks: [trainTask(y, all, 4).task],
      config,
    });
    const model = { config: result.config, weights: result.weights! };
    const [variance] = await predictionVariance(engine, model, x, [1, n, g]);
    // the encoder by hand: h = relu(x W1 + b1), logσ² = h Wσ + bσ; then ŷ = z·w + b for z = μ + σ ε
    const t = model.weights.tensors;
    const h = 12;
    const k = 3;
    const rng = createRng(9);
    for (const i of [0, 7, 19]) {
      const hidden = Array.from({ length: h }, (_, j) =>
        Math.max(
          0,
          t['encoder.b1'][j]! +
            Array.from({ length: g }, (_, c) => x[i * g + c]! * t['encoder.w1'][c * h + j]!).reduce((a, b) => a + b),
        ),
      );
      const logVar = Array.from(
        { length: k },
        (_, c) => t['encoder.bLogVar'][c]! + hidden.reduce((s, v, j) => s + v * t['encoder.wLogVar'][j * k + c]!, 0),
      );
      const mu = Array.from({ length: k }, (_, c) => result.mu[0]![i * k + c]!);
      const samples = Array.from({ length: 20000 }, () =>
        mu.reduce((s, m, c) => s + (m + Math.exp(logVar[c]! / 2) * rng.normal()) * t['head.w'][c]!, t['head.b'][0]!),
      );
      const mean = samples.reduce((a, b) => a + b) / samples.length;
      const sampled = samples.reduce((s, v) => s + (v - mean) ** 2, 0) / (samples.length - 1);
      expect(mean).toBeCloseTo(result.predictions[0]![i]!, 1);
      expect(Math.abs(sampled / variance![i]! - 1)).toBeLessThan(0.05);
    }
  });

  test('seed ensemble: one batched call, members equal separate runs, the ensemble predicts their mean', async () => {
    const member = vaeRegressor({ ...shared(), config, predictionVariance: true });
    const ensemble = seedEnsemble(member, [4, 5, 6]);
    const task = { y, train: Array.from({ length: 18 }, (_, i) => i + 6), test: [0, 1, 2, 3, 4, 5] };
    const {
      predictions: [mean],
      members,
      memberVariance,
    } = await ensemble.fitPredict(expression, [task]);
    expect(members[0]).toHaveLength(3);
    expect(memberVariance![0]!.every((v) => v.every((x) => x > 0))).toBe(true);
    mean!.forEach((v, i) => expect(v).toBeCloseTo(members[0]!.reduce((s, m) => s + m[i]!, 0) / 3, 12));
    const [alone] = (await vaeRegressor({ ...shared(), config, seed: 5 }).fitPredict(expression, [task])).predictions;
    alone!.forEach((v, i) => expect(members[0]![1]![i]).toBeCloseTo(v, 4));
  });

  test("learning curves follow the cross-validation fit: the last held-out error is that fit's held-out MSE", async () => {
    const task = { y, train: Array.from({ length: 18 }, (_, i) => i + 6), test: [0, 1, 2, 3, 4, 5] };
    const [curve] = await learningCurves(shared(), expression, [task], [config]);
    expect(curve!.epochs.at(-1)).toBe(40);
    expect(curve!.epochs).toHaveLength(4); // logged every 10 epochs
    const [prediction] = (await vaeRegressor({ ...shared(), config }).fitPredict(expression, [task])).predictions;
    const mse = task.test.reduce((s, i) => s + (y[i]! - prediction![i]!) ** 2, 0) / task.test.length;
    expect(curve!.heldOut.at(-1)).toBeCloseTo(mse, 4);
    expect(curve!.train.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  });
});

describe('interval stage of the study', () => {
  const splits = [
    { name: 'a', train: Array.from({ length: 16 }, (_, i) => i + 8), test: [0, 1, 2, 3, 4, 5, 6, 7] },
    { name: 'b', train: Array.from({ length: 16 }, (_, i) => i), test: [16, 17, 18, 19, 20, 21, 22, 23] },
  ];
  const seeds = [1, 2];
  const run = async (target: Float64Array) => {
    const member = vaeRegressor({ ...shared(), config, predictionVariance: true });
    const ensemble = seedEnsemble(member, seeds);
    const fit = await ensemble.fitPredict(
      expression,
      splits.map((s) => ({ y: target, train: s.train, test: s.test })),
    );
    return predictiveIntervals({
      regressor: shared(),
      expression,
      y: target,
      splits,
      seeds,
      members: fit.members,
      memberVariance: fit.memberVariance!,
      memberConfig: () => config,
      centroids,
      hemispheres,
      options: { levels: [0.5, 0.8], innerFolds: 3, innerFraction: 0.25 },
      model: 'test ensemble',
    });
  };

  test('every held-out region gets nested intervals; held-out targets only enter the coverage count', async () => {
    const a = await run(y);
    expect(a.points).toHaveLength(16);
    expect(a.perSplit.map((s) => s.calibrationPoints)).toEqual([12, 12]); // 3 inner folds × round(0.25 · 16)
    for (const p of a.points) {
      for (const [lo, hi] of [...p.calibrated, ...p.generative]) expect(lo <= p.center && p.center <= hi).toBe(true);
      expect(p.calibrated[1]![1] - p.calibrated[1]![0]).toBeGreaterThanOrEqual(
        p.calibrated[0]![1] - p.calibrated[0]![0],
      );
      expect(p.spread).toBeGreaterThan(0);
    }
    // coverage per level: the share of the 16 held-out targets inside their own interval, counted here
    a.levels.forEach((level, l) => {
      const inside = (side: 'calibrated' | 'generative') =>
        a.points.filter((p) => p[side][l]![0] <= p.observed && p.observed <= p[side][l]![1]).length / 16;
      expect(a.coverage[l]).toMatchObject({
        level,
        calibrated: inside('calibrated'),
        generative: inside('generative'),
      });
    });
    // split a's held-out regions train split b, so only split a must stay as it was
    const changed = Float64Array.from(y, (v, i) => (splits[0]!.test.includes(i) ? 10 * v + 3 : v));
    const b = await run(changed);
    expect(b.perSplit[0]).toEqual(a.perSplit[0]);
    expect(b.perSplit[1]).not.toEqual(a.perSplit[1]);
    b.points
      .filter((p) => p.split === 'a')
      .forEach((p, k) => {
        expect(p.center).toBeCloseTo(a.points[k]!.center, 10);
        expect(p.calibrated).toEqual(a.points[k]!.calibrated);
        expect(p.observed).not.toBe(a.points[k]!.observed);
      });
  });
});
