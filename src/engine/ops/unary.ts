/** Differentiable elementwise unary ops. */
import type { Backend, RawTensor, UnaryOp } from '../backend';
import type { Tensor } from '../tensor';

/** dx from dy, the input x and the output y; returns a fresh tensor or dy itself. */
type UnaryGradient = (backend: Backend, dy: RawTensor, x: RawTensor, y: RawTensor) => RawTensor;

function unaryOp(op: UnaryOp, a: Tensor, gradient: UnaryGradient, alpha?: number): Tensor {
  const engine = a.engine;
  const [x] = engine.operands(op, [a]) as [RawTensor];
  const y = engine.backend.unary(op, x, alpha);
  return engine.record(op, [a], y, (dy) => [gradient(engine.backend, dy, x, y)]);
}

/** a · b, releasing neither. */
function times(backend: Backend, a: RawTensor, b: RawTensor): RawTensor {
  return backend.binary('mul', a, b);
}

/** α·x: dx = α·dy. */
export function scale(a: Tensor, alpha: number): Tensor {
  return unaryOp('scale', a, (be, dy) => be.unary('scale', dy, alpha), alpha);
}

/** x + α: dx = dy. */
export function addScalar(a: Tensor, alpha: number): Tensor {
  return unaryOp('addScalar', a, (_be, dy) => dy, alpha);
}

/** −x: dx = −dy. */
export function neg(a: Tensor): Tensor {
  return unaryOp('neg', a, (be, dy) => be.unary('neg', dy));
}

/** eˣ: dx = dy ⊙ y. */
export function exp(a: Tensor): Tensor {
  return unaryOp('exp', a, (be, dy, _x, y) => times(be, dy, y));
}

/** ln x: dx = dy / x. */
export function log(a: Tensor): Tensor {
  return unaryOp('log', a, (be, dy, x) => be.binary('div', dy, x));
}

/** √x: dx = dy / (2y). */
export function sqrt(a: Tensor): Tensor {
  return unaryOp('sqrt', a, (be, dy, _x, y) => {
    const twiceY = be.unary('scale', y, 2);
    const dx = be.binary('div', dy, twiceY);
    be.release(twiceY);
    return dx;
  });
}

/** x²: dx = 2x ⊙ dy. */
export function square(a: Tensor): Tensor {
  return unaryOp('square', a, (be, dy, x) => {
    const twiceX = be.unary('scale', x, 2);
    const dx = times(be, dy, twiceX);
    be.release(twiceX);
    return dx;
  });
}

/** |x|: dx = dy ⊙ sign(x) = dy ⊙ 1[x > 0] − dy ⊙ 1[−x > 0] (0 at x = 0). */
export function abs(a: Tensor): Tensor {
  return unaryOp('abs', a, (be, dy, x) => {
    const positive = be.activationGrad('relu', x, dy);
    const negX = be.unary('neg', x);
    const negative = be.activationGrad('relu', negX, dy);
    const dx = be.binary('sub', positive, negative);
    for (const t of [positive, negX, negative]) be.release(t);
    return dx;
  });
}

/** max(x, 0): dx = dy ⊙ 1[y > 0]. */
export function relu(a: Tensor): Tensor {
  return unaryOp('relu', a, (be, dy, _x, y) => be.activationGrad('relu', y, dy));
}

/** tanh x: dx = dy ⊙ (1 − y²). */
export function tanh(a: Tensor): Tensor {
  return unaryOp('tanh', a, (be, dy, _x, y) => be.activationGrad('tanh', y, dy));
}

/** σ(x): dx = dy ⊙ y(1 − y). */
export function sigmoid(a: Tensor): Tensor {
  return unaryOp('sigmoid', a, (be, dy, _x, y) => be.activationGrad('sigmoid', y, dy));
}

/** log(1 + eˣ): dx = dy ⊙ σ(x) = dy ⊙ (1 − e^−y). */
export function softplus(a: Tensor): Tensor {
  return unaryOp('softplus', a, (be, dy, _x, y) => be.activationGrad('softplus', y, dy));
}
