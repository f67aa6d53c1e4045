/** Differentiable broadcasting binary ops; each gradient is summed back to its input's shape. */
import type { BinaryOp, RawTensor } from '../backend';
import type { Engine } from '../engine';
import type { Tensor } from '../tensor';
import { sumToShape } from './shape-helpers';

type PairGradient = (engine: Engine, dy: RawTensor, a: RawTensor, b: RawTensor, y: RawTensor) => [RawTensor, RawTensor];

function binaryOp(op: BinaryOp, a: Tensor, b: Tensor, fullGradients: PairGradient): Tensor {
  const engine = a.engine;
  const [aRaw, bRaw] = engine.operands(op, [a, b]) as [RawTensor, RawTensor];
  const y = engine.backend.binary(op, aRaw, bRaw);
  return engine.record(op, [a, b], y, (dy) => {
    const [ga, gb] = fullGradients(engine, dy, aRaw, bRaw, y);
    // a gradient that is dy itself is not ours to release; the others are
    return [sumToShape(engine, ga, aRaw.shape, ga !== dy), sumToShape(engine, gb, bRaw.shape, gb !== dy)];
  });
}

/** a + b: da = dy, db = dy. */
export function add(a: Tensor, b: Tensor): Tensor {
  return binaryOp('add', a, b, (_e, dy) => [dy, dy]);
}

/** a − b: da = dy, db = −dy. */
export function sub(a: Tensor, b: Tensor): Tensor {
  return binaryOp('sub', a, b, (e, dy) => [dy, e.backend.unary('neg', dy)]);
}

/** a ⊙ b: da = dy ⊙ b, db = dy ⊙ a. */
export function mul(a: Tensor, b: Tensor): Tensor {
  return binaryOp('mul', a, b, (e, dy, ar, br) => [e.backend.binary('mul', dy, br), e.backend.binary('mul', dy, ar)]);
}

/** y = a / b: da = dy / b, db = −dy ⊙ a / b² = −(dy ⊙ y) / b. */
export function div(a: Tensor, b: Tensor): Tensor {
  return binaryOp(
    'div',
    a,
    b,
    (e, dy, _ar, br, y) => {
      const be = e.backend;
      const dyY = be.binary('mul', dy, y);
      const quotient = be.binary('div', dyY, br);
      const db = be.unary('neg', quotient);
      be.release(dyY);
      be.release(quotient);
      return [be.binary('div', dy, br), db];
    },
  );
}

/**
 * Routes dy to `first` where first − second > 0 and to the other input elsewhere:
 * d_first = dy ⊙ 1[first − second > 0] (the relu gradient of the difference), d_other = dy − d_first.
 */
function routeByComparison(e: Engine, dy: RawTensor, first: RawTensor, second: RawTensor): [RawTensor, RawTensor] {
  const difference = e.backend.binary('sub', first, second);
  const toFirst = e.backend.activationGrad('relu', difference, dy);
  const toOther = e.backend.binary('sub', dy, toFirst);
  e.backend.release(difference);
  return [toFirst, toOther];
}

/** max(a, b): dy goes to a where a > b, to b elsewhere (ties to b). */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return binaryOp('max', a, b, (e, dy, ar, br) => routeByComparison(e, dy, ar, br));
}

/** min(a, b): dy goes to a where a < b, to b elsewhere (ties to b). */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return binaryOp('min', a, b, (e, dy, ar, br) => routeByComparison(e, dy, br, ar));
}
