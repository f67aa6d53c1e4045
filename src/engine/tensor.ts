/**
 * A differentiable tensor: a backend RawTensor plus what the autodiff tape needs to know about it.
 */
import { EngineError, type RawTensor, type Shape } from './backend';
import { formatShape } from './broadcast';
import type { Engine, TapeEntry } from './engine';

/**
 * A tensor on an engine: its shape, backend storage and, after `backward`, its gradient; `read()` copies it
 * to the host.
 */
export class Tensor {
  readonly shape: Shape;
  readonly size: number;
  /** Gradient accumulated by `engine.backward` (leaves only: params and tensors made with requiresGrad). */
  grad: Tensor | null = null;
  /** The tape entry that produced this tensor while it is recorded; null for leaves. */
  creator: TapeEntry | null = null;
  /** Disposed by the user or by `tidy`: unusable from outside, storage freed once the tape lets go. */
  disposed = false;
  /** Survives every `tidy` (params, grads, `keep`). */
  persistent = false;
  /** How many recorded tape entries still use this tensor's storage. */
  tapeUses = 0;
  /** Where backward writes this leaf's gradient when it can (a parameter arena's slot), or null. */
  gradSlot: RawTensor | null = null;

  constructor(
    readonly engine: Engine,
    private readonly storage: RawTensor,
    public requiresGrad: boolean,
  ) {
    this.shape = storage.shape;
    this.size = storage.size;
  }

  /** The backend storage; throws once the tensor is disposed. */
  get raw(): RawTensor {
    if (this.disposed) throw new EngineError(`tensor ${formatShape(this.shape)} was disposed`);
    return this.storage;
  }

  /** The storage even after disposal, for the tape's backward pass and the final release. */
  get rawForTape(): RawTensor {
    return this.storage;
  }

  async read(): Promise<Float32Array> {
    return this.engine.backend.read(this.raw);
  }

  /** Frees the storage (deferred while the tape still needs it) and the accumulated gradient. */
  dispose(): void {
    this.engine.dispose(this);
  }
}
