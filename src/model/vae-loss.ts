import type { Activation, DeviceCsr, RandomKey } from '../engine/backend';
import { kl, laplacianSmoothness, mse, reparameterize, weightedSum } from '../engine/ops';
import type { Tensor } from '../engine/tensor';
import { decode, encode, predictTarget, type DeviceParameters } from './vae-forward';

/** What one training step sees: inputs, targets and the graph, already on the device. */
export interface TrainingData {
  /** X: [1|B, N, G] */
  x: Tensor;
  /** y: [B, N, 1] (scaled by the caller) */
  y: Tensor;
  /** 1 where y[n] enters the loss: [B, N, 1] */
  trainMask: Tensor;
  laplacian: DeviceCsr;
  /** |E|: number of undirected edges of the region graph. */
  edgeCount: number;
}

export interface LossWeights {
  /** β at this epoch (after warm-up): a number, or a [1] tensor written before each replayed step */
  klWeight: number | Tensor;
  alpha: number;
  lambda: number;
}

/** Every term per model, [B] each; `total` is the one differentiated. */
export interface LossTerms {
  /** mse(X, X̂) over all regions and genes */
  reconstruction: Tensor;
  /** KL(q(z|x) ‖ N(0, I)), mean over regions and latents */
  kl: Tensor;
  /** mse(y, ŷ; train mask) */
  target: Tensor;
  /**
   * tr(μᵀ L μ), unweighted and not normalised: the smoothness term is this · smoothnessScale (its
   * 1/(|E|·K) is folded into the term's weight in `total`, so no kernel scales it)
   */
  laplacianTrace: Tensor;
  /** mse(X, X̂) + β·KL + α·mse(y, ŷ; mask) + (λ/(|E|·K))·tr(μᵀ L μ) */
  total: Tensor;
}

/** 1/(|E|·K): the smoothness term is tr(μᵀ L μ)/(|E|·K), comparable across graphs and latent sizes. */
export function smoothnessScale(edgeCount: number, latentCount: number): number {
  return 1 / (edgeCount * latentCount);
}

/**
 * One forward pass of the whole objective. Held-out regions still pass through encoder, decoder
 * and the Laplacian term; the mask only removes their targets.
 */
export function vaeLoss(
  p: DeviceParameters,
  data: TrainingData,
  activation: Activation,
  weights: LossWeights,
  key: RandomKey,
): LossTerms {
  const { mu, logVar } = encode(p, data.x, activation);
  // z = μ + exp(½ logσ²) ⊙ ε, ε ~ N(0, I) from the model's Philox stream at this step
  const z = reparameterize(mu, logVar, key);
  const reconstruction = mse(decode(p, z, activation), data.x);
  const klTerm = kl(mu, logVar);
  const target = mse(predictTarget(p, z), data.y, data.trainMask);
  const laplacianTrace = laplacianSmoothness(mu, data.laplacian);
  const lambdaPerTrace = weights.lambda * smoothnessScale(data.edgeCount, mu.shape[2]!);
  const total = weightedSum(
    [reconstruction, klTerm, target, laplacianTrace],
    [1, weights.klWeight, weights.alpha, lambdaPerTrace],
  );
  return { reconstruction, kl: klTerm, target, laplacianTrace, total };
}
