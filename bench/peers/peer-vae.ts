/**
 * What every peer's VAE training step is built from and what it offers the harness: the same
 * data, the same initial weights (the model's own seeded Glorot initialisation), the same loss
 * weights and Adam settings as `trainVae`, and one interface to step, read back and check it.
 */
import {
  DEFAULT_VAE_CONFIG,
  concatModels,
  initialWeights,
  selectModels,
  type HostWeights,
  type ParameterName,
  type VaeConfig,
} from '../../src/model';
import { parameterSpecs } from '../../src/model/parameters';
import type { TrainData } from '../train-data';

/** β, α, λ of the objective (β fixed: the KL warm-up changes a weight, not the work). */
export type LossWeights = Pick<VaeConfig, 'beta' | 'alpha' | 'lambda'>;

/** What one peer VAE trains on: X [1, N, G], y [N], the target mask [N] and the Laplacian (dense N×N). */
export interface PeerVaeInputs {
  data: TrainData;
  /** 1 where y[n] enters the target MSE; the bench trains on every region (all ones). */
  mask: Float32Array;
  weights: LossWeights;
  /** Initial parameters of the B models. */
  initial: HostWeights;
}

export interface PeerVae {
  /**
   * Records one epoch of every model: forward, backward and the Adam update, with ε [B, N, K] from
   * the library's own normal generator, or the ε given (tests give cortex-vae's).
   */
  step(eps?: Float32Array): void;
  /** Waits for the recorded epochs and reads each model's loss at the last one back to the host. */
  lastLosses(): Promise<Float32Array>;
  /** The B models' current parameters, read back. */
  weights(): Promise<HostWeights>;
  dispose(): void;
}

/** What every peer's VAE epoch does differently from cortex-vae's (the work is the same). */
export const VAE_NOTES = [
  'VAE: the layer sizes, losses (reconstruction MSE, KL, masked target MSE, Laplacian term), Adam and initial weights of trainVae',
  'β fixed at its final value (trainVae warms it up over the first epochs: a weight, the same work)',
  'Laplacian term as a dense N×N product (cortex-vae: its CSR kernel)',
  "ε from the library's own normal generator (cortex-vae: Philox4x32 + Box–Muller)",
  "every model's loss read back after each sample's last epoch (cortex-vae: every logEvery epochs)",
] as const;

/** The short form of VAE_NOTES every VAE row carries. */
export const VAE_ROW_NOTE = "trainVae's math; β fixed, dense Laplacian, the library's own ε";

/**
 * How a peer trains B models: one program over tensors with a leading batch dimension B, or B
 * single-model programs one after another (loopOverModels).
 */
export type VaeLayout = 'batched' | 'loop';

export function layoutNote(layout: VaeLayout, batch: number): string | null {
  if (batch === 1) return null;
  return layout === 'batched'
    ? `batched: leading batch dimension ${batch}`
    : `loop over the ${batch} models, one model's program each`;
}

/** The inputs of B models as the bench trains them: seeds 1…B, every region in the target, default weights. */
export function benchVaeInputs(data: TrainData, batch: number): PeerVaeInputs {
  const { genes, hidden, latent } = data.shape;
  return {
    data,
    mask: new Float32Array(data.shape.regions).fill(1),
    weights: { beta: DEFAULT_VAE_CONFIG.beta, alpha: DEFAULT_VAE_CONFIG.alpha, lambda: DEFAULT_VAE_CONFIG.lambda },
    initial: initialWeights(
      { inputSize: genes, hiddenSize: hidden, latentSize: latent },
      Array.from({ length: batch }, (_, b) => b + 1),
    ),
  };
}

/** Dense N×N copy of the CSR Laplacian (N is the region count: small). */
export function denseLaplacian(data: TrainData): Float32Array {
  const { n, rowPtr, colIndex, values } = data.laplacian;
  const dense = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) dense[i * n + colIndex[e]!] = values[e]!;
  return dense;
}

/** Σ mask, floored at 1: the target MSE's denominator (C = 1 target column). */
export function maskCount(mask: Float32Array): number {
  return Math.max(
    1,
    mask.reduce((sum, m) => sum + m, 0),
  );
}

/**
 * B single-model VAEs stepped one after another: for a library whose fast path has no batch
 * dimension (one model's products are plain 2-D matmuls), this is its best way to train B models.
 */
export function loopOverModels(inputs: PeerVaeInputs, create: (single: PeerVaeInputs) => PeerVae): PeerVae {
  const { batch } = inputs.initial;
  const models = Array.from({ length: batch }, (_, b) =>
    create({ ...inputs, initial: selectModels(inputs.initial, [b]) }),
  );
  const perModel = (eps: Float32Array, b: number) =>
    eps.subarray((b * eps.length) / batch, ((b + 1) * eps.length) / batch);
  return {
    step: (eps) => models.forEach((m, b) => m.step(eps && perModel(eps, b))),
    lastLosses: async () => concatFloats(await Promise.all(models.map((m) => m.lastLosses()))),
    weights: async () => concatModels(await Promise.all(models.map((m) => m.weights()))),
    dispose: () => {
      for (const m of models) m.dispose();
    },
  };
}

function concatFloats(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Shape [B, rows, cols] of a parameter of B models. */
export function parameterShape(initial: HostWeights, name: ParameterName): [number, number, number] {
  const { rows, cols } = parameterSpecs(initial.dims)[name];
  return [initial.batch, rows, cols];
}
