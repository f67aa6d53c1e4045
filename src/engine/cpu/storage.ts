/**
 * Storage of the cpu backend: a RawTensor is a shape over a Float32Array, and a DeviceCsr keeps
 * the validated host arrays.
 */
import { EngineError, shapeSize, type Backend, type CsrMatrix, type DeviceCsr, type RawTensor, type Shape } from '../backend';
import { formatShape, MAX_RANK, sameShape } from '../broadcast';

export class CpuTensor implements RawTensor {
  readonly size: number;
  released = false;
  constructor(
    readonly shape: Shape,
    readonly data: Float32Array,
    readonly backend: Backend,
  ) {
    this.size = data.length;
  }
}

export class CpuCsr implements DeviceCsr {
  readonly n: number;
  readonly nnz: number;
  constructor(
    readonly matrix: CsrMatrix,
    readonly backend: Backend,
  ) {
    this.n = matrix.n;
    this.nnz = matrix.values.length;
  }
}

/** Checks a shape is rank 0–4 with non-negative integer sizes; returns a frozen copy. */
export function checkShape(op: string, shape: Shape): Shape {
  if (shape.length > MAX_RANK) {
    throw new EngineError(`${op}: shape ${formatShape(shape)} has rank ${shape.length}; the engine supports rank 0–${MAX_RANK}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new EngineError(`${op}: shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
  return Object.freeze([...shape]);
}

/** Throws unless the two shapes are identical (ops without broadcasting). */
export function requireSameShape(op: string, what: string, a: Shape, b: Shape): void {
  if (!sameShape(a, b)) {
    throw new EngineError(`${op}: ${what} must have the same shape: ${formatShape(a)} vs ${formatShape(b)}`);
  }
}

/** Number of elements, checked against the data length. */
export function checkDataLength(op: string, data: Float32Array, shape: Shape): void {
  if (data.length !== shapeSize(shape)) {
    throw new EngineError(`${op}: ${data.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} values)`);
  }
}
