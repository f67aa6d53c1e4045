/**
 * Launch wrappers for the elementwise kernels: unary ops, broadcasting binary ops, activation
 * gradients and fill. One lane per 4 elements (vec4 loads and stores; a tensor's storage is padded
 * to whole vec4s), except binary ops with a broadcast other than one value or one value per batch
 * member, which take one lane per element; workgroups on a 2D grid. The op codes the WGSL switches
 * on (`const UNARY_EXP: u32 = 3u;` …) are generated from the op tables (src/engine/unary-ops.ts,
 * binary-ops.ts, activation.ts).
 */
import type { Activation, BinaryOp, Shape, UnaryOp } from '../../backend';
import { shapeSize } from '../../backend';
import { checkOutput } from '../../argument-checks';
import { ACTIVATION_CODES, activationRule } from '../../activation';
import { BINARY_CODES, binaryRule } from '../../binary-ops';
import { broadcastShapes, broadcastStrides, padShape, sameShape } from '../../broadcast';
import { UNARY_CODES, unaryRule } from '../../unary-ops';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import activationSource from './elementwise-activation.wgsl';
import activationGradSource from './elementwise-activation-grad.wgsl';
import binarySource from './elementwise-binary.wgsl';
import binaryVec4Source from './elementwise-binary-vec4.wgsl';
import fillSource from './elementwise-fill.wgsl';
import unarySource from './elementwise-unary.wgsl';
import unknownOpSource from './unknown-op.wgsl';
import { u32Constants, type KernelSpec } from './kernel-registry';

/** `addScalar` → `ADD_SCALAR` */
function constantName(op: string): string {
  return op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** WGSL `const <PREFIX>_<OP>: u32 = code;` for every op of a table's codes. */
export function opCodeConstants(prefix: string, codes: Readonly<Record<string, number>>): string {
  const named = Object.entries(codes).map(([op, code]) => [`${prefix}_${constantName(op)}`, code] as const);
  return u32Constants(Object.fromEntries(named));
}

/** The activation functions with their ACT_* codes, for kernels that fuse an activation. */
export const ACTIVATION_WGSL = opCodeConstants('ACT', ACTIVATION_CODES) + unknownOpSource + activationSource;
const UNARY_WGSL = opCodeConstants('UNARY', UNARY_CODES);
const BINARY_WGSL = opCodeConstants('BINARY', BINARY_CODES) + unknownOpSource;

export const unaryKernel: KernelSpec = {
  name: 'unary',
  source: ACTIVATION_WGSL + UNARY_WGSL + unarySource,
  entryPoint: 'unary',
};
export const binaryKernel: KernelSpec = { name: 'binary', source: BINARY_WGSL + binarySource, entryPoint: 'binary' };
export const binaryVec4Kernel: KernelSpec = {
  name: 'binary-vec4',
  source: BINARY_WGSL + binaryVec4Source,
  entryPoint: 'binary_vec4',
};
export const activationGradKernel: KernelSpec = {
  name: 'activationGrad',
  source: ACTIVATION_WGSL + activationGradSource,
  entryPoint: 'activation_grad',
};
export const fillKernel: KernelSpec = { name: 'fill', source: fillSource, entryPoint: 'fill' };

export const elementwiseKernels: readonly KernelSpec[] = [
  unaryKernel,
  binaryKernel,
  binaryVec4Kernel,
  activationGradKernel,
  fillKernel,
];

/** Vec4s covering `size` elements. */
const vectors = (size: number): number => Math.ceil(size / 4);

/** Operand layouts binary_vec4 reads (LAYOUT_* in elementwise-binary-vec4.wgsl). */
const LAYOUT = { full: 0, scalar: 1, member: 2 } as const;

/** How binary_vec4 can read `operand` under output `shape`, or null when it cannot. */
function vec4Layout(operand: Shape, shape: Shape): number | null {
  const size = shapeSize(operand);
  if (sameShape(operand, shape)) return LAYOUT.full;
  if (size === 1) return LAYOUT.scalar;
  const perMember =
    operand.length === shape.length && operand[0] === shape[0] && operand.slice(1).every((d) => d === 1);
  return perMember ? LAYOUT.member : null;
}

/** y = f(x) elementwise (alpha for scale: α·x and addScalar: x + α). */
export function launchUnary(ctx: KernelContext, op: UnaryOp, x: GpuTensor, alpha: number | undefined): GpuTensor {
  unaryRule(op, alpha);
  const y = ctx.allocate(`unary ${op}`, x.shape);
  if (x.size > 0) {
    const size = vectors(x.size);
    const params = { size, op: UNARY_CODES[op], alpha: alpha ?? 0 };
    ctx.dispatch(unaryKernel, { x, y }, params, ctx.workgroupsFor(unaryKernel, size));
  }
  return y;
}

/** out = f(a, b) over the numpy-broadcast shape of a and b. */
export function launchBinary(
  ctx: KernelContext,
  op: BinaryOp,
  a: GpuTensor,
  b: GpuTensor,
  addend?: GpuTensor,
): GpuTensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  binaryRule(op);
  if (addend) checkOutput(op, addend, shape, 'addend');
  const out = ctx.allocate(op, shape);
  const size = shapeSize(shape);
  if (size === 0) return out;
  const aLayout = vec4Layout(a.shape, shape);
  const bLayout = vec4Layout(b.shape, shape);
  if (aLayout !== null && bLayout !== null) {
    const params = {
      size: vectors(size),
      op: BINARY_CODES[op],
      a_layout: aLayout,
      b_layout: bLayout,
      member_size: shape.length > 0 ? size / shape[0]! : 1,
      has_addend: addend ? 1 : 0,
    };
    const bindings = { a, b, out, addend: addend ?? ctx.emptyInput };
    ctx.dispatch(binaryVec4Kernel, bindings, params, ctx.workgroupsFor(binaryVec4Kernel, params.size));
    return out;
  }
  const params = {
    out_dims: padShape(shape),
    a_strides: broadcastStrides(a.shape, shape),
    b_strides: broadcastStrides(b.shape, shape),
    size,
    op: BINARY_CODES[op],
  };
  ctx.dispatch(binaryKernel, { a, b, out }, params, ctx.workgroupsFor(binaryKernel, size));
  if (!addend) return out;
  // other broadcasts: the addend in a second pass (the gradient rules only meet the vec4 layouts)
  const sum = launchBinary(ctx, 'add', addend, out);
  ctx.release(out);
  return sum;
}

/** dx = dy ⊙ act′ written through y = act(x). */
export function launchActivationGrad(
  ctx: KernelContext,
  activation: Activation,
  y: GpuTensor,
  dy: GpuTensor,
): GpuTensor {
  activationRule(activation);
  const dx = ctx.allocate(`activationGrad ${activation}`, y.shape);
  if (y.size > 0) {
    const params = { size: vectors(y.size), activation: ACTIVATION_CODES[activation] };
    ctx.dispatch(activationGradKernel, { y, dy, dx }, params, ctx.workgroupsFor(activationGradKernel, params.size));
  }
  return dx;
}

/** A new tensor with every element = value. */
export function launchFill(ctx: KernelContext, shape: Shape, value: number): GpuTensor {
  const out = ctx.allocate('fill', shape);
  const size = vectors(out.size);
  if (size > 0) ctx.dispatch(fillKernel, { out }, { size, value }, ctx.workgroupsFor(fillKernel, size));
  return out;
}
