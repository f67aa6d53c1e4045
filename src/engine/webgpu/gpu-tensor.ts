/**
 * Storage of the webgpu backend: a RawTensor is a shape over a pooled GPUBuffer. Reshaped views
 * share one `GpuStorage`, which goes back to the pool when its last tensor is released.
 */
import type { Backend, RawTensor, Shape } from '../backend';

/** A GPU buffer shared by the tensors that view it; released when the last one is. */
export class GpuStorage {
  /** Tensors (the original and its reshaped views) not yet released. */
  holders = 1;
  constructor(
    readonly buffer: GPUBuffer,
    /** Bytes the tensor's values occupy (the buffer may be larger: pool rounding). */
    readonly byteSize: number,
  ) {}
}

/** A WebGPU backend tensor: a shape over a storage buffer. */
export class GpuTensor implements RawTensor {
  readonly size: number;
  released = false;
  constructor(
    readonly shape: Shape,
    readonly storage: GpuStorage,
    readonly backend: Backend,
  ) {
    this.size = storage.byteSize / 4;
  }

  get buffer(): GPUBuffer {
    return this.storage.buffer;
  }
}
