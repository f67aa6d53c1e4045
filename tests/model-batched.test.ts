/**
 * B models in one batched run behave exactly like B separate runs: per-model seeds, targets,
 * masks, X, early stopping, and chunking into runs that fit the binding limit.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { VaeConfig } from '../src/model/config';
import { largestTensorBytes } from '../src/model/batching';
import { ModelInputError } from '../src/model/errors';
import type { TrainTask } from '../src/model/train-inputs';
import type { EpochEvent } from '../src/model/train-run';
import { trainVae, type TrainVaeOptions, type TrainVaeResult } from '../src/model/trainer';
import { maskOf, maskWithout, plantedData } from './model-synthetic';

const N = 23;
const G = 11;
const data = plantedData(N, G, 5);
const config: Partial<VaeConfig> = {
  hiddenSize: 9,
  latentSize: 3,
  learningRate: 5e-3,
  epochs: 45,
  logEvery: 7,
  klWarmupEpochs: 10,
};
/** Batched and single runs do the same float32 arithmetic per model; allow a last-bit difference. */
const TOLERANCE = 1e-5;

const reversed = Float32Array.from(data.y).reverse();
const tasks: TrainTask[] = [
  { y: data.y, trainMask: maskWithout(N, [0, 1, 2]), seed: 1 },
  { y: reversed, trainMask: maskWithout(N, [10, 22]), seed: 2 },
  { y: data.y.map((v) => -v), trainMask: maskOf(N, [3, 4, 5, 6, 7, 8, 9, 12, 15]), seed: 4000000000 },
];

function train(overrides: Partial<TrainVaeOptions>): Promise<TrainVaeResult> {
  return trainVae({
    engine: new Engine(new CpuBackend()),
    X: data.x,
    xShape: [1, N, G],
    laplacian: data.laplacian,
    edgeCount: data.edgeCount,
    tasks,
    config,
    ...overrides,
  });
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= tolerance))
      throw new Error(`element ${i}: ${a[i]} vs ${b[i]} (tolerance ${tolerance})`);
  }
}

function expectSameModels(batched: TrainVaeResult, singles: TrainVaeResult[]): void {
  singles.forEach((single, b) => {
    expectClose(batched.predictions[b]!, single.predictions[0]!, TOLERANCE);
    expectClose(batched.mu[b]!, single.mu[0]!, TOLERANCE);
    expect(batched.bestEpoch[b]).toBe(single.bestEpoch[0]);
    expect(batched.history[b]!.map((h) => h.epoch)).toEqual(single.history[0]!.map((h) => h.epoch));
    expectClose(
      batched.history[b]!.map((h) => h.total),
      single.history[0]!.map((h) => h.total),
      TOLERANCE,
    );
  });
}

