/** Elementwise kernels: unary ops, broadcasting binary ops, activation gradients. */
import type { Activation, BinaryOp, Shape, UnaryOp } from '../backend';
import { broadcastShapes, broadcastStrides, padShape } from '../broadcast';
import { activationRule } from '../activation';
import { binaryRule } from '../binary-ops';
import { unaryRule } from '../unary-ops';

/** y = f(x) elementwise by UNARY_OPS; `scale` and `addScalar` need alpha. */
export function unaryCpu(op: UnaryOp, x: Float32Array, alpha: number | undefined): Float32Array {
  const apply = unaryRule(op, alpha).apply;
  const a = alpha ?? 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = apply(x[i]!, a);
  return out;
}

/** out[idx] = f(a[idx broadcast], b[idx broadcast]) over the broadcast shape, walked at rank 4. */
export function binaryCpu(
  op: BinaryOp,
  a: { data: Float32Array; shape: Shape },
  b: { data: Float32Array; shape: Shape },
): { data: Float32Array; shape: Shape } {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const f = binaryRule(op).apply;
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
  const derivative = activationRule(activation).derivativeFromOutput;
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = dy[i]! * derivative(y[i]!);
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
