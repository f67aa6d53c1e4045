/** Differentiable elementwise unary ops: each runs its row of UNARY_OPS (src/engine/unary-ops.ts). */
import type { RawTensor, UnaryOp } from '../backend';
import type { Tensor } from '../tensor';
import { UNARY_OPS } from '../unary-ops';

function unaryOp(op: UnaryOp, a: Tensor, alpha?: number): Tensor {
  const engine = a.engine;
  const [x] = engine.operands(op, [a]) as [RawTensor];
  const y = engine.backend.unary(op, x, alpha);
  return engine.record(op, [a], y, (g, dy) => [UNARY_OPS[op].vjp(g, dy, x, y, alpha ?? 0)]);
}

/** α·x */
export const scale = (a: Tensor, alpha: number): Tensor => unaryOp('scale', a, alpha);
/** x + α */
export const addScalar = (a: Tensor, alpha: number): Tensor => unaryOp('addScalar', a, alpha);
/** −x */
export const neg = (a: Tensor): Tensor => unaryOp('neg', a);
/** eˣ */
export const exp = (a: Tensor): Tensor => unaryOp('exp', a);
/** ln x */
export const log = (a: Tensor): Tensor => unaryOp('log', a);
/** √x */
export const sqrt = (a: Tensor): Tensor => unaryOp('sqrt', a);
/** x² */
export const square = (a: Tensor): Tensor => unaryOp('square', a);
/** |x| */
export const abs = (a: Tensor): Tensor => unaryOp('abs', a);
/** max(x, 0) */
export const relu = (a: Tensor): Tensor => unaryOp('relu', a);
/** tanh x */
export const tanh = (a: Tensor): Tensor => unaryOp('tanh', a);
/** σ(x) = 1/(1+e^−x) */
export const sigmoid = (a: Tensor): Tensor => unaryOp('sigmoid', a);
/** log(1 + eˣ) */
export const softplus = (a: Tensor): Tensor => unaryOp('softplus', a);
