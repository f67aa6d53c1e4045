/** Launch wrapper for the weighted sum of up to four terms (a loss total from its weighted terms). */
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import source from './weighted-sum.wgsl';

const weightedSumKernel: KernelSpec = { name: 'weightedSum', source, entryPoint: 'weighted_sum' };

export const weightedSumKernels: readonly KernelSpec[] = [weightedSumKernel];

/**
 * (w0·t0 + w1·t1) + (w2·t2 + w3·t3) with tensor weights taken from `factor` (arguments checked by
 * the caller: 1–4 terms of one shape, tensor weights all `factor`).
 */
export function launchWeightedSum(
  ctx: KernelContext,
  terms: readonly GpuTensor[],
  weights: readonly (number | GpuTensor)[],
  factor: GpuTensor | null,
): GpuTensor {
  const out = ctx.allocate('weightedSum', terms[0]!.shape);
  if (out.size === 0) return out;
  const coefficient = (k: number) => (typeof weights[k] === 'number' ? weights[k] : 0);
  const params = {
    size: out.size,
    count: terms.length,
    factor_mask: weights.reduce<number>((mask, w, k) => (typeof w === 'number' ? mask : mask | (1 << k)), 0),
    coefficient0: coefficient(0),
    coefficient1: coefficient(1),
    coefficient2: coefficient(2),
    coefficient3: coefficient(3),
  };
  const term = (k: number) => terms[k] ?? ctx.emptyInput;
  const bindings = {
    term0: term(0),
    term1: term(1),
    term2: term(2),
    term3: term(3),
    factor: factor ?? ctx.emptyInput,
    total: out,
  };
  ctx.dispatch(weightedSumKernel, bindings, params, ctx.workgroupsFor(weightedSumKernel, out.size));
  return out;
}
