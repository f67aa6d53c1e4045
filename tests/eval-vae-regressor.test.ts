/**
 * The VAE as a BatchedRegressor. Held-out regions' targets never reach the model (they are masked
 * out of the target loss and of the target's scaling), and their expression never reaches the gene
 * scaling (fitted on training regions only). Their expression does reach the loss: it is an input
 * like any other, and reconstruction, KL and the Laplacian term run over every region, held-out
 * ones included (transductive), so changing it changes what the model learns — that is tested here
 * too, as a fact of the design rather than a leak of targets. Also: tasks with their own seeds in
 * one batch equal separate runs; predictions come back in the target's units.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { pearson } from '../src/pipeline/evaluation/metrics';
import { batchExpression, vaeRegressor } from '../src/pipeline/evaluation/vae-regressor';
import { normalisedLaplacian, ringWithChords } from './model-synthetic';

const n = 20;
const g = 12;
const graph = normalisedLaplacian(n, ringWithChords(n));
// genes vary smoothly around the ring, each with its own phase, so they carry y
const X = Float64Array.from(
  { length: n * g },
  (_, k) => Math.sin((2 * Math.PI * Math.floor(k / g)) / n + 0.5 * (k % g)) + 0.05 * Math.cos(1.7 * k),
);
const expression = geneMatrix(X, n, g);
const y = Float64Array.from({ length: n }, (_, i) => 5 + 2 * Math.sin((2 * Math.PI * i) / n));
const train = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 0);
const test_ = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 === 0);

function regressor(seed = 3) {
  return vaeRegressor({
    engine: new Engine(new CpuBackend()),
    laplacian: graph.laplacian,
    edgeCount: graph.edgeCount,
    config: { hiddenSize: 16, latentSize: 4, epochs: 60, learningRate: 1e-2 },
    seed,
    scaling: 'zscore',
  });
}

describe('VAE regressor', () => {
  test('held-out targets never reach the model: changing them leaves every prediction unchanged', async () => {
    const changed = Float64Array.from(y, (v, i) => (test_.includes(i) ? v * -30 + 100 : v));
    const [a] = (await regressor().fitPredict(expression, [{ y, train, test: test_ }])).predictions;
    const [b] = (await regressor().fitPredict(expression, [{ y: changed, train, test: test_ }])).predictions;
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });

  test('gene scaling is fitted on training regions only', () => {
    const shifted = Float64Array.from(X, (v, k) => (test_.includes(Math.floor(k / g)) ? v + 50 : v));
    const task = { y, train, test: test_ };
    const a = batchExpression(expression, [task], 'zscore').X;
    const b = batchExpression(geneMatrix(shifted, n, g), [task], 'zscore').X;
    for (const i of train) for (let c = 0; c < g; c++) expect(b[i * g + c]).toBe(a[i * g + c]);
  });

  test('held-out expression is used transductively: changing it (not its scaling) changes the fit on training regions', async () => {
    const shifted = Float64Array.from(X, (v, k) => (test_.includes(Math.floor(k / g)) ? -v : v));
    const [a] = (await regressor().fitPredict(expression, [{ y, train, test: test_ }])).predictions;
    const [b] = (await regressor().fitPredict(geneMatrix(shifted, n, g), [{ y, train, test: test_ }])).predictions;
    expect(train.some((i) => a![i] !== b![i])).toBe(true);
  });

  test('predictions are in the target units and fit the training regions', async () => {
    const [prediction] = (
      await regressor().fitPredict(expression, [{ y, train: Array.from({ length: n }, (_, i) => i), test: [] }])
    ).predictions;
    const mean = prediction!.reduce((s, v) => s + v, 0) / n;
    expect(mean).toBeGreaterThan(4);
    expect(mean).toBeLessThan(6);
    expect(pearson(y, prediction!)).toBeGreaterThan(0.8);
  });

  test('tasks carrying their own seeds in one batch equal one run per seed', async () => {
    const tasks = [7, 8].map((seed) => ({ y, train, test: test_, seed }));
    const together = (await regressor().fitPredict(expression, tasks)).predictions;
    for (const [t, task] of tasks.entries()) {
      const [alone] = (await regressor(task.seed).fitPredict(expression, [{ y, train, test: test_ }])).predictions;
      together[t]!.forEach((v, i) => expect(v).toBeCloseTo(alone![i]!, 4));
    }
    expect(Array.from(together[0]!)).not.toEqual(Array.from(together[1]!));
  });
});
