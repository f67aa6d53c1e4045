/**
 * Differentiable broadcasting binary ops: each runs its row of BINARY_OPS (src/engine/binary-ops.ts);
 * each gradient is summed back to its input's shape.
 */
import type { BinaryOp, RawTensor } from '../backend';
import { BINARY_OPS } from '../binary-ops';
import type { Tensor } from '../tensor';
import { sumToShape } from './shape-helpers';

function binaryOp(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const engine = a.engine;
  const [aRaw, bRaw] = engine.operands(op, [a, b]) as [RawTensor, RawTensor];
  const y = engine.backend.binary(op, aRaw, bRaw);
  return engine.record(op, [a, b], y, (g, dy) => {
    const [da, db] = BINARY_OPS[op].vjp(g, dy, aRaw, bRaw, y);
    return [sumToShape(g, da, aRaw.shape), sumToShape(g, db, bRaw.shape)];
  });
}

/** a + b */
export const add = (a: Tensor, b: Tensor): Tensor => binaryOp('add', a, b);
/** a − b */
export const sub = (a: Tensor, b: Tensor): Tensor => binaryOp('sub', a, b);
/** a ⊙ b */
export const mul = (a: Tensor, b: Tensor): Tensor => binaryOp('mul', a, b);
/** a / b */
export const div = (a: Tensor, b: Tensor): Tensor => binaryOp('div', a, b);
/** max(a, b) */
export const maximum = (a: Tensor, b: Tensor): Tensor => binaryOp('max', a, b);
/** min(a, b) */
export const minimum = (a: Tensor, b: Tensor): Tensor => binaryOp('min', a, b);
