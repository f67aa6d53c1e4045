/**
 * Storage of the cpu backend: a RawTensor is a shape over a Float32Array, and a DeviceCsr keeps
 * the validated host arrays.
 */
import type { Backend, CsrMatrix, DeviceCsr, RawTensor, Shape } from '../backend';

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
