/**
 * Launch wrappers for Philox4x32-10 sampling: uniforms in (0, 1] and the fused reparameterised
 * Gaussian sample z = μ + exp(½·logσ²)·ε. Every lane computes one Philox block (4 words): four
 * uniforms, or two normals by Box–Muller. Bit-compatible with the cpu reference for uniforms.
 */
import { shapeSize, type Shape } from '../../backend';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import randomSource from './random.wgsl';

const uniformKernel: KernelSpec = { name: 'randomUniform', source: randomSource, entryPoint: 'random_uniform' };
const reparameterizeKernel: KernelSpec = { name: 'reparameterize', source: randomSource, entryPoint: 'reparameterize' };

export const randomKernels: readonly KernelSpec[] = [uniformKernel, reparameterizeKernel];

/** The stream's step: a number, or a [1] tensor read when the kernel runs. */
export type StepInput = number | GpuTensor;

/** Uniform parameters and grid: one lane per Philox block of `elementsPerBlock` elements (4 uniforms, 2 normals). */
function plan(ctx: KernelContext, spec: KernelSpec, shape: Shape, step: StepInput, elementsPerBlock: number) {
  const members = shape[0]!;
  const perMember = members === 0 ? 0 : shapeSize(shape) / members;
  const blocks = Math.ceil(perMember / elementsPerBlock);
  const fromBuffer = typeof step !== 'number';
  return {
    params: {
      members,
      per_member: perMember,
      blocks,
      step: fromBuffer ? 0 : step,
      step_from_buffer: fromBuffer ? 1 : 0,
    },
    stepValue: fromBuffer ? step : ctx.emptyInput,
    grid: ctx.workgroupsFor(spec, members * blocks),
  };
}

/** u[b, i] from word i & 3 of Philox(counter (i ≫ 2, step, 0xC0FFEE, 0), key (seeds[b], 0x2545F491)). */
export function launchRandomUniform(ctx: KernelContext, shape: Shape, seeds: GpuTensor, step: StepInput): GpuTensor {
  const out = ctx.allocate('randomUniform', shape);
  if (out.size === 0) return out;
  const { params, stepValue, grid } = plan(ctx, uniformKernel, shape, step, 4);
  ctx.dispatch(uniformKernel, { seeds, uniforms: out, step_value: stepValue }, params, grid);
  return out;
}

/** ε from Box–Muller on block i ≫ 1 of the 0xB0C5 stream, z = μ + exp(½·logσ²)·ε. */
export function launchReparameterize(
  ctx: KernelContext,
  mu: GpuTensor,
  logVar: GpuTensor,
  seeds: GpuTensor,
  step: StepInput,
): { z: GpuTensor; eps: GpuTensor } {
  const z = ctx.allocate('reparameterize', mu.shape);
  const eps = ctx.allocate('reparameterize', mu.shape);
  if (z.size === 0) return { z, eps };
  const { params, stepValue, grid } = plan(ctx, reparameterizeKernel, mu.shape, step, 2);
  const buffers = { seeds, mu, log_var: logVar, z, eps, step_value: stepValue };
  ctx.dispatch(reparameterizeKernel, buffers, params, grid);
  return { z, eps };
}
