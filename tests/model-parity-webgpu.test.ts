/**
 * The same batched graph VAE trained on the CPU reference and on the real WebGPU backend (Dawn;
 * lavapipe where there is no GPU; set XDG_RUNTIME_DIR): same seeds, same Philox noise, so the loss
 * curves must agree epoch by epoch within float32 accumulation-order differences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { requestGpuBackend } from '../src/engine/webgpu/index';
import type { EpochLosses } from '../src/model/train-run';
import { trainVae, type TrainVaeResult } from '../src/model/trainer';
import { maskOf, maskWithout, plantedData } from './model-synthetic';

// odd sizes, so no dimension is a multiple of a kernel tile
const N = 23;
const G = 11;
const data = plantedData(N, G, 31);
const EPOCHS = 50;
/** Per-epoch loss terms: |cpu − gpu| ≤ 1e-4 + 1e-3·|cpu| (reduction order differs; Adam amplifies a little). */
const lossClose = (cpu: number, gpu: number) => Math.abs(cpu - gpu) <= 1e-4 + 1e-3 * Math.abs(cpu);
/** Final predictions (z-scored target scale): |cpu − gpu| ≤ 5e-3. */
const PREDICTION_TOLERANCE = 5e-3;

let gpu: Backend;

beforeAll(async () => {
  const found = await requestGpuBackend();
  if (!('backend' in found))
    throw new Error(`no WebGPU adapter (${found.reason}); install lavapipe and set XDG_RUNTIME_DIR`);
  gpu = found.backend;
});

afterAll(() => gpu?.destroy());

function train(backend: Backend): Promise<TrainVaeResult> {
  return trainVae({
    engine: new Engine(backend),
    X: data.x,
    xShape: [1, N, G],
    laplacian: data.laplacian,
    edgeCount: data.edgeCount,
    tasks: [
      { y: data.y, trainMask: maskWithout(N, [2, 9]), seed: 21 },
      { y: Float32Array.from(data.y).reverse(), trainMask: maskOf(N, [0, 1, 3, 5, 8, 13, 21]), seed: 22 },
    ],
    config: { hiddenSize: 9, latentSize: 3, learningRate: 5e-3, epochs: EPOCHS, logEvery: 1, klWarmupEpochs: 10 },
  });
}

describe('graph VAE: cpu reference vs webgpu', () => {
  it(`same seeds give the same loss curve over ${EPOCHS} epochs and close final predictions`, async () => {
    const cpu = await train(new CpuBackend());
    const onGpu = await train(gpu);
    const terms: (keyof EpochLosses)[] = ['total', 'reconstruction', 'kl', 'target', 'smoothness'];
    cpu.history.forEach((curve, b) => {
      expect(onGpu.history[b]!.length).toBe(EPOCHS);
      curve.forEach((entry, e) => {
        for (const term of terms) {
          const [c, g] = [entry[term] as number, onGpu.history[b]![e]![term] as number];
          if (!lossClose(c, g)) throw new Error(`model ${b}, epoch ${entry.epoch}, ${term}: cpu ${c} vs webgpu ${g}`);
        }
      });
      cpu.predictions[b]!.forEach((p, i) => {
        expect(Math.abs(p - onGpu.predictions[b]![i]!)).toBeLessThanOrEqual(PREDICTION_TOLERANCE);
      });
    });
  });
});
