/** Launch wrapper for the fused Adam(W) update, in place on param, m and v. */
import type { AdamHyper } from '../engine/backend';
import type { GpuTensor } from '../engine/webgpu/gpu-tensor';
import type { KernelContext } from '../engine/webgpu/kernel-context';
import adamSource from './adam.wgsl';
import type { KernelSpec } from './kernel-registry';

const adamKernel: KernelSpec = { name: 'adamUpdate', source: adamSource, entryPoint: 'adam_update' };

export const adamKernels: readonly KernelSpec[] = [adamKernel];

const LANES = 256;

/**
 * One Adam(W) step (see adam.wgsl); param, grad, m and v must share one shape and the step must be
 * valid (both checked by the caller); `corrections` is the [2] tensor when h gives one.
 */
export function launchAdamUpdate(
  ctx: KernelContext, param: GpuTensor, grad: GpuTensor, m: GpuTensor, v: GpuTensor, h: AdamHyper, corrections: GpuTensor | null,
): void {
  if (param.size === 0) return;
  const fromStep = 'step' in h ? [1 - h.beta1 ** h.step, 1 - h.beta2 ** h.step] : [1, 1];
  const vectors = Math.ceil(param.size / 4);
  const params = {
    size: vectors,
    lr: h.lr,
    beta1: h.beta1,
    beta2: h.beta2,
    one_minus_beta1: 1 - h.beta1,
    one_minus_beta2: 1 - h.beta2,
    correction1: fromStep[0]!,
    correction2: fromStep[1]!,
    eps: h.eps,
    weight_decay: h.weightDecay,
    corrections_from_buffer: corrections ? 1 : 0,
  };
  const bindings = { param, grad, m, v, corrections: corrections ?? ctx.emptyInput };
  ctx.dispatch(adamKernel, bindings, params, ctx.grid(Math.ceil(vectors / LANES)));
}
