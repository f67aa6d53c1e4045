/**
 * Every elementwise unary op in one table: y = f(x) (the cpu reference), its vector–Jacobian
 * product, and, by its row's position, its `UNARY_*` code in WGSL. Adding an op: its name in
 * `UnaryOp` (backend.ts), a row here (tsc rejects a missing one), a `case UNARY_<NAME>` in
 * src/engine/webgpu/kernels/elementwise-unary.wgsl (tests/webgpu-elementwise.test.ts checks every
 * code has its case) and its differentiable function in ops/unary.ts.
 */
import { activate } from './activation';
import { EngineError, type RawTensor, type UnaryOp } from './backend';
import type { GradientScope } from './gradient-scope';
import { opCodes } from './op-codes';

export interface UnaryRule {
  /** Whether f reads α (scale: α·x, addScalar: x + α). */
  readonly takesAlpha: boolean;
  /** y = f(x) in float64 (the backend stores it as float32). */
  readonly apply: (x: number, alpha: number) => number;
  /** dx from the upstream dy, the input x, the output y and α. */
  readonly vjp: (g: GradientScope, dy: RawTensor, x: RawTensor, y: RawTensor, alpha: number) => RawTensor;
}

export const UNARY_OPS: Readonly<Record<UnaryOp, UnaryRule>> = {
  // α·x: dx = α·dy
  scale: {
    takesAlpha: true,
    apply: (x, alpha) => alpha * x,
    vjp: (g, dy, _x, _y, alpha) => g.unary('scale', dy, alpha),
  },
  // x + α: dx = dy
  addScalar: { takesAlpha: true, apply: (x, alpha) => x + alpha, vjp: (_g, dy) => dy },
  // −x: dx = −dy
  neg: { takesAlpha: false, apply: (x) => -x, vjp: (g, dy) => g.unary('neg', dy) },
  // eˣ: dx = dy ⊙ y
  exp: { takesAlpha: false, apply: (x) => Math.exp(x), vjp: (g, dy, _x, y) => g.binary('mul', dy, y) },
  // ln x: dx = dy / x
  log: { takesAlpha: false, apply: (x) => Math.log(x), vjp: (g, dy, x) => g.binary('div', dy, x) },
  // √x: dx = dy / (2y)
  sqrt: {
    takesAlpha: false,
    apply: (x) => Math.sqrt(x),
    vjp: (g, dy, _x, y) => g.binary('div', dy, g.unary('scale', y, 2)),
  },
  // x²: dx = dy ⊙ 2x
  square: {
    takesAlpha: false,
    apply: (x) => x * x,
    vjp: (g, dy, x) => g.binary('mul', dy, g.unary('scale', x, 2)),
  },
  // |x|: dx = dy ⊙ sign(x) = dy ⊙ 1[x > 0] − dy ⊙ 1[−x > 0] (0 at x = 0)
  abs: {
    takesAlpha: false,
    apply: (x) => Math.abs(x),
    vjp: (g, dy, x) =>
      g.binary('sub', g.activationGrad('relu', x, dy), g.activationGrad('relu', g.unary('neg', x), dy)),
  },
  // max(x, 0): dx = dy ⊙ 1[y > 0]
  relu: {
    takesAlpha: false,
    apply: (x) => activate('relu', x),
    vjp: (g, dy, _x, y) => g.activationGrad('relu', y, dy),
  },
  // tanh x: dx = dy ⊙ (1 − y²)
  tanh: {
    takesAlpha: false,
    apply: (x) => activate('tanh', x),
    vjp: (g, dy, _x, y) => g.activationGrad('tanh', y, dy),
  },
  // σ(x) = 1/(1+e^−x): dx = dy ⊙ y(1 − y)
  sigmoid: {
    takesAlpha: false,
    apply: (x) => activate('sigmoid', x),
    vjp: (g, dy, _x, y) => g.activationGrad('sigmoid', y, dy),
  },
  // log(1 + eˣ): dx = dy ⊙ σ(x) = dy ⊙ (1 − e^−y)
  softplus: {
    takesAlpha: false,
    apply: (x) => activate('softplus', x),
    vjp: (g, dy, _x, y) => g.activationGrad('softplus', y, dy),
  },
};

/** Each unary op's `UNARY_*` code in WGSL. */
export const UNARY_CODES = opCodes(UNARY_OPS);

/** The row of `op`, after checking op is one and α is a finite number where f reads it. */
export function unaryRule(op: UnaryOp, alpha: number | undefined): UnaryRule {
  if (!Object.hasOwn(UNARY_OPS, op)) {
    throw new EngineError(`unary: unknown op '${op}'; use one of ${Object.keys(UNARY_OPS).join(', ')}`);
  }
  const rule = UNARY_OPS[op];
  if (rule.takesAlpha && (alpha === undefined || !Number.isFinite(alpha))) {
    throw new EngineError(`unary ${op}: alpha must be a finite number, got ${alpha}`);
  }
  return rule;
}
