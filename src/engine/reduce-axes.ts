/** Axis handling of the reductions, shared by both backends. */
import { EngineError, type Shape } from './backend';
import { formatShape } from './broadcast';

/** Normalises axes (negative counts from the end), rejecting out-of-range and repeated ones. */
export function normaliseAxes(op: string, shape: Shape, axes: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const axis of axes) {
    const a = axis < 0 ? axis + shape.length : axis;
    if (!Number.isInteger(axis) || a < 0 || a >= shape.length) {
      throw new EngineError(`${op}: axis ${axis} is out of range for shape ${formatShape(shape)}`);
    }
    if (seen.has(a)) throw new EngineError(`${op}: axis ${axis} is listed twice for shape ${formatShape(shape)}`);
    seen.add(a);
  }
  return [...seen].sort((x, y) => x - y);
}

/** Shape after reducing `axes` with kept dimensions. */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
