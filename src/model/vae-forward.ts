import type { Activation } from '../engine/backend';
import { matmul } from '../engine/ops';
import type { Tensor } from '../engine/tensor';
import type { ParameterName } from './parameters';

/**
 * The graph VAE's forward maps (docs/math.md), each one fused matmul + bias + activation per layer.
 * Shapes: X [1|B, N, G] (shared or per model), parameters [B, rows, cols] (Wd2 as its transpose),
 * outputs [B, N, ·].
 */

export type DeviceParameters = Record<ParameterName, Tensor>;

/** The approximate posterior q(z|x) = N(μ, diag σ²) of every region. */
export interface Posterior {
  /** μ = h Wμ + bμ, [B, N, K] */
  mu: Tensor;
  /** logσ² = h Wσ + bσ, [B, N, K] */
  logVar: Tensor;
}

/** h = act(X W1 + b1), [B, N, H]. */
function encoderHidden(p: DeviceParameters, x: Tensor, activation: Activation): Tensor {
  return matmul(x, p['encoder.w1'], { bias: p['encoder.b1'], activation });
}

/** μ and logσ² from the shared hidden layer h. */
export function encode(p: DeviceParameters, x: Tensor, activation: Activation): Posterior {
  const h = encoderHidden(p, x, activation);
  return {
    mu: matmul(h, p['encoder.wMu'], { bias: p['encoder.bMu'] }),
    logVar: matmul(h, p['encoder.wLogVar'], { bias: p['encoder.bLogVar'] }),
  };
}

/** μ alone, for evaluation (no sampling, so logσ² is not needed). */
export function encodeMean(p: DeviceParameters, x: Tensor, activation: Activation): Tensor {
  return matmul(encoderHidden(p, x, activation), p['encoder.wMu'], { bias: p['encoder.bMu'] });
}

/** X̂ = act(z Wd1 + bd1) Wd2 + bd2, [B, N, G]; the device holds Wd2ᵀ (see device-weights.ts). */
export function decode(p: DeviceParameters, z: Tensor, activation: Activation): Tensor {
  const hidden = matmul(z, p['decoder.w1'], { bias: p['decoder.b1'], activation });
  return matmul(hidden, p['decoder.w2'], { transB: true, bias: p['decoder.b2'] });
}

/** ŷ = latent · wy + by, [B, N, 1]: z while training, μ at evaluation. */
export function predictTarget(p: DeviceParameters, latent: Tensor): Tensor {
  return matmul(latent, p['head.w'], { bias: p['head.b'] });
}
