/**
 * The training profiler: per-kernel device time from timestamp queries (and from the synchronised
 * wall-time fallback), dispatch counts that match what the backend recorded, matmul flops that
 * match the model's shapes, and the text table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { profileTraining, type TrainingProfile } from '../src/model/profile-training';
import { profileTable } from '../src/pipeline/report/profile-table';
import { laplacianCsr } from '../src/pipeline/data/graph';
import { openGpu, seededValues } from './helpers/gpu';

const N = 9;
const G = 7;
const H = 8;
const K = 3;
const B = 2;
const ring = { n: N, edges: Array.from({ length: N }, (_, i) => ({ i, j: (i + 1) % N, weight: 1 })) };

function request(engine: Engine, epochs: number, clock?: 'synchronised wall time') {
  const y = seededValues(N, 2);
  return {
    engine,
    X: seededValues(N * G, 1),
    regions: N,
    genes: G,
    laplacian: laplacianCsr(ring, 'normalized'),
    edgeCount: N,
    tasks: Array.from({ length: B }, (_, b) => ({ y, trainMask: new Uint8Array(N).fill(1), seed: b + 1 })),
    config: { hiddenSize: H, latentSize: K },
    epochs,
    warmupEpochs: 1,
    clock,
  };
}

/**
 * Matmul flops of one training epoch of the graph VAE, layers (in → out) G→H, H→K twice, K→H,
 * H→G, K→1: forward 2·B·N·in·out each; backward dW = [inᵀ; 1ᵀ]·P, 2·B·N·(in + 1)·out (the row of
 * ones gives the bias gradient), and dX = P·Wᵀ, 2·B·N·in·out, except for the first layer (X needs
 * none) and the decoder's output layer H→G, whose weights the device keeps transposed: there
 * dWᵀ = Pᵀ·h, 2·B·N·in·out, and the bias gradient is a reduction, not a matmul.
 */
function epochMatmulFlops(): number {
  const layers: [number, number][] = [
    [G, H],
    [H, K],
    [H, K],
    [K, H],
    [H, G],
    [K, 1],
  ];
  const decoderOutput = 4;
  return layers.reduce((sum, [inputs, outputs], layer) => {
    const forward = 2 * B * N * inputs * outputs;
    const weightGradient = 2 * B * N * (layer === decoderOutput ? inputs : inputs + 1) * outputs;
    return sum + forward + weightGradient + (layer === 0 ? 0 : forward);
  }, 0);
}

describe('training profiler (webgpu)', () => {
  let gpu: WebGpuBackend;
  let engine: Engine;
  beforeAll(async () => {
    gpu = await openGpu();
    engine = new Engine(gpu);
  });
  afterAll(() => gpu?.destroy());

  function checkProfile(profile: TrainingProfile, epochs: number): void {
    expect(profile.epochs).toBe(epochs);
    expect(profile.shape).toEqual({ regions: N, genes: G, hidden: H, latent: K, batch: B });
    // dispatches per epoch of the fused kernels, counted from the model: one each for the Laplacian
    // term, the KL, the sample and its gradient, the loss total and its gradient; two MSEs (expression,
    // target); Adam: one for the whole parameter arena; no fill (the backward's seed is uploaded)
    const perEpoch = Object.fromEntries(profile.kernels.map((k) => [k.kernel, k.dispatchesPerEpoch]));
    expect(perEpoch).toMatchObject({
      laplacianSmoothness: 1,
      kl: 1,
      mse: 2,
      reparameterize: 1,
      reparameterizeGrad: 1,
      weightedSum: 1,
      weightedSumGrad: 1,
      adamUpdate: 1,
    });
    expect(perEpoch.fill).toBeUndefined();
    const dispatches = profile.kernels.reduce((s, k) => s + k.dispatchesPerEpoch, 0);
    expect(dispatches).toBe(profile.perEpoch.dispatches);
    // every epoch records the same kernels: whole numbers of dispatches per epoch
    for (const k of profile.kernels) expect(Number.isInteger(k.dispatchesPerEpoch), k.kernel).toBe(true);
    // per-shape rows add up to their kernel's row
    for (const k of profile.kernels) {
      const ofKernel = profile.shapes.filter((s) => s.kernel === k.kernel);
      expect(ofKernel.reduce((s, r) => s + r.dispatchesPerEpoch, 0)).toBeCloseTo(k.dispatchesPerEpoch, 9);
      expect(ofKernel.reduce((s, r) => s + r.deviceMsPerEpoch, 0)).toBeCloseTo(k.deviceMsPerEpoch, 6);
    }
    const matmuls = profile.shapes.filter((s) => s.kernel.startsWith('matmul'));
    expect(matmuls.length).toBeGreaterThan(0);
    const flops = matmuls.reduce((s, r) => s + r.flopsPerEpoch, 0);
    expect(flops / epochMatmulFlops()).toBeCloseTo(1, 9);
    for (const r of matmuls)
      if (r.deviceMsPerEpoch > 0) expect(r.gflops).toBeCloseTo(r.flopsPerEpoch / r.deviceMsPerEpoch / 1e6, 6);
    expect(profile.perEpoch.deviceMs).toBeGreaterThan(0);
    expect(profile.perEpoch.wallMs).toBeGreaterThan(0);
    expect(profile.perEpoch.hostMs).toBeGreaterThan(0);
  }

  it('times every dispatch with timestamp queries: counts match the recorder, flops match the model', async () => {
    const epochs = 3;
    const before = gpu.dispatchCount;
    const profile = await profileTraining(request(engine, epochs));
    expect(profile.clock).toBe('timestamp-query');
    checkProfile(profile, epochs);
    // two runs of warm-up + epochs, plus their final evaluations: at least 2·(1 + epochs) epochs' dispatches
    expect(gpu.dispatchCount - before).toBeGreaterThanOrEqual(2 * (1 + epochs) * profile.perEpoch.dispatches);
    const table = profileTable(profile);
    expect(table).toContain('clock: timestamp-query');
    expect(table).toMatch(/matmul\S*\s+\d/);
  });

  it('falls back to synchronised wall time per dispatch, with the same accounting', async () => {
    const profile = await profileTraining(request(engine, 2, 'synchronised wall time'));
    expect(profile.clock).toBe('synchronised wall time');
    checkProfile(profile, 2);
  });

  it('refuses a second start and a stop without a start', async () => {
    gpu.startProfiling();
    expect(() => gpu.startProfiling()).toThrow(/already on/);
    expect(await gpu.stopProfiling().collect()).toEqual([]);
    expect(() => gpu.stopProfiling()).toThrow(/not on/);
  });
});
