/**
 * The fused model kernels: Laplacian smoothness (CSR), reparameterised sampling, MSE, KL and Adam.
 * Bytes count each tensor once (CSR: 4-byte column and value per entry, 4-byte row pointers).
 */
import {
  shapeSize,
  type AdamHyper,
  type Backend,
  type CsrMatrix,
  type RandomKey,
  type Shape,
} from '../../src/engine/backend';
import { formatShape } from '../../src/engine/broadcast';
import type { KernelCase } from '../kernel-case';
import { releaseAll, seeded, seedOf } from './inputs';

/** Sums of N·K products per member; gradients are single CSR row sums. */
export const LAPLACIAN_TOLERANCE = 1e-4;
/** z = μ + exp(½ logσ²)·ε: one exp, Box–Muller's log/sqrt/cos in float32. */
export const SAMPLING_TOLERANCE = 1e-5;
const LOSS_TOLERANCE = 1e-5;
const ADAM_TOLERANCE = 1e-5;

/** Bytes of a CSR matrix: values and columns per entry, n + 1 row pointers. */
export function csrBytes(m: CsrMatrix): number {
  return 8 * m.values.length + 4 * (m.n + 1);
}

/** Philox key of batch member b: seed b + 1, at a fixed step. */
export function benchKey(batch: number): RandomKey & { step: number } {
  return { seeds: Uint32Array.from({ length: batch }, (_, b) => b + 1), step: 7 };
}

/**
 * value[b] = tr(Zᵀ L Z), grad = 2 L Z in one pass. FLOPs = B·K·(2·nnz + 2·N) (L·Z, then Z ⊙ LZ summed).
 */
export function laplacianCase(graphName: string, matrix: CsrMatrix, batch: number, latent: number): KernelCase {
  const shape: Shape = [batch, matrix.n, latent];
  const nnz = matrix.values.length;
  const name = `laplacian fused ${graphName} B=${batch}`;
  const seed = seedOf(name);
  return {
    group: 'laplacian',
    name,
    shape: `Z ${formatShape(shape)}, L ${matrix.n}² nnz ${nnz} (${(nnz / matrix.n).toFixed(1)}/row)`,
    tolerance: LAPLACIAN_TOLERANCE,
    flops: batch * latent * (2 * nnz + 2 * matrix.n),
    bytes: 4 * (2 * shapeSize(shape) + batch) + csrBytes(matrix),
    prepare(backend) {
      const z = seeded(backend, shape, seed);
      const csr = backend.uploadCsr(matrix);
      return {
        launch: () => {
          const { value, grad } = backend.laplacianSmoothness(z, csr);
          return [value, grad];
        },
        dispose: () => backend.release(z),
      };
    },
  };
}

/** Inputs of the sampling cases: μ ∈ [−1, 1), logσ² ∈ [−2, 1). */
export function samplingInputs(backend: Backend, shape: Shape, seed: number) {
  return { mu: seeded(backend, shape, seed), logVar: seeded(backend, shape, seed + 1, -2, 1) };
}

/** z = μ + exp(½·logσ²) ⊙ ε with ε from Philox + Box–Muller, one pass; returns z and ε. */
export function reparameterizeCase(batch: number, regions: number, latent: number): KernelCase {
  const shape: Shape = [batch, regions, latent];
  const name = `reparameterize fused B=${batch}`;
  const seed = seedOf(`reparameterize ${formatShape(shape)}`);
  const key = benchKey(batch);
  return {
    group: 'sampling',
    name,
    shape: formatShape(shape),
    tolerance: SAMPLING_TOLERANCE,
    bytes: 16 * shapeSize(shape),
    prepare(backend) {
      const { mu, logVar } = samplingInputs(backend, shape, seed);
      return {
        launch: () => {
          const { z, eps } = backend.reparameterize(mu, logVar, key);
          return [z, eps];
        },
        dispose: () => releaseAll(backend, [mu, logVar]),
      };
    },
  };
}

/** Masked MSE value [B] and gradient: pred [B, N, C] against target [1|B, N, C], optional mask [B, N, 1]. */
export function mseCase(
  batch: number,
  regions: number,
  cols: number,
  sharedTarget: boolean,
  masked: boolean,
): KernelCase {
  const pred: Shape = [batch, regions, cols];
  const target: Shape = [sharedTarget ? 1 : batch, regions, cols];
  const mask: Shape = [batch, regions, 1];
  const name = `mse${masked ? ' masked' : ''} B=${batch}`;
  const seed = seedOf(`${name} ${formatShape(pred)}`);
  return {
    group: 'loss',
    name,
    shape: `${formatShape(pred)} vs ${formatShape(target)}${masked ? ` mask ${formatShape(mask)}` : ''}`,
    tolerance: LOSS_TOLERANCE,
    bytes: 4 * (2 * shapeSize(pred) + shapeSize(target) + (masked ? shapeSize(mask) : 0) + batch),
    prepare(backend) {
      const p = seeded(backend, pred, seed);
      const t = seeded(backend, target, seed + 1);
      const maskValues = new Float32Array(shapeSize(mask)).map((_, i) => (i % 5 === 0 ? 0 : 1));
      const m = masked ? backend.upload(maskValues, mask) : undefined;
      return {
        launch: () => {
          const { value, grad } = backend.mse(p, t, m);
          return [value, grad];
        },
        dispose: () => releaseAll(backend, [p, t, m]),
      };
    },
  };
}

/** KL(N(μ, σ²) ‖ N(0, 1)) value [B] with both gradients. */
export function klCase(batch: number, regions: number, latent: number): KernelCase {
  const shape: Shape = [batch, regions, latent];
  const name = `kl B=${batch}`;
  const seed = seedOf(`${name} ${formatShape(shape)}`);
  return {
    group: 'loss',
    name,
    shape: formatShape(shape),
    tolerance: LOSS_TOLERANCE,
    bytes: 4 * (4 * shapeSize(shape) + batch),
    prepare(backend) {
      const { mu, logVar } = samplingInputs(backend, shape, seed);
      return {
        launch: () => {
          const { value, gradMu, gradLogVar } = backend.kl(mu, logVar);
          return [value, gradMu, gradLogVar];
        },
        dispose: () => releaseAll(backend, [mu, logVar]),
      };
    },
  };
}

const ADAM_HYPER: AdamHyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, weightDecay: 1e-4 };

/** One in-place Adam(W) step on a parameter of `shape`; p, m and v are compared after one step. */
export function adamCase(label: string, shape: Shape): KernelCase {
  const name = `adam ${label}`;
  const seed = seedOf(`${name} ${formatShape(shape)}`);
  return {
    group: 'adam',
    name,
    shape: formatShape(shape),
    tolerance: ADAM_TOLERANCE,
    bytes: 28 * shapeSize(shape),
    prepare(backend) {
      const p = seeded(backend, shape, seed);
      const g = seeded(backend, shape, seed + 1);
      const m = seeded(backend, shape, seed + 2, -0.1, 0.1);
      const v = seeded(backend, shape, seed + 3, 0, 0.01);
      return {
        launch: () => {
          backend.adamUpdate([{ param: p, grad: g, m, v }], ADAM_HYPER);
          return [];
        },
        observed: () => [p, m, v],
        dispose: () => releaseAll(backend, [p, g, m, v]),
      };
    },
  };
}
