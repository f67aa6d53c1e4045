/**
 * Launch wrapper for batched matmul C[b] = act(op(A[b])·op(B[b]) + bias[b]) in two variants:
 * `registers` (no shared memory, 8×8 outputs per thread: best on CPU adapters such as lavapipe)
 * and `tiled` (shared-memory tiles: best on real GPUs). Both cover 64×64 tiles of C per
 * workgroup, one grid layer per batch member.
 */
import { EngineError, type Activation } from '../engine/backend';
import { planMatmul } from '../engine/cpu/matmul';
import { formatShape } from '../engine/broadcast';
import type { GpuTensor } from '../engine/webgpu/gpu-tensor';
import type { KernelContext } from '../engine/webgpu/kernel-context';
import { ACTIVATION_WGSL, activationCode } from './elementwise';
import type { KernelSpec } from './kernel-registry';
import interfaceSource from './matmul-interface.wgsl';
import registersSource from './matmul-registers.wgsl';
import tiledSource from './matmul-tiled.wgsl';

export type MatmulVariant = 'registers' | 'tiled';

const matmulKernel: Record<MatmulVariant, KernelSpec> = {
  registers: { name: 'matmul-registers', source: ACTIVATION_WGSL + interfaceSource + registersSource, entryPoint: 'matmul_registers' },
  tiled: { name: 'matmul-tiled', source: ACTIVATION_WGSL + interfaceSource + tiledSource, entryPoint: 'matmul_tiled' },
};

export const matmulKernels: readonly KernelSpec[] = [matmulKernel.registers, matmulKernel.tiled];

/** Rows and columns of C that one workgroup computes (both variants). */
const TILE = 64;

export interface MatmulLaunch {
  transA: boolean;
  transB: boolean;
  bias: GpuTensor | undefined;
  activation: Activation;
}

export function launchMatmul(ctx: KernelContext, variant: MatmulVariant, a: GpuTensor, b: GpuTensor, options: MatmulLaunch): GpuTensor {
  const { transA, transB, bias, activation } = options;
  const { batch, m, k, n } = planMatmul(a.shape, b.shape, transA, transB, bias?.shape);
  const out = ctx.allocate('matmul', [batch, m, n]);
  if (batch * m * n === 0) return out;
  if (batch > ctx.maxWorkgroupsPerDimension) {
    throw new EngineError(`matmul: batch ${batch} of output ${formatShape([batch, m, n])} exceeds this device's ${ctx.maxWorkgroupsPerDimension} workgroups per grid dimension; split the batch`);
  }
  const batchA = a.shape.length === 3 ? a.shape[0]! : 1;
  const batchB = b.shape.length === 3 ? b.shape[0]! : 1;
  // element (i, kk) of op(A) sits at i·a_row + kk·a_col; element (kk, j) of op(B) at kk·b_row + j·b_col
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  const params = {
    m,
    n,
    k,
    a_batch: batchA === 1 ? 0 : m * k,
    a_row: aRow,
    a_col: aCol,
    b_batch: batchB === 1 ? 0 : k * n,
    b_row: bRow,
    b_col: bCol,
    bias_batch: bias && bias.shape[0] !== 1 ? n : 0,
    has_bias: bias ? 1 : 0,
    activation: activationCode(activation),
  };
  const buffers = { a, b, bias: bias ?? ctx.emptyInput, c: out };
  const cost = { flops: 2 * batch * m * n * k, detail: `${formatShape([batchA, m, k])}·${formatShape([batchB, k, n])}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}` };
  ctx.dispatch(matmulKernel[variant], buffers, params, [Math.ceil(n / TILE), Math.ceil(m / TILE), batch], cost);
  return out;
}
