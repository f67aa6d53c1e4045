/** Launch wrapper for the fused Adam(W) update, in place on param, m and v, up to three parameters per dispatch. */
import type { AdamHyper } from '../../backend';
import { formatShape } from '../../broadcast';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import adamSource from './adam.wgsl';
import type { KernelSpec } from './kernel-registry';

/** adamKernelsBySlots[k − 1] updates k parameters (see adam.wgsl). */
const adamKernelsBySlots: readonly KernelSpec[] = [1, 2, 3].map((slots) => ({
  name: 'adamUpdate',
  source: adamSource,
  entryPoint: `adam_update_${slots}`,
}));

/**
 * Parameters per dispatch on a device that binds `maxStorageBuffers` per shader stage: k slots
 * take 4·k + 1 (each param, grad, m, v, and the corrections), so 3 where 16 are allowed (lavapipe
 * and the GPUs we know), 1 at WebGPU's default of 8.
 */
export function adamSlots(maxStorageBuffers: number): number {
  return Math.max(1, Math.min(adamKernelsBySlots.length, Math.floor((maxStorageBuffers - 1) / 4)));
}

/** The kernels a device with `maxStorageBuffers` can run. */
export function adamKernels(maxStorageBuffers: number): readonly KernelSpec[] {
  return adamKernelsBySlots.slice(0, adamSlots(maxStorageBuffers));
}

export interface GpuAdamTensors {
  param: GpuTensor;
  grad: GpuTensor;
  m: GpuTensor;
  v: GpuTensor;
}

/**
 * One Adam(W) step (see adam.wgsl) of every listed parameter, adamSlots(…) per dispatch; each set
 * must share one shape and the step must be valid (both checked by the caller); `corrections` is
 * the [2] tensor when h gives one.
 */
export function launchAdamUpdate(
  ctx: KernelContext,
  parameters: readonly GpuAdamTensors[],
  h: AdamHyper,
  corrections: GpuTensor | null,
): void {
  const slots = adamSlots(ctx.maxStorageBuffersPerStage);
  const nonEmpty = parameters.filter((set) => set.param.size > 0);
  for (let first = 0; first < nonEmpty.length; first += slots) {
    dispatchSlots(ctx, nonEmpty.slice(first, first + slots), h, corrections);
  }
}

function dispatchSlots(
  ctx: KernelContext,
  slots: readonly GpuAdamTensors[],
  h: AdamHyper,
  corrections: GpuTensor | null,
): void {
  const fromStep = 'step' in h ? [1 - h.beta1 ** h.step, 1 - h.beta2 ** h.step] : [1, 1];
  const vectors = slots.map((set) => Math.ceil(set.param.size / 4));
  const kernel = adamKernelsBySlots[slots.length - 1]!;
  const lanes = ctx.lanes(kernel);
  const groups = vectors.map((n) => Math.ceil(n / lanes));
  const firstGroup = groups.map((_, k) => groups.slice(0, k).reduce((a, b) => a + b, 0));
  const padded = (values: number[]) => [0, 1, 2].map((k) => values[k] ?? 0);
  const params = {
    size: padded(vectors),
    first_group: padded(firstGroup),
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
  const bindings: Record<string, GpuTensor | GPUBuffer> = { corrections: corrections ?? ctx.emptyInput };
  slots.forEach((set, k) =>
    Object.assign(bindings, { [`param${k}`]: set.param, [`grad${k}`]: set.grad, [`m${k}`]: set.m, [`v${k}`]: set.v }),
  );
  const total = groups.reduce((a, b) => a + b, 0);
  const detail = slots.map((set) => formatShape(set.param.shape)).join(' ');
  ctx.dispatch(kernel, bindings, params, ctx.grid(total), { detail });
}
