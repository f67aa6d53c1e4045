import type { Activation } from '../engine/backend';
import { ModelInputError } from './errors';

/**
 * Everything that defines one graph VAE and how it is trained (docs/math.md).
 * Stored verbatim in checkpoints, so a loaded model knows its sizes and activation.
 */
export interface VaeConfig {
  /** H: width of the encoder and decoder hidden layer. */
  hiddenSize: number;
  /** K: number of latent "transcriptomic programs". */
  latentSize: number;
  /** Nonlinearity of both hidden layers. */
  activation: Activation;
  /** β: weight of KL(q(z|x) ‖ N(0, I)) once warm-up is over. */
  beta: number;
  /** β rises linearly from β/warmup to β over these first epochs (0: full β from epoch 1). */
  klWarmupEpochs: number;
  /** α: weight of the masked target error mse(y, ŷ). */
  alpha: number;
  /** λ: weight of the Laplacian smoothness tr(μᵀ L μ)/(|E|·K). */
  lambda: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  adamEpsilon: number;
  /** Decoupled (AdamW) weight decay; 0 is plain Adam. */
  weightDecay: number;
  epochs: number;
  /** Losses are read back from the device (and early stopping checked) every this many epochs. */
  logEvery: number;
  /** With a validation mask: stop a model this many epochs after its best validation error. */
  patience: number;
}

/**
 * Defaults, and why:
 * - H = 256, K = 16: the paper's sizes.
 * - β = 1e-3 with 50 warm-up epochs: 68 regions are far too few samples for a full-weight prior
 *   (β = 1 collapses q(z|x) onto N(0, I) and the latents stop carrying the target); a small β keeps
 *   the latent scale bounded, and warm-up lets the programs form before the prior pulls on them.
 * - α = 1: target and reconstruction are both mean squared errors of z-scored data, so equal
 *   weights put them on the same scale.
 * - λ = 1e-2: the penalty is normalised by |E|·K (a mean squared difference per edge and latent),
 *   so 1e-2 smooths μ over the cortex without overriding the data terms.
 * - Adam, lr = 1e-3 (β1 0.9, β2 0.999, ε 1e-8): the usual settings; full batch of 68 regions
 *   converges within 500 epochs.
 * - logEvery = 10: one small readback every 10 epochs keeps the GPU busy between them.
 * - patience = 100: validation error on a few held-out regions is noisy; stop only on a clear plateau.
 */
export const DEFAULT_VAE_CONFIG: Readonly<VaeConfig> = Object.freeze({
  hiddenSize: 256,
  latentSize: 16,
  activation: 'relu',
  beta: 1e-3,
  klWarmupEpochs: 50,
  alpha: 1,
  lambda: 1e-2,
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  adamEpsilon: 1e-8,
  weightDecay: 0,
  epochs: 500,
  logEvery: 10,
  patience: 100,
});

const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'];

/** Defaults overlaid with the caller's choices, checked. */
export function resolveConfig(overrides: Partial<VaeConfig> = {}): VaeConfig {
  const config: VaeConfig = { ...DEFAULT_VAE_CONFIG, ...overrides };
  checkConfig(config);
  return config;
}

/** Throws ModelInputError naming the first setting out of range. */
export function checkConfig(config: VaeConfig): void {
  const positiveIntegers = ['hiddenSize', 'latentSize', 'epochs', 'logEvery', 'patience'] as const;
  for (const key of positiveIntegers) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new ModelInputError(`config.${key} = ${config[key]} must be a positive integer`);
    }
  }
  const nonNegative = ['beta', 'klWarmupEpochs', 'alpha', 'lambda', 'weightDecay'] as const;
  for (const key of nonNegative) {
    if (!Number.isFinite(config[key]) || config[key] < 0) {
      throw new ModelInputError(`config.${key} = ${config[key]} must be a finite number ≥ 0`);
    }
  }
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) {
    throw new ModelInputError(`config.learningRate = ${config.learningRate} must be > 0`);
  }
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) {
      throw new ModelInputError(`config.${key} = ${config[key]} must lie in [0, 1)`);
    }
  }
  if (!(config.adamEpsilon > 0)) throw new ModelInputError(`config.adamEpsilon = ${config.adamEpsilon} must be > 0`);
  if (!ACTIVATIONS.includes(config.activation)) {
    throw new ModelInputError(`config.activation = '${config.activation}' must be one of ${ACTIVATIONS.join(', ')}`);
  }
}

/** β at a 1-based epoch under linear warm-up: β·min(1, epoch / warmup). */
export function klWeightAt(config: VaeConfig, epoch: number): number {
  if (config.klWarmupEpochs === 0) return config.beta;
  return config.beta * Math.min(1, epoch / config.klWarmupEpochs);
}
