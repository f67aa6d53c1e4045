/** Parameter initialisation, host ↔ device layout, batch bookkeeping and configuration checks. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_VAE_CONFIG, klWeightAt, resolveConfig } from '../src/model/config';
import { ModelInputError } from '../src/model/errors';
import { concatModels, initialWeights, PARAMETER_NAMES, parameterSpecs, selectModels } from '../src/model/parameters';
import { chunkRanges, largestTensorBytes, largestTensorBytesPerModel, modelsPerRun } from '../src/model/batching';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { disposeWeights, readWeights, uploadWeights } from '../src/model/device-weights';

const dims = { inputSize: 75, hiddenSize: 40, latentSize: 5 };

describe('parameter initialisation', () => {
  it('Glorot-uniform weights within ±√(6/(in+out)) with variance limit²/3 (±10%), zero biases', () => {
    const weights = initialWeights(dims, [12345]);
    for (const name of PARAMETER_NAMES) {
      const { rows, cols, init } = parameterSpecs(dims)[name];
      const values = weights.tensors[name];
      expect(values.length).toBe(rows * cols);
      if (init === 'zeros') {
        expect(values.every((v) => v === 0)).toBe(true);
        continue;
      }
      const limit = Math.sqrt(6 / (rows + cols));
      expect(values.every((v) => Math.abs(v) <= limit)).toBe(true);
      if (values.length >= 1000) {
        const variance = values.reduce((s, v) => s + v * v, 0) / values.length;
        expect(variance / ((limit * limit) / 3)).toBeGreaterThan(0.9);
        expect(variance / ((limit * limit) / 3)).toBeLessThan(1.1);
      }
    }
  });

  it('model b depends only on its own seed, not on B or its position', () => {
    const batch = initialWeights(dims, [7, 8, 9]);
    const alone = initialWeights(dims, [8]);
    expect(selectModels(batch, [1]).tensors).toEqual(alone.tensors);
    expect(initialWeights(dims, [7]).tensors['encoder.w1']).not.toEqual(alone.tensors['encoder.w1']);
    expect(concatModels([selectModels(batch, [0]), selectModels(batch, [1, 2])]).tensors).toEqual(batch.tensors);
    expect(() => selectModels(batch, [3])).toThrow(/model index 3 is outside the batch of 3/);
  });
});

describe('configuration', () => {
  it('defaults are the documented ones and overrides are checked', () => {
    expect(resolveConfig()).toEqual(DEFAULT_VAE_CONFIG);
    expect(resolveConfig({ lambda: 0 }).lambda).toBe(0);
    expect(() => resolveConfig({ latentSize: 0 })).toThrow(ModelInputError);
    expect(() => resolveConfig({ hiddenSize: 2.5 })).toThrow(/config.hiddenSize = 2.5 must be a positive integer/);
    expect(() => resolveConfig({ beta: -1 })).toThrow(/config.beta = -1 must be a finite number ≥ 0/);
    expect(() => resolveConfig({ beta2: 1 })).toThrow(/config.beta2 = 1 must lie in \[0, 1\)/);
    expect(() => resolveConfig({ learningRate: 0 })).toThrow(/config.learningRate = 0 must be > 0/);
  });

  it('KL warm-up rises linearly to β and stays there', () => {
    const config = resolveConfig({ beta: 0.2, klWarmupEpochs: 4 });
    expect([1, 2, 3, 4, 5, 100].map((e) => klWeightAt(config, e))).toEqual([
      0.05, 0.1, 0.15000000000000002, 0.2, 0.2, 0.2,
    ]);
    expect(klWeightAt(resolveConfig({ beta: 0.2, klWarmupEpochs: 0 }), 1)).toBe(0.2);
  });
});

describe('weights on the device', () => {
  it('keep Wd2 as Wd2ᵀ [B, G, H] there and come back in the host layout unchanged', async () => {
    const small = { inputSize: 7, hiddenSize: 3, latentSize: 2 };
    const host = initialWeights(small, [1, 2]);
    const engine = new Engine(new CpuBackend());
    const params = uploadWeights(engine, host, false);
    expect(params['decoder.w2'].shape).toEqual([2, 7, 3]);
    expect(params['encoder.w1'].shape).toEqual([2, 7, 3]);
    const onDevice = await params['decoder.w2'].read();
    const [h, g] = [1, 5];
    // model 1, Wd2[h, g] on the host is Wd2ᵀ[g, h] on the device
    expect(onDevice[21 + g * 3 + h]).toBe(host.tensors['decoder.w2'][21 + h * 7 + g]);
    const back = await readWeights(params, small, 2);
    for (const name of PARAMETER_NAMES)
      expect(Array.from(back.tensors[name]), name).toEqual(Array.from(host.tensors[name]));
    disposeWeights(params);
  });
});

describe('batch sizing', () => {
  it('fits runs under the binding limit: the parameter arena of 910 genes × 256 hidden → 69 models per 128 MiB', () => {
    const paper = { inputSize: 910, hiddenSize: 256, latentSize: 16 };
    // W1 + Wd2 = 2·910·256, Wμ, Wσ, Wd1 = 3·256·16, biases 256 + 16 + 16 + 256 + 910 + 1, head 16: 479,679 floats
    expect(largestTensorBytesPerModel(68, paper)).toBe(4 * 479_679);
    expect(modelsPerRun(68, paper, 10000, 128 * 2 ** 20)).toBe(69);
    expect(modelsPerRun(68, paper, 50, 128 * 2 ** 20)).toBe(50);
    expect(() => modelsPerRun(68, paper, 0, 128 * 2 ** 20)).toThrow(/maxBatch = 0 must be a positive integer/);
  });

  it("counts the arena's padding: a limit of exactly 69 models' unpadded parameters holds 68", () => {
    const paper = { inputSize: 910, hiddenSize: 256, latentSize: 16 };
    const exact = 69 * 4 * 479_679;
    // each of the 12 parameters' [69, rows, cols] blocks starts at a multiple of 64 floats (head.b: 69 → 128)
    expect(largestTensorBytes(68, paper, 69)).toBeGreaterThan(exact);
    expect(largestTensorBytes(68, paper, 68)).toBeLessThanOrEqual(exact);
    expect(modelsPerRun(68, paper, 10000, exact)).toBe(68);
    expect(modelsPerRun(68, paper, 10000, largestTensorBytes(68, paper, 69))).toBe(69);
    expect(() => modelsPerRun(68, paper, 1, largestTensorBytes(68, paper, 1) - 4)).toThrow(
      /one model needs a \d+-byte tensor, over the \d+-byte binding limit/,
    );
    expect(chunkRanges(7, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 7],
    ]);
    expect(chunkRanges(3, 5)).toEqual([[0, 3]]);
  });
});
