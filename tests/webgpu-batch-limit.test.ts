/**
 * Batched training at the device's per-binding limit (128 MiB, WebGPU's default
 * maxStorageBufferBindingSize): the largest tensor of a run is the parameter arena (every
 * parameter of a model, and its gradients and Adam moments alike: 51,324 floats per model at
 * 66×75, H = 256, K = 16), so 700 such models must train as two runs (653 + 47). Sized by the
 * activations alone, they went as one run whose arena (≈ 137 MiB) the device refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { trainVae } from '../src/model';
import { DEFAULT_MAX_BINDING_BYTES, largestTensorBytesPerModel } from '../src/model/batching';
import { laplacianCsr } from '../src/pipeline/data/graph';
import { openGpu, seededValues } from './helpers/gpu';

const N = 66;
const G = 75;
const MODELS = 700;

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

describe('training more models than one binding holds', () => {
  const ring = { n: N, edges: Array.from({ length: N }, (_, i) => ({ i, j: (i + 1) % N, weight: 1 })) };
  const X = seededValues(N * G, 11);
  const y = seededValues(N, 12);
  const trainMask = new Uint8Array(N).fill(1);

  /** Trains one model per seed for two epochs; records which task each run starts at. */
  function train(seeds: readonly number[], runStarts = new Set<number>()) {
    return trainVae({
      engine: new Engine(gpu),
      X,
      xShape: [1, N, G],
      laplacian: laplacianCsr(ring, 'normalized'),
      edgeCount: N,
      tasks: seeds.map((seed) => ({ y, trainMask, seed })),
      config: { epochs: 2, logEvery: 1 },
      keepWeights: false,
      onEpoch: (event) => runStarts.add(event.firstTask),
    });
  }

  it('splits them into runs that fit, each task as if trained alone', async () => {
    const perModel = largestTensorBytesPerModel(N, { inputSize: G, hiddenSize: 256, latentSize: 16 });
    expect(MODELS * perModel).toBeGreaterThan(DEFAULT_MAX_BINDING_BYTES);
    expect(MODELS * 4 * N * 256).toBeLessThan(DEFAULT_MAX_BINDING_BYTES); // the activations alone would fit

    const seeds = Array.from({ length: MODELS }, (_, i) => i + 1);
    const runs = new Set<number>();
    const all = await train(seeds, runs);
    expect([...runs].sort((a, b) => a - b)).toEqual([0, Math.floor(DEFAULT_MAX_BINDING_BYTES / perModel)]);
    expect(all.predictions).toHaveLength(MODELS);
    for (const p of all.predictions) expect(p.every(Number.isFinite)).toBe(true);

    const last = await train([MODELS]);
    expect(Array.from(all.predictions[MODELS - 1]!)).toEqual(Array.from(last.predictions[0]!));
  }, 120_000);
});
