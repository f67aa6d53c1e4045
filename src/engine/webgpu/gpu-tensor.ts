/**
 * Storage of the webgpu backend: a RawTensor is a shape over a pooled GPUBuffer, from `byteOffset`
 * on (0 but for views, see Backend.view). Reshaped views and views at offsets share one
 * `GpuStorage`, which goes back to the pool when its last tensor is released.
 */
import { shapeSize, type Backend, type RawTensor, type Shape } from '../backend';

/** A GPU buffer shared by the tensors that view it; released when the last one is. */
export class GpuStorage {
  /** Tensors (the original and its views) not yet released. */
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
    /** Where the values start in the buffer: a multiple of VIEW_ALIGNMENT elements. */
    readonly byteOffset = 0,
  ) {
    this.size = shapeSize(shape);
  }

  get buffer(): GPUBuffer {
    return this.storage.buffer;
  }

  /** Bytes of the tensor's values. */
  get byteLength(): number {
    return 4 * this.size;
  }

  /**
   * The buffer range a kernel binds: the whole buffer for a tensor over all its storage (as
   * allocated, or reshaped), else, for a view, from its offset over its values rounded up to whole
   * vec4s (the vec4 kernels read them).
   */
  get bindingRange(): { buffer: GPUBuffer; offset: number; size: number } {
    const buffer = this.storage.buffer;
    const whole = this.byteOffset === 0 && this.byteLength === this.storage.byteSize;
    if (whole) return { buffer, offset: 0, size: buffer.size };
    const size = Math.min(buffer.size - this.byteOffset, Math.max(16, Math.ceil(this.byteLength / 16) * 16));
    return { buffer, offset: this.byteOffset, size };
  }
}
