/** Sum / mean over a set of axes, keeping them as size 1; float64 accumulation. */
import type { ReduceOp, Shape } from '../backend';
import { padShape, rowMajorStrides } from '../broadcast';
import { normaliseAxes, reducedShape } from '../reduce-axes';

export function reduceCpu(
  op: ReduceOp,
  x: { data: Float32Array; shape: Shape },
  axesIn: readonly number[],
): { data: Float32Array; shape: Shape } {
  const axes = normaliseAxes(`reduce ${op}`, x.shape, axesIn);
  const shape = reducedShape(x.shape, axes);
  const lead = 4 - x.shape.length;
  const dims = padShape(x.shape) as [number, number, number, number];
  // output strides seen from the padded input index: 0 along reduced axes
  const outStrides = rowMajorStrides(padShape(shape));
  const [s0, s1, s2, s3] = outStrides.map((s, i) => (axes.includes(i - lead) ? 0 : s)) as [
    number,
    number,
    number,
    number,
  ];
  const acc = new Float64Array(shape.reduce((p, d) => p * d, 1));
  let i = 0;
  for (let i0 = 0; i0 < dims[0]; i0++) {
    for (let i1 = 0; i1 < dims[1]; i1++) {
      for (let i2 = 0; i2 < dims[2]; i2++) {
        const base = i0 * s0 + i1 * s1 + i2 * s2;
        for (let i3 = 0; i3 < dims[3]; i3++) acc[base + i3 * s3]! += x.data[i++]!;
      }
    }
  }
  // mean divides by the number of elements folded into each output: Π over reduced axes
  const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const scale = op === 'mean' ? 1 / count : 1;
  return { data: Float32Array.from(acc, (v) => v * scale), shape };
}
