/**
 * Going on from a stopped run: training e₁ epochs, keeping the state, and going on to e₂ ends
 * exactly where one run of e₂ epochs does (history, predictions, weights, Adam moments) on both
 * backends, also when runs are cut by maxBatch and for a subset of the models picked out of the
 * state; bad states are refused.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { VaeConfig } from '../src/model/config';
import { trainVae, type TrainVaeOptions } from '../src/model/trainer';
import { selectStates } from '../src/model/train-state';
import { openGpu } from './helpers/gpu';
import { plantedData } from './model-synthetic';

const data = plantedData(24, 12, 7);
const config: Partial<VaeConfig> = {
  hiddenSize: 8,
  latentSize: 3,
  learningRate: 1e-2,
  klWarmupEpochs: 10,
  logEvery: 5,
  weightDecay: 0.1,
};
const mask = (keep: (i: number) => boolean) => Uint8Array.from({ length: data.regions }, (_, i) => (keep(i) ? 1 : 0));
const tasks = [0, 1, 2].map((t) => ({
  y: data.y,
  seed: 11 + t,
  trainMask: mask((i) => i % 4 !== t),
  validationMask: mask((i) => i % 4 === t),
}));

const train = (backend: Backend, options: Partial<TrainVaeOptions>) =>
  trainVae({
    engine: new Engine(backend),
    X: data.x,
    xShape: [1, data.regions, data.genes],
    laplacian: data.laplacian,
    edgeCount: data.edgeCount,
    tasks,
    ...options,
    config: { ...config, patience: 100, ...options.config },
  });

const backends = [
  ['cpu', async () => new CpuBackend()],
  ['webgpu', openGpu],
] as const;

describe.each(backends)('going on from a stopped run (%s)', (_, open) => {
  it('12 epochs, then 12 → 30, equals one run of 30 epochs, bit for bit', async () => {
    const backend = await open();
    const whole = await train(backend, { config: { epochs: 30 }, keepState: true });
    const first = await train(backend, { config: { epochs: 12 }, keepState: true });
    expect(first.state!.epoch).toBe(12);
    const rest = await train(backend, { config: { epochs: 30 }, from: first.state!, keepState: true });
    expect(rest.state!.epoch).toBe(30);
    tasks.forEach((_, t) => {
      // the first call also logs its last epoch, 12, which a 30-epoch run does not (logEvery 5)
      const logged = first.history[t]!.filter((h) => h.epoch % 5 === 0);
      expect([...logged, ...rest.history[t]!]).toEqual(whole.history[t]);
      expect(rest.predictions[t]).toEqual(whole.predictions[t]);
    });
    for (const part of ['weights', 'm', 'v'] as const) {
      expect(rest.state![part].tensors).toEqual(whole.state![part].tensors);
    }
  });

  it('runs cut by maxBatch keep and take their share of the state', async () => {
    const backend = await open();
    const whole = await train(backend, { config: { epochs: 20 }, keepState: true });
    const first = await train(backend, { config: { epochs: 10 }, keepState: true, maxBatch: 2 });
    const rest = await train(backend, { config: { epochs: 20 }, from: first.state!, keepState: true, maxBatch: 2 });
    expect(rest.state!.weights.batch).toBe(3);
    for (const part of ['weights', 'm', 'v'] as const) {
      expect(rest.state![part].tensors).toEqual(whole.state![part].tensors);
    }
  });

  it('a subset of the models goes on alone as it would have in the whole batch', async () => {
    const backend = await open();
    const whole = await train(backend, { config: { epochs: 20 } });
    const first = await train(backend, { config: { epochs: 10 }, keepState: true });
    const rest = await trainVae({
      engine: new Engine(backend),
      X: data.x,
      xShape: [1, data.regions, data.genes],
      laplacian: data.laplacian,
      edgeCount: data.edgeCount,
      tasks: [tasks[2]!, tasks[0]!],
      config: { ...config, patience: 100, epochs: 20 },
      from: selectStates(first.state!, [2, 0]),
    });
    expect(rest.history[0]!.map((h) => h.validation)).toEqual(whole.history[2]!.slice(2).map((h) => h.validation));
    expect(rest.history[1]!.map((h) => h.validation)).toEqual(whole.history[0]!.slice(2).map((h) => h.validation));
  });
});

describe('bad states are refused', () => {
  it('names the mismatch and the fix', async () => {
    const backend = new CpuBackend();
    const first = await train(backend, { config: { epochs: 5 }, keepState: true });
    const from = (epochs: number, state = first.state!, more = {}) =>
      train(backend, { config: { epochs, ...more }, from: state });
    await expect(from(5)).rejects.toThrow(/after 5 epochs; config.epochs = 5 must be more/);
    await expect(from(9, selectStates(first.state!, [0]))).rejects.toThrow(/holds 1 models for 3 tasks/);
    await expect(from(9, first.state!, { hiddenSize: 16 })).rejects.toThrow(/G, H, K = 12, 8, 3/);
  });
});
