/** Launch wrapper for the fused Adam(W) update, in place on param, m and v. */
import { EngineError, type AdamHyper } from '../engine/backend';
import type { GpuTensor } from '../engine/webgpu/gpu-tensor';
import type { KernelContext } from '../engine/webgpu/kernel-context';
import adamSource from './adam.wgsl';
import type { KernelSpec } from './kernel-registry';

const adamKernel: KernelSpec = { name: 'adamUpdate', source: adamSource, entryPoint: 'adam_update' };

export const adamKernels: readonly KernelSpec[] = [adamKernel];

const LANES = 256;

/** One Adam(W) step (see adam.wgsl); param, grad, m and v must share one shape (checked by the caller). */
export function launchAdamUpdate(ctx: KernelContext, param: GpuTensor, grad: GpuTensor, m: GpuTensor, v: GpuTensor, h: AdamHyper): void {
  if (!Number.isInteger(h.step) || h.step < 1) throw new EngineError(`adamUpdate: step must be an integer ≥ 1, got ${h.step}`);
  if (param.size === 0) return;
  const params = {
    size: param.size,
    lr: h.lr,
    beta1: h.beta1,
    beta2: h.beta2,
    one_minus_beta1: 1 - h.beta1,
    one_minus_beta2: 1 - h.beta2,
    correction1: 1 - h.beta1 ** h.step,
    correction2: 1 - h.beta2 ** h.step,
    eps: h.eps,
    weight_decay: h.weightDecay,
  };
  ctx.dispatch(adamKernel, { param, grad, m, v }, params, ctx.grid(Math.ceil(param.size / LANES)));
}
