/**
 * Launch wrappers for the elementwise kernels: unary ops, broadcasting binary ops, activation
 * gradients and fill. One lane per 4 elements (vec4 loads and stores; a tensor's storage is padded
 * to whole vec4s), except binary ops with a broadcast other than one value or one value per batch
 * member, which take one lane per element. Workgroups of 256 on a 2D grid.
 */
import type { Activation, BinaryOp, Shape, UnaryOp } from '../../backend';
import { EngineError, shapeSize } from '../../backend';
import { broadcastShapes, broadcastStrides, padShape, sameShape } from '../../broadcast';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import activationSource from './elementwise-activation.wgsl';
import activationGradSource from './elementwise-activation-grad.wgsl';
import binarySource from './elementwise-binary.wgsl';
import binaryVec4Source from './elementwise-binary-vec4.wgsl';
import fillSource from './elementwise-fill.wgsl';
import unarySource from './elementwise-unary.wgsl';
import { u32Constants, type KernelSpec } from './kernel-registry';

/** Op lists in code order: the WGSL sees `const UNARY_EXP: u32 = 3u;` and so on, made from these. */
const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'];
const UNARY_OPS: readonly UnaryOp[] = [
  'scale', 'addScalar', 'neg', 'exp', 'log', 'sqrt', 'square', 'abs', 'relu', 'tanh', 'sigmoid', 'softplus',
];
const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];

/** `addScalar` → `ADD_SCALAR` */
function constantName(op: string): string {
  return op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

function codes(prefix: string, ops: readonly string[]): Record<string, number> {
  return Object.fromEntries(ops.map((op, code) => [`${prefix}_${constantName(op)}`, code]));
}

export function activationCode(activation: Activation): number {
  return ACTIVATIONS.indexOf(activation);
}

/** The activation functions with their ACT_* codes, for kernels that fuse an activation. */
export const ACTIVATION_WGSL = u32Constants(codes('ACT', ACTIVATIONS)) + activationSource;

const unaryKernel: KernelSpec = {
  name: 'unary',
  source: ACTIVATION_WGSL + u32Constants(codes('UNARY', UNARY_OPS)) + unarySource,
  entryPoint: 'unary',
};
const binaryKernel: KernelSpec = {
  name: 'binary',
  source: u32Constants(codes('BINARY', BINARY_OPS)) + binarySource,
  entryPoint: 'binary',
};
const activationGradKernel: KernelSpec = {
  name: 'activationGrad',
  source: ACTIVATION_WGSL + activationGradSource,
  entryPoint: 'activation_grad',
};
const binaryVec4Kernel: KernelSpec = {
  name: 'binary-vec4',
  source: u32Constants(codes('BINARY', BINARY_OPS)) + binaryVec4Source,
  entryPoint: 'binary_vec4',
};
const fillKernel: KernelSpec = { name: 'fill', source: fillSource, entryPoint: 'fill' };

export const elementwiseKernels: readonly KernelSpec[] = [unaryKernel, binaryKernel, binaryVec4Kernel, activationGradKernel, fillKernel];

const WORKGROUP = 256;

function elementGrid(ctx: KernelContext, size: number): [number, number, number] {
  return ctx.grid(Math.ceil(size / WORKGROUP));
}

/** Vec4s covering `size` elements. */
const vectors = (size: number): number => Math.ceil(size / 4);

/** Operand layouts binary_vec4 reads (LAYOUT_* in elementwise-binary-vec4.wgsl). */
const LAYOUT = { full: 0, scalar: 1, member: 2 } as const;

/** How binary_vec4 can read `operand` under output `shape`, or null when it cannot. */
function vec4Layout(operand: Shape, shape: Shape): number | null {
  const size = shapeSize(operand);
  if (sameShape(operand, shape)) return LAYOUT.full;
  if (size === 1) return LAYOUT.scalar;
  const perMember = operand.length === shape.length && operand[0] === shape[0] && operand.slice(1).every((d) => d === 1);
  return perMember ? LAYOUT.member : null;
}

/** y = f(x) elementwise (alpha for scale: α·x and addScalar: x + α). */
export function launchUnary(ctx: KernelContext, op: UnaryOp, x: GpuTensor, alpha: number | undefined): GpuTensor {
  if ((op === 'scale' || op === 'addScalar') && (alpha === undefined || !Number.isFinite(alpha))) {
    throw new EngineError(`unary ${op}: alpha must be a finite number, got ${alpha}`);
  }
  const y = ctx.allocate(`unary ${op}`, x.shape);
  if (x.size > 0) {
    const size = vectors(x.size);
    ctx.dispatch(unaryKernel, { x, y }, { size, op: UNARY_OPS.indexOf(op), alpha: alpha ?? 0 }, elementGrid(ctx, size));
  }
  return y;
}

/** out = f(a, b) over the numpy-broadcast shape of a and b. */
export function launchBinary(ctx: KernelContext, op: BinaryOp, a: GpuTensor, b: GpuTensor): GpuTensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = ctx.allocate(op, shape);
  const size = shapeSize(shape);
  if (size === 0) return out;
  const aLayout = vec4Layout(a.shape, shape);
  const bLayout = vec4Layout(b.shape, shape);
  if (aLayout !== null && bLayout !== null) {
    const params = { size: vectors(size), op: BINARY_OPS.indexOf(op), a_layout: aLayout, b_layout: bLayout, member_size: shape.length > 0 ? size / shape[0]! : 1 };
    ctx.dispatch(binaryVec4Kernel, { a, b, out }, params, elementGrid(ctx, params.size));
  } else {
    const params = {
      out_dims: padShape(shape),
      a_strides: broadcastStrides(a.shape, shape),
      b_strides: broadcastStrides(b.shape, shape),
      size,
      op: BINARY_OPS.indexOf(op),
    };
    ctx.dispatch(binaryKernel, { a, b, out }, params, elementGrid(ctx, size));
  }
  return out;
}

/** dx = dy ⊙ act′ written through y = act(x). */
export function launchActivationGrad(ctx: KernelContext, activation: Activation, y: GpuTensor, dy: GpuTensor): GpuTensor {
  const dx = ctx.allocate(`activationGrad ${activation}`, y.shape);
  if (y.size > 0) {
    const params = { size: vectors(y.size), activation: activationCode(activation) };
    ctx.dispatch(activationGradKernel, { y, dy, dx }, params, elementGrid(ctx, params.size));
  }
  return dx;
}

/** A new tensor with every element = value. */
export function launchFill(ctx: KernelContext, shape: Shape, value: number): GpuTensor {
  const out = ctx.allocate('fill', shape);
  if (out.size > 0) ctx.dispatch(fillKernel, { out }, { size: vectors(out.size), value }, elementGrid(ctx, vectors(out.size)));
  return out;
}
