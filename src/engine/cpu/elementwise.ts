/** Elementwise kernels: unary ops, broadcasting binary ops, activation gradients. */
import { EngineError, type Activation, type BinaryOp, type Shape, type UnaryOp } from '../backend';
import { broadcastShapes, broadcastStrides, padShape } from '../broadcast';
import { activate, derivativeFromOutput } from '../activation';

function unaryFunction(op: UnaryOp, alpha: number): (x: number) => number {
  switch (op) {
    case 'scale':
      return (x) => alpha * x;
    case 'addScalar':
      return (x) => x + alpha;
    case 'neg':
      return (x) => -x;
    case 'exp':
      return Math.exp;
    case 'log':
      return Math.log;
    case 'sqrt':
      return Math.sqrt;
    case 'square':
      return (x) => x * x;
    case 'abs':
      return Math.abs;
    case 'relu':
    case 'tanh':
    case 'sigmoid':
    case 'softplus':
      return (x) => activate(op, x);
  }
}

/** y = f(x) elementwise; `scale` and `addScalar` need alpha. */
export function unaryCpu(op: UnaryOp, x: Float32Array, alpha: number | undefined): Float32Array {
  if ((op === 'scale' || op === 'addScalar') && (alpha === undefined || !Number.isFinite(alpha))) {
    throw new EngineError(`unary ${op}: alpha must be a finite number, got ${alpha}`);
  }
  const f = unaryFunction(op, alpha ?? 0);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

function binaryFunction(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add':
      return (a, b) => a + b;
    case 'sub':
      return (a, b) => a - b;
    case 'mul':
      return (a, b) => a * b;
    case 'div':
      return (a, b) => a / b;
    case 'max':
      return Math.max;
    case 'min':
      return Math.min;
  }
}

/** out[idx] = f(a[idx broadcast], b[idx broadcast]) over the broadcast shape, walked at rank 4. */
export function binaryCpu(
  op: BinaryOp,
  a: { data: Float32Array; shape: Shape },
  b: { data: Float32Array; shape: Shape },
): { data: Float32Array; shape: Shape } {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const f = binaryFunction(op);
  const [d0, d1, d2, d3] = padShape(shape) as [number, number, number, number];
  const [a0, a1, a2, a3] = broadcastStrides(a.shape, shape) as [number, number, number, number];
  const [b0, b1, b2, b3] = broadcastStrides(b.shape, shape) as [number, number, number, number];
  const out = new Float32Array(d0 * d1 * d2 * d3);
  let o = 0;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        const aBase = i0 * a0 + i1 * a1 + i2 * a2;
        const bBase = i0 * b0 + i1 * b1 + i2 * b2;
        for (let i3 = 0; i3 < d3; i3++) out[o++] = f(a.data[aBase + i3 * a3]!, b.data[bBase + i3 * b3]!);
      }
    }
  }
  return { data: out, shape };
}

/** dx = dy ⊙ act′(x), with act′ expressed through y = act(x). */
export function activationGradCpu(activation: Activation, y: Float32Array, dy: Float32Array): Float32Array {
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = dy[i]! * derivativeFromOutput(activation, y[i]!);
  return out;
}

/**
 * total = (w0·t0 + w1·t1) + (w2·t2 + w3·t3), every product and sum rounded to float32 in that order
 * (absent terms are 0). A numeric weight multiplies in float64 before the rounding, as the cpu's
 * scale op does (see Backend.weightedSum).
 */
export function weightedSumCpu(terms: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = new Float32Array(terms[0]!.length);
  const product = (k: number, i: number) => (k < terms.length ? Math.fround(weights[k]! * terms[k]![i]!) : 0);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.fround(product(0, i) + product(1, i)) + Math.fround(product(2, i) + product(3, i));
  }
  return out;
}
