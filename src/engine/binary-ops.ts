/**
 * Every broadcasting binary op in one table: out = f(a, b) (the cpu reference), its
 * vector–Jacobian product, and, by its row's position, its `BINARY_*` code in WGSL. Adding an op:
 * its name in `BinaryOp` (backend.ts), a row here (tsc rejects a missing one), a `case BINARY_<NAME>`
 * in src/engine/webgpu/kernels/elementwise-binary.wgsl and elementwise-binary-vec4.wgsl, and its
 * differentiable function in ops/binary.ts.
 */
import { EngineError, type BinaryOp, type RawTensor } from './backend';
import type { GradientScope } from './gradient-scope';
import { opCodes } from './op-codes';

export interface BinaryRule {
  /** out = f(a, b) in float64 (the backend stores it as float32). */
  readonly apply: (a: number, b: number) => number;
  /**
   * (da, db) at the broadcast output's shape from the upstream dy, the inputs and the output y;
   * the op sums each back to its input's shape.
   */
  readonly vjp: (g: GradientScope, dy: RawTensor, a: RawTensor, b: RawTensor, y: RawTensor) => [RawTensor, RawTensor];
}

/**
 * (da, db) of max and min: da = dy ⊙ 1[u − v > 0] (the relu gradient of the difference), db = dy − da;
 * max passes (u, v) = (a, b), min (b, a), so ties send dy to b.
 */
function routeToA(g: GradientScope, dy: RawTensor, u: RawTensor, v: RawTensor): [RawTensor, RawTensor] {
  const da = g.activationGrad('relu', g.binary('sub', u, v), dy);
  return [da, g.binary('sub', dy, da)];
}

export const BINARY_OPS: Readonly<Record<BinaryOp, BinaryRule>> = {
  // a + b: da = dy, db = dy
  add: { apply: (a, b) => a + b, vjp: (_g, dy) => [dy, dy] },
  // a − b: da = dy, db = −dy
  sub: { apply: (a, b) => a - b, vjp: (g, dy) => [dy, g.unary('neg', dy)] },
  // a ⊙ b: da = dy ⊙ b, db = dy ⊙ a
  mul: { apply: (a, b) => a * b, vjp: (g, dy, a, b) => [g.binary('mul', dy, b), g.binary('mul', dy, a)] },
  // y = a / b: da = dy / b, db = −dy ⊙ a / b² = −(dy ⊙ y) / b
  div: {
    apply: (a, b) => a / b,
    vjp: (g, dy, _a, b, y) => {
      const db = g.unary('neg', g.binary('div', g.binary('mul', dy, y), b));
      return [g.binary('div', dy, b), db];
    },
  },
  // max(a, b): dy goes to a where a > b, to b elsewhere (ties to b)
  max: { apply: (a, b) => Math.max(a, b), vjp: (g, dy, a, b) => routeToA(g, dy, a, b) },
  // min(a, b): dy goes to a where a < b, to b elsewhere (ties to b)
  min: { apply: (a, b) => Math.min(a, b), vjp: (g, dy, a, b) => routeToA(g, dy, b, a) },
};

/** Each binary op's `BINARY_*` code in WGSL. */
export const BINARY_CODES = opCodes(BINARY_OPS);

/** The row of `op`, after checking op is one. */
export function binaryRule(op: BinaryOp): BinaryRule {
  if (!Object.hasOwn(BINARY_OPS, op)) {
    throw new EngineError(`binary: unknown op '${op}'; use one of ${Object.keys(BINARY_OPS).join(', ')}`);
  }
  return BINARY_OPS[op];
}
