/**
 * Launch wrapper for the fused Laplacian smoothness kernel: value[b] = tr(Z[b]ᵀ L Z[b]) and
 * grad = 2 L Z in one pass over L in CSR, so it scales to mesh graphs of 10⁵ vertices.
 */
import { EngineError, type Backend, type DeviceCsr } from '../../backend';
import { formatShape } from '../../broadcast';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import laplacianSource from './laplacian.wgsl';
import { MEMBER_CHUNKS_WGSL, planMemberChunks } from './member-chunks';

const laplacianKernel: KernelSpec = {
  name: 'laplacianSmoothness',
  source: MEMBER_CHUNKS_WGSL + laplacianSource,
  entryPoint: 'laplacian_smoothness',
};

export const laplacianKernels: readonly KernelSpec[] = [laplacianKernel];

/** A CSR matrix in three GPU buffers (row pointers and column indices as u32, values as f32). */
export class GpuCsr implements DeviceCsr {
  constructor(
    readonly n: number,
    readonly nnz: number,
    readonly rowPtr: GPUBuffer,
    readonly colIndex: GPUBuffer,
    readonly values: GPUBuffer,
    readonly backend: Backend,
  ) {}
}

/** Per-workgroup partial sums [B, chunks] of tr(ZᵀLZ) and the gradient 2LZ [B, N, K]. */
export function launchLaplacianSmoothness(
  ctx: KernelContext,
  z: GpuTensor,
  l: GpuCsr,
): { partials: GpuTensor; grad: GpuTensor } {
  if (z.shape.length !== 3 || z.shape[1] !== l.n) {
    throw new EngineError(
      `laplacianSmoothness: Z ${formatShape(z.shape)} must be [B,${l.n},K] for a ${l.n}×${l.n} Laplacian`,
    );
  }
  const [batch, n, k] = z.shape as [number, number, number];
  const perMember = n * k;
  const { perThread, chunks, grid } = planMemberChunks(ctx, laplacianKernel, batch, perMember);
  const partials = ctx.allocate('laplacianSmoothness', [batch, chunks]);
  const grad = ctx.allocate('laplacianSmoothness', z.shape);
  if (batch === 0) return { partials, grad };
  const params = { members: batch, k: Math.max(k, 1), per_member: perMember, per_thread: perThread, chunks };
  const buffers = { z, row_ptr: l.rowPtr, col_index: l.colIndex, weights: l.values, grad, partials };
  ctx.dispatch(laplacianKernel, buffers, params, grid);
  return { partials, grad };
}
