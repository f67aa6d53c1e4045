/** Launch wrapper for the weighted sum's gradient: every term's w_k·dy in one pass. */
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import source from './weighted-sum-grad.wgsl';

const weightedSumGradKernel: KernelSpec = { name: 'weightedSumGrad', source, entryPoint: 'weighted_sum_grad' };

export const weightedSumGradKernels: readonly KernelSpec[] = [weightedSumGradKernel];

/** d t_k = w_k·dy for each weight, tensor weights taken from `factor` (arguments checked by the caller). */
export function launchWeightedSumGrad(
  ctx: KernelContext,
  dy: GpuTensor,
  weights: readonly (number | GpuTensor)[],
  factor: GpuTensor | null,
): GpuTensor[] {
  const outs = weights.map(() => ctx.allocate('weightedSumGrad', dy.shape));
  if (dy.size === 0) return outs;
  const coefficient = (k: number) => (typeof weights[k] === 'number' ? weights[k] : 0);
  const params = {
    size: dy.size,
    count: weights.length,
    factor_mask: weights.reduce<number>((mask, w, k) => (typeof w === 'number' ? mask : mask | (1 << k)), 0),
    coefficient0: coefficient(0),
    coefficient1: coefficient(1),
    coefficient2: coefficient(2),
    coefficient3: coefficient(3),
  };
  // absent outputs get placeholders of their own: two writable bindings of one buffer would alias
  const placeholders = Array.from({ length: 4 - outs.length }, () => ctx.allocate('weightedSumGrad', [1]));
  const [d0, d1, d2, d3] = [...outs, ...placeholders] as [GpuTensor, GpuTensor, GpuTensor, GpuTensor];
  const bindings = { dy, factor: factor ?? ctx.emptyInput, d0, d1, d2, d3 };
  ctx.dispatch(weightedSumGradKernel, bindings, params, ctx.workgroupsFor(weightedSumGradKernel, dy.size));
  for (const p of placeholders) ctx.release(p);
  return outs;
}
