/**
 * The op chains the fused kernels replace, run through the same backend, so fused and unfused
 * times compare like for like. Each chain is checked against the cpu reference of the same chain.
 */
import { shapeSize, type CsrMatrix, type Shape } from '../../src/engine/backend';
import { formatShape } from '../../src/engine/broadcast';
import { reparameterizeCpu } from '../../src/engine/cpu/random';
import { laplacianDense, type RegionGraph } from '../../src/pipeline/data/graph';
import type { KernelCase } from '../kernel-case';
import { benchKey, LAPLACIAN_TOLERANCE, SAMPLING_TOLERANCE, samplingInputs } from './fused';
import { releaseAll, seeded, seedOf } from './inputs';
import { seededValues } from '../accuracy';

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(bytes < 2 ** 24 ? 1 : 0);

/**
 * tr(Zᵀ L Z) and 2 L Z through dense ops: LZ = L·Z (matmul, L [1, N, N] broadcast over B),
 * value = Σ_{n,k} Z ⊙ LZ (mul, reduce over axes 1, 2), grad = 2·LZ (scale). FLOPs = B·K·(2N² + 2N).
 * `matrix` (the fused kernel's CSR) only sizes the skip message when the dense matrix cannot exist.
 */
export function laplacianDenseChainCase(
  graphName: string,
  graph: RegionGraph,
  matrix: CsrMatrix,
  batch: number,
  latent: number,
  maxDenseBytes: number,
): KernelCase {
  const n = graph.n;
  const shape: Shape = [batch, n, latent];
  const name = `laplacian dense chain ${graphName} B=${batch}`;
  const denseBytes = 4 * n * n;
  const skip =
    denseBytes > maxDenseBytes
      ? `a dense ${n}×${n} Laplacian needs ${mib(denseBytes)} MiB (> ${mib(maxDenseBytes)} MiB allowed); the CSR form the fused kernel reads has ${matrix.values.length} entries`
      : undefined;
  return {
    group: 'fusion',
    name,
    shape: `Z ${formatShape(shape)}, dense L ${n}×${n}`,
    tolerance: LAPLACIAN_TOLERANCE,
    flops: batch * latent * (2 * n * n + 2 * n),
    bytes: denseBytes + 4 * (2 * shapeSize(shape) + batch),
    ...(skip ? { skip } : {}),
    prepare(backend) {
      // the fused case's Z values (same name stem), so both rows see identical data
      const z = seeded(backend, shape, seedOf(`laplacian fused ${graphName} B=${batch}`));
      const dense = backend.upload(Float32Array.from(laplacianDense(graph, 'normalized')), [1, n, n]);
      return {
        launch: () => {
          const lz = backend.matmul(dense, z);
          const product = backend.binary('mul', z, lz);
          const value = backend.reduce('sum', product, [1, 2]);
          const grad = backend.unary('scale', lz, 2);
          releaseAll(backend, [lz, product]);
          return [value, grad];
        },
        dispose: () => releaseAll(backend, [z, dense]),
      };
    },
  };
}

/**
 * z = μ + exp(½·logσ²) ⊙ ε as separate kernels: a noise pass (randomUniform over the same
 * elements: the op set has no cos for Box–Muller, so ε itself is the reference ε, uploaded),
 * then scale, exp, mul, add. Compared on z only.
 */
export function reparameterizeChainCase(batch: number, regions: number, latent: number): KernelCase {
  const shape: Shape = [batch, regions, latent];
  const key = benchKey(batch);
  const seed = seedOf(`reparameterize ${formatShape(shape)}`);
  const size = shapeSize(shape);
  // ε as the reference computes it (Philox + Box–Muller on the host), from the same μ, logσ²
  const hostMu = seededValues(size, seed);
  const hostLogVar = seededValues(size, seed + 1, -2, 1);
  let eps: Float32Array | null = null;
  return {
    group: 'fusion',
    name: `reparameterize chain B=${batch}`,
    shape: formatShape(shape),
    tolerance: SAMPLING_TOLERANCE,
    note: 'noise pass + scale, exp, mul, add; ε uploaded from the reference so z is comparable',
    bytes: 4 * size * (1 + 2 + 2 + 3 + 3),
    prepare(backend) {
      eps ??= reparameterizeCpu({ data: hostMu, shape }, hostLogVar, key).eps;
      const { mu, logVar } = samplingInputs(backend, shape, seed);
      const noise = backend.upload(eps, shape);
      return {
        launch: () => {
          const uniform = backend.randomUniform(shape, key);
          const half = backend.unary('scale', logVar, 0.5);
          const sigma = backend.unary('exp', half);
          const spread = backend.binary('mul', sigma, noise);
          const z = backend.binary('add', mu, spread);
          releaseAll(backend, [uniform, half, sigma, spread]);
          return [z];
        },
        dispose: () => releaseAll(backend, [mu, logVar, noise]),
      };
    },
  };
}
