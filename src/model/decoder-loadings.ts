import type { VaeModel } from './predict';
import { activate, derivativeFromOutput } from '../engine/activation';
import { ModelInputError } from './errors';

/**
 * How each latent program drives each gene through the decoder, for model `index` of a batch:
 * the Jacobian of the reconstruction at the latent means, averaged over regions,
 *   D[k, g] = (1/N) Σᵢ ∂X̂ᵢg/∂zₖ |_{z = μᵢ} = (1/N) Σᵢ Σₕ Wd1[k,h] · act′(aᵢₕ) · Wd2[h,g],
 *   aᵢ = μᵢ Wd1 + bd1.
 * With a linear decoder this is Wd1·Wd2; with ReLU it counts only the hidden units a region uses.
 * mu: N×K row-major. Returns K×G row-major, float64.
 */
export function decoderLoadings(model: VaeModel, index: number, mu: Float32Array): Float64Array {
  const { batch, dims, tensors } = model.weights;
  const { inputSize: G, hiddenSize: H, latentSize: K } = dims;
  if (!(index >= 0 && index < batch))
    throw new ModelInputError(`model index ${index} is outside the batch of ${batch}`);
  if (mu.length % K !== 0) throw new ModelInputError(`μ has ${mu.length} values, not a multiple of K = ${K}`);
  const regions = mu.length / K;
  const w1 = tensors['decoder.w1'].subarray(index * K * H, (index + 1) * K * H);
  const b1 = tensors['decoder.b1'].subarray(index * H, (index + 1) * H);
  const w2 = tensors['decoder.w2'].subarray(index * H * G, (index + 1) * H * G);

  // mean over regions of act′(aᵢₕ), weighted into Wd1: M[k,h] = Wd1[k,h] · (1/N) Σᵢ act′(aᵢₕ)
  const slope = new Float64Array(H);
  for (let i = 0; i < regions; i++) {
    for (let h = 0; h < H; h++) {
      let a = b1[h]!;
      for (let k = 0; k < K; k++) a += mu[i * K + k]! * w1[k * H + h]!;
      slope[h]! += derivativeFromOutput(model.config.activation, activate(model.config.activation, a)) / regions;
    }
  }
  const loadings = new Float64Array(K * G);
  for (let k = 0; k < K; k++) {
    for (let h = 0; h < H; h++) {
      const m = w1[k * H + h]! * slope[h]!;
      if (m === 0) continue;
      for (let g = 0; g < G; g++) loadings[k * G + g]! += m * w2[h * G + g]!;
    }
  }
  return loadings;
}
