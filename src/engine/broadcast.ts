/**
 * Numpy-style broadcasting index math, shared by the cpu backend and the webgpu launch code.
 * Shapes are right-aligned; an axis of size 1 stretches to the other operand's size.
 */
import { EngineError, type Shape } from './backend';

/** The highest rank any engine tensor may have. */
export const MAX_RANK = 4;

/** Whether two shapes are identical (same rank, same sizes). */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Shapes print as `[3,17,5]` in every engine error message. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Result shape of broadcasting `a` against `b`; throws naming the op and both shapes when they clash. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new EngineError(`${op}: shapes do not broadcast: ${formatShape(a)} vs ${formatShape(b)}`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Row-major strides of a shape: stride[i] = Π_{j>i} shape[j]. */
export function rowMajorStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/**
 * Strides for reading `input` while walking `output` (which `input` broadcasts to), padded on the
 * left to rank `MAX_RANK`: a broadcast (size-1 or missing) axis gets stride 0, so
 * offset(input) = Σ_i index_i · stride_i over the padded output index.
 */
export function broadcastStrides(input: Shape, output: Shape): number[] {
  const own = rowMajorStrides(input);
  const strides: number[] = [];
  for (let i = 0; i < MAX_RANK; i++) {
    const axisOut = output.length - MAX_RANK + i;
    const axisIn = input.length - MAX_RANK + i;
    const size = axisIn >= 0 ? input[axisIn]! : 1;
    const outSize = axisOut >= 0 ? output[axisOut]! : 1;
    strides.push(size === 1 && outSize !== 1 ? 0 : axisIn >= 0 ? own[axisIn]! : 0);
  }
  return strides;
}

/** `shape` left-padded with 1s to rank `MAX_RANK`. */
export function padShape(shape: Shape): number[] {
  const padded = new Array<number>(MAX_RANK - shape.length).fill(1);
  return padded.concat(shape);
}

/**
 * Axes of `output` along which `input` was stretched (size 1 in `input`, or missing on its left);
 * summing a gradient of shape `output` over them gives one of shape `input`, up to dropping the
 * leading missing axes.
 */
export function broadcastAxes(input: Shape, output: Shape): number[] {
  const axes: number[] = [];
  const lead = output.length - input.length;
  for (let i = 0; i < output.length; i++) {
    if (i < lead || (input[i - lead] === 1 && output[i] !== 1)) axes.push(i);
  }
  return axes;
}
