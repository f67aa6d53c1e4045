/**
 * The whole graph-VAE objective against central finite differences, for every element of every
 * parameter, on tiny awkward sizes (N=5, G=4, H=3, K=2, B=2) with per-model X, targets and masks.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { PARAMETER_NAMES, initialWeights, parameterSpecs, type HostWeights } from '../src/model/parameters';
import { uploadWeights, disposeWeights, readGradients } from '../src/model/device-weights';
import { vaeLoss, type LossWeights, type TrainingData } from '../src/model/vae-loss';
import { normalisedLaplacian, maskWithout } from './model-synthetic';
import { seededUniform } from '../src/model/seeded-random';

const N = 5;
const G = 4;
const B = 2;
const dims = { inputSize: G, hiddenSize: 3, latentSize: 2 };
// every term weighted O(1) so none of them can hide behind a small coefficient
const weights: LossWeights = { klWeight: 0.5, alpha: 2, lambda: 0.7 };
const key = { seeds: Uint32Array.from([7, 11]), step: 3 };

function setup(): { engine: Engine; data: TrainingData; initial: HostWeights } {
  const engine = new Engine(new CpuBackend());
  const uniform = seededUniform(99);
  const x = Float32Array.from({ length: B * N * G }, () => 2 * uniform() - 1);
  const y = Float32Array.from({ length: B * N }, () => 2 * uniform() - 1);
  const masks = new Float32Array([...maskWithout(N, [1]), ...maskWithout(N, [0, 4])]);
  const graph = normalisedLaplacian(N, [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 0],
    [0, 2],
  ]);
  const data: TrainingData = {
    x: engine.tensor(x, [B, N, G]),
    y: engine.tensor(y, [B, N, 1]),
    trainMask: engine.tensor(masks, [B, N, 1]),
    laplacian: engine.csr(graph.laplacian),
    edgeCount: graph.edgeCount,
  };
  const initial = initialWeights(dims, [3, 5]);
  // non-zero biases, so their gradients are checked away from the symmetric starting point
  for (const name of PARAMETER_NAMES) {
    if (parameterSpecs(dims)[name].init === 'zeros')
      initial.tensors[name].forEach((_, i, a) => (a[i] = 0.3 * (2 * uniform() - 1)));
  }
  return { engine, data, initial };
}

/** Σ_b loss_b at the given weights (no gradients recorded). */
async function totalLoss(engine: Engine, data: TrainingData, host: HostWeights): Promise<number> {
  const params = uploadWeights(engine, host, false);
  const total = engine.tidy(() => engine.keep(vaeLoss(params, data, 'tanh', weights, key).total));
  const values = await total.read();
  total.dispose();
  disposeWeights(params);
  return values.reduce((a, b) => a + b, 0);
}

describe('graph VAE loss gradient', () => {
  it('matches central finite differences for every parameter element (|Δ| ≤ 2e-3 + 2e-2·|fd|, h = 1e-2)', async () => {
    const { engine, data, initial } = setup();
    const params = uploadWeights(engine, initial, true);
    engine.tidy(() => engine.backward(vaeLoss(params, data, 'tanh', weights, key).total));
    const h = 1e-2;
    let checked = 0;
    const gradients = await readGradients(params, dims, B);
    for (const name of PARAMETER_NAMES) {
      const analytic = gradients[name];
      for (let i = 0; i < analytic.length; i++) {
        const plus = structuredClone(initial);
        const minus = structuredClone(initial);
        plus.tensors[name][i]! += h;
        minus.tensors[name][i]! -= h;
        const numeric = ((await totalLoss(engine, data, plus)) - (await totalLoss(engine, data, minus))) / (2 * h);
        const tolerance = 2e-3 + 2e-2 * Math.abs(numeric);
        if (Math.abs(analytic[i]! - numeric) > tolerance) {
          throw new Error(`${name}[${i}]: analytic ${analytic[i]} vs finite difference ${numeric}`);
        }
        checked++;
      }
    }
    // (4·3 + 3 + 2·(3·2 + 2) + 2·3 + 3 + 3·4 + 4 + 2 + 1) · B elements
    expect(checked).toBe(59 * B);
    disposeWeights(params);
  });

  it('a parameter of model b changes only loss b (models in a batch are independent)', async () => {
    const { engine, data, initial } = setup();
    const params = uploadWeights(engine, initial, true);
    engine.tidy(() => engine.backward(vaeLoss(params, data, 'tanh', weights, key).total));
    // perturb model 1's encoder: model 1's head gradient moves, model 0's stays bit for bit
    const before = await params['head.w'].grad!.read();
    const shifted = structuredClone(initial);
    shifted.tensors['encoder.w1'].fill(0.123, G * 3);
    const moved = uploadWeights(engine, shifted, true);
    engine.tidy(() => engine.backward(vaeLoss(moved, data, 'tanh', weights, key).total));
    const after = await moved['head.w'].grad!.read();
    expect(Array.from(after.subarray(0, 2))).toEqual(Array.from(before.subarray(0, 2)));
    expect(after[2]).not.toBe(before[2]);
    disposeWeights(params);
    disposeWeights(moved);
  });
});
