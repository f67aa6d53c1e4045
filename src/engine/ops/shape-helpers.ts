/** Gradient plumbing shared by the ops: undoing broadcasts and scaling by a per-member upstream. */
import type { RawTensor, Shape } from '../backend';
import { broadcastAxes, sameShape } from '../broadcast';
import type { GradientScope } from '../gradient-scope';

/**
 * Sums a gradient `grad` (shape of a broadcast result) back to `shape`, the input's shape: over the
 * axes the input was stretched along, then drops the leading axes it never had. Returns `grad`
 * itself when nothing was broadcast.
 */
export function sumToShape(g: GradientScope, grad: RawTensor, shape: Shape): RawTensor {
  if (sameShape(grad.shape, shape)) return grad;
  const summed = g.reduce('sum', grad, broadcastAxes(shape, grad.shape));
  return sameShape(summed.shape, shape) ? summed : g.reshape(summed, shape);
}

/**
 * full[b, ...] · upstream[b]: the VJP of a per-batch-member scalar whose gradient is `full`, added in
 * the same kernel to `soFar`, the gradient its input has gathered from other ops (when given).
 */
export function scaleByMember(g: GradientScope, full: RawTensor, upstream: RawTensor, soFar?: RawTensor): RawTensor {
  const perMember = g.reshape(upstream, [upstream.size, ...full.shape.slice(1).map(() => 1)]);
  return g.binary('mul', full, perMember, { addend: soFar });
}

/** Matmul operand gradients come back [B, r, c]; fold them to the operand's [1, r, c] or [r, c]. */
export function fitMatmulOperand(g: GradientScope, grad: RawTensor, shape: Shape): RawTensor {
  const batchOne = shape.length === 2 || shape[0] === 1;
  const folded = batchOne && grad.shape[0] !== 1 ? g.reduce('sum', grad, [0]) : grad;
  return shape.length === 2 ? g.reshape(folded, shape) : folded;
}
