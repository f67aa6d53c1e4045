/**
 * Matmul cases: every product one training step of the graph VAE runs (forward and the backward
 * shapes the matmul VJP issues, with their transpose flags) at batch B, and a square cube.
 * FLOPs = 2·B·M·N·K; bytes = 4·(|A| + |B| + |bias| + |C|).
 */
import { shapeSize, type Activation, type Backend, type Shape } from '../../src/engine/backend';
import { planMatmul } from '../../src/engine/matmul-plan';
import { WebGpuBackend } from '../../src/engine/webgpu/backend';
import type { GpuTensor } from '../../src/engine/webgpu/gpu-tensor';
import { launchMatmul, type MatmulVariant } from '../../src/engine/webgpu/kernels/matmul';
import type { KernelCase } from '../kernel-case';
import { releaseAll, seeded, seedOf, shapeText } from './inputs';

/** Inputs in [−1, 1), inner sizes ≤ 1024: |gpu − cpu| ≤ 1e-4·(1 + |cpu|), as the matmul tests. */
const MATMUL_TOLERANCE = 1e-4;

export interface ModelDims {
  regions: number;
  genes: number;
  hidden: number;
  latent: number;
}

interface MatmulSpec {
  name: string;
  a: Shape;
  b: Shape;
  transA?: boolean;
  transB?: boolean;
  bias?: Shape;
  activation?: Activation;
  /** Run this variant through its launch wrapper instead of the backend's own choice (webgpu only). */
  variant?: MatmulVariant;
}

export function matmulCase(spec: MatmulSpec): KernelCase {
  const transA = spec.transA ?? false;
  const transB = spec.transB ?? false;
  const activation = spec.activation ?? 'none';
  const { batch, m, k, n } = planMatmul(spec.a, spec.b, transA, transB, spec.bias);
  const seed = seedOf(spec.name);
  const flags = [
    transA ? 'transA' : '',
    transB ? 'transB' : '',
    spec.bias ? 'bias' : '',
    activation !== 'none' ? activation : '',
  ].filter(Boolean);
  return {
    group: 'matmul',
    name: spec.name,
    shape: `${shapeText([spec.a, spec.b])}${flags.length ? ` ${flags.join('+')}` : ''}`,
    tolerance: MATMUL_TOLERANCE,
    flops: 2 * batch * m * n * k,
    bytes: 4 * (shapeSize(spec.a) + shapeSize(spec.b) + (spec.bias ? shapeSize(spec.bias) : 0) + batch * m * n),
    prepare(backend: Backend) {
      const a = seeded(backend, spec.a, seed);
      const b = seeded(backend, spec.b, seed + 1);
      const bias = spec.bias ? seeded(backend, spec.bias, seed + 2) : undefined;
      const variant = spec.variant;
      return {
        launch: () => [
          variant && backend instanceof WebGpuBackend
            ? launchMatmul(backend, variant, a as GpuTensor, b as GpuTensor, {
                transA,
                transB,
                bias: bias as GpuTensor | undefined,
                activation,
              })
            : backend.matmul(a, b, { transA, transB, bias, activation }),
        ],
        dispose: () => releaseAll(backend, [a, b, bias]),
      };
    },
  };
}

/**
 * The eleven products of one VAE training step at batch B, as the trainer issues them: X shared as
 * [1, N, G], as trainVae uploads it, and Wd2 held as Wd2ᵀ [B, G, H] (src/model/device-weights.ts).
 * Forward: h = relu(X W1 + b1), μ = h Wμ + bμ, relu(z Wd1 + bd1), X̂ = hd Wd2 + bd2 (= hd·(Wd2ᵀ)ᵀ).
 * Backward (P = upstream gradient): dW = op(A)ᵀ P (transA), dA = P op(B)ᵀ (transB); for the held
 * Wd2ᵀ, dhd = P·Wd2ᵀ and d(Wd2ᵀ) = Pᵀ·hd.
 */
export function modelMatmulCases(d: ModelDims, batch: number): KernelCase[] {
  const { regions: N, genes: G, hidden: H, latent: K } = d;
  const B = batch;
  const tag = (name: string) => `${name} B=${B}`;
  return [
    matmulCase({ name: tag('X·W1'), a: [1, N, G], b: [B, G, H], bias: [B, 1, H], activation: 'relu' }),
    matmulCase({ name: tag('h·Wμ'), a: [B, N, H], b: [B, H, K], bias: [B, 1, K] }),
    matmulCase({ name: tag('z·Wd1'), a: [B, N, K], b: [B, K, H], bias: [B, 1, H], activation: 'relu' }),
    matmulCase({ name: tag('hd·Wd2'), a: [B, N, H], b: [B, G, H], transB: true, bias: [B, 1, G] }),
    matmulCase({ name: tag('dW1 = Xᵀ·P'), a: [1, N, G], b: [B, N, H], transA: true }),
    matmulCase({ name: tag('dh = P·Wμᵀ'), a: [B, N, K], b: [B, H, K], transB: true }),
    matmulCase({ name: tag('dWμ = hᵀ·P'), a: [B, N, H], b: [B, N, K], transA: true }),
    matmulCase({ name: tag('dz = P·Wd1ᵀ'), a: [B, N, H], b: [B, K, H], transB: true }),
    matmulCase({ name: tag('dWd1 = zᵀ·P'), a: [B, N, K], b: [B, N, H], transA: true }),
    matmulCase({ name: tag('dhd = P·Wd2ᵀ'), a: [B, N, G], b: [B, G, H] }),
    matmulCase({ name: tag('dWd2ᵀ = Pᵀ·hd'), a: [B, N, G], b: [B, N, H], transA: true }),
  ];
}

/** size³ through the backend's own variant, and (webgpu) through each other variant. */
export function cubeCases(size: number, subject: Backend | null): KernelCase[] {
  const shape = [1, size, size];
  const own = subject instanceof WebGpuBackend ? subject.matmulVariant : null;
  const cases = [matmulCase({ name: `matmul ${size}³${own ? ` [${own}]` : ''}`, a: shape, b: shape })];
  if (own) {
    const available: MatmulVariant[] = ['subgroups', 'registers', 'tiled'];
    const others = available.filter(
      (v) => v !== own && (v !== 'subgroups' || (subject as WebGpuBackend).subgroupSize !== null),
    );
    for (const variant of others)
      cases.push(matmulCase({ name: `matmul ${size}³ [${variant}]`, a: shape, b: shape, variant }));
  }
  return cases;
}