describe('batched graph VAE training', () => {
  it(`B = 3 models with their own seeds, targets and masks equal 3 single runs (|Δ| ≤ ${TOLERANCE})`, async () => {
    const batched = await train({});
    const singles = await Promise.all(tasks.map((task) => train({ tasks: [task] })));
    expectSameModels(batched, singles);
    expect(batched.history[0]!.map((h) => h.epoch)).toEqual([7, 14, 21, 28, 35, 42, 45]);
    // different targets and seeds really give different models
    expect(batched.predictions[0]).not.toEqual(batched.predictions[1]);
  });

  it('per-model X [B, N, G] equals single runs on each X', async () => {
    const xs = tasks.map((_, b) => data.x.map((v, i) => v * (1 + 0.1 * b) + 0.01 * b * (i % 3)));
    const stacked = new Float32Array(xs.length * N * G);
    xs.forEach((x, b) => stacked.set(x, b * N * G));
    const batched = await train({ X: stacked, xShape: [3, N, G] });
    const singles = await Promise.all(tasks.map((task, b) => train({ tasks: [task], X: xs[b]!, xShape: [1, N, G] })));
    expectSameModels(batched, singles);
  });

  it('splits into runs of maxBatch (or what fits the binding limit) without changing any model', async () => {
    const whole = await train({});
    const firstTasks = new Set<number>();
    const byMaxBatch = await train({ maxBatch: 2, onEpoch: (e: EpochEvent) => firstTasks.add(e.firstTask) });
    expect([...firstTasks]).toEqual([0, 2]);
    expectSameModels(
      byMaxBatch,
      [0, 1, 2].map((b) => single(whole, b)),
    );
    // the largest tensor is the parameter arena, each of its 12 blocks padded to 64 floats: a limit of
    // one model's arena (3,584 bytes) fits one model per run, not two
    const dims = { inputSize: G, hiddenSize: 9, latentSize: 3 };
    const oneModel = largestTensorBytes(N, dims, 1);
    expect(oneModel).toBe(3584);
    expect(largestTensorBytes(N, dims, 2)).toBeGreaterThan(oneModel);
    const runStarts = new Set<number>();
    const byBytes = await train({ maxBindingBytes: oneModel, onEpoch: (e: EpochEvent) => runStarts.add(e.firstTask) });
    expect([...runStarts]).toEqual([0, 1, 2]);
    expectSameModels(
      byBytes,
      [0, 1, 2].map((b) => single(whole, b)),
    );
    expect(byBytes.weights!.batch).toBe(3);
    await expect(train({ maxBindingBytes: 1000 })).rejects.toThrow(/over the 1000-byte binding limit/);
  });

  it('early stopping per model: best-epoch predictions kept, same in a batch as alone', async () => {
    const validationTasks: TrainTask[] = tasks.map((task, b) => ({
      ...task,
      trainMask: maskWithout(N, [b, b + 5, b + 11, b + 17]),
      validationMask: maskOf(N, [b, b + 5, b + 11, b + 17]),
    }));
    // a target unrelated to the genes (a shuffled map) overfits: its validation error turns up early
    validationTasks[1]!.y = Float32Array.from({ length: N }, (_, i) => data.y[(i * 7) % N]!);
    const stopping: Partial<VaeConfig> = { ...config, epochs: 400, logEvery: 5, patience: 30, learningRate: 2e-2 };
    const batched = await train({ tasks: validationTasks, config: stopping });
    const singles = await Promise.all(validationTasks.map((task) => train({ tasks: [task], config: stopping })));
    expectSameModels(batched, singles);
    expect(Math.min(...batched.bestEpoch)).toBeLessThan(400 - 30);
    batched.bestEpoch.forEach((best, b) => {
      const entry = batched.history[b]!.find((h) => h.epoch === best)!;
      // the returned predictions are the best epoch's: their validation error is the recorded one
      const mask = validationTasks[b]!.validationMask!;
      let error = 0;
      mask.forEach((m, i) => (error += m * (batched.predictions[b]![i]! - validationTasks[b]!.y[i]!) ** 2));
      expect(error / 4).toBeCloseTo(entry.validation!, 5);
      expect(Math.min(...batched.history[b]!.map((h) => h.validation!))).toBe(entry.validation);
    });
  });

  it('held-out targets contribute nothing: any value there gives bit-identical models', async () => {
    const heldOut = [0, 1, 2];
    const withTargets = (value: number) => {
      const y = Float32Array.from(data.y);
      for (const i of heldOut) y[i] = value;
      return train({ tasks: [{ y, trainMask: maskWithout(N, heldOut), seed: 3 }] });
    };
    const [high, low] = await Promise.all([withTargets(1000), withTargets(-1000)]);
    expect(high.predictions).toEqual(low.predictions);
    expect(high.history).toEqual(low.history);
    // while the same change on a training region moves the model
    const moved = await train({
      tasks: [{ y: data.y.map((v, i) => (i === 3 ? 1000 : v)), trainMask: maskWithout(N, heldOut), seed: 3 }],
    });
    expect(moved.predictions).not.toEqual(high.predictions);
  });

  it('leaves no tensor behind: every step, snapshot and run frees what it made', async () => {
    const backend = new CpuBackend();
    const engine = new Engine(backend);
    const withValidation = tasks.map((task, b) => ({ ...task, validationMask: maskOf(N, [b + 1]) }));
    await train({ engine, tasks: withValidation, maxBatch: 2, config: { ...config, patience: 10 } });
    expect(backend.liveTensors).toBe(0);
    expect(engine.tapeLength).toBe(0);
    await expect(train({ engine, config: { ...config, learningRate: 1e4, logEvery: 1 } })).rejects.toThrow(
      /not finite/,
    );
    expect(backend.liveTensors).toBe(0);
  });

  it('is reproducible: the same seeds give bit-identical predictions and weights', async () => {
    const a = await train({});
    const b = await train({});
    expect(a.predictions).toEqual(b.predictions);
    expect(a.weights!.tensors).toEqual(b.weights!.tensors);
  });

  it('rejects inconsistent inputs with one clear line', async () => {
    const bad = async (overrides: Partial<TrainVaeOptions>, message: RegExp) => {
      const attempt = train(overrides);
      await expect(attempt).rejects.toThrow(ModelInputError);
      await expect(attempt).rejects.toThrow(message);
    };
    await bad({ xShape: [2, N, G] }, /xShape\[0\] = 2 must be 1 \(shared X\) or the task count 3/);
    await bad({ xShape: [1, N, G + 1] }, /X has 253 values but xShape \[1, 23, 12\] needs 276/);
    await bad({ tasks: [{ ...tasks[0]!, y: new Float32Array(N - 1) }] }, /task 0: y has 22 values for 23 regions/);
    await bad({ tasks: [{ ...tasks[0]!, trainMask: new Uint8Array(N) }] }, /task 0: trainMask selects no region/);
    await bad(
      { tasks: [tasks[0]!, { ...tasks[1]!, validationMask: maskOf(N, [1]) }] },
      /1 of 2 tasks have a validationMask/,
    );
    await bad({ tasks: [{ ...tasks[0]!, seed: -1 }] }, /task 0: seed -1 must be an integer/);
    await bad({ edgeCount: 0 }, /edgeCount = 0/);
    await bad({ config: { ...config, activation: 'gelu' as never } }, /config.activation = 'gelu'/);
    const nan = Float32Array.from(data.x);
    nan[2 * G + 4] = NaN;
    await bad({ X: nan }, /X is not finite at region 2, gene 4/);
  });

  it('a diverging run stops with a line naming the task, the epoch and the fix', async () => {
    const attempt = train({ config: { ...config, learningRate: 1e4, logEvery: 1 } });
    await expect(attempt).rejects.toThrow(/task \d: loss is not finite at epoch \d+; lower learningRate/);
  });
});

/** Task b of a batched result, shaped like a single run's result. */
function single(result: TrainVaeResult, b: number): TrainVaeResult {
  return {
    ...result,
    predictions: [result.predictions[b]!],
    mu: [result.mu[b]!],
    history: [result.history[b]!],
    bestEpoch: [result.bestEpoch[b]!],
  };
}
