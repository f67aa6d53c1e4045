/**
 * Parameters packed into one arena: every parameter is a view of one `values` tensor, and its
 * gradient has a slot, a view of one `grads` tensor at the same offset. The backward pass writes
 * each gradient straight into its slot (the primitives' `output`, see engine.ts), so an optimiser
 * can update every parameter of every model with one elementwise pass over the arenas (one
 * dispatch on webgpu) instead of one pass per parameter.
 *
 * Each parameter starts at a multiple of VIEW_ALIGNMENT elements. The padding between them starts
 * at 0 in both arenas and no kernel reads it as values; no backward kernel writes the gradients'
 * padding, so an update of the whole arena that maps (parameter 0, gradient 0) to 0 keeps it 0.
 */
import { shapeSize, VIEW_ALIGNMENT, type RawTensor, type Shape } from './backend';
import type { Engine } from './engine';
import { Tensor } from './tensor';

/** Where each of `shapes` starts in an arena laid out as above, and the arena's length. */
export function arenaLayout(shapes: readonly Shape[]): { offsets: number[]; length: number } {
  const offsets: number[] = [];
  let length = 0;
  for (const shape of shapes) {
    offsets.push(length);
    length += Math.ceil(shapeSize(shape) / VIEW_ALIGNMENT) * VIEW_ALIGNMENT;
  }
  return { offsets, length: Math.max(length, VIEW_ALIGNMENT) };
}

/** Parameters as views of one tensor and gradient slots in another, for one optimiser pass over all. */
export class ParameterArena {
  /** Trainable leaves (requiresGrad, never tidied), each a view of `values` with its slot in `grads`. */
  readonly params: Tensor[];
  readonly values: RawTensor;
  readonly grads: RawTensor;
  /** Element offset of each parameter in both arenas. */
  readonly offsets: readonly number[];
  private disposed = false;

  constructor(
    private readonly engine: Engine,
    blocks: readonly { data: Float32Array; shape: Shape }[],
  ) {
    const backend = engine.backend;
    const { offsets, length } = arenaLayout(blocks.map((b) => b.shape));
    const packed = new Float32Array(length);
    blocks.forEach((b, i) => packed.set(b.data, offsets[i]));
    this.offsets = offsets;
    this.values = backend.upload(packed, [length]);
    this.grads = backend.fill([length], 0);
    this.params = blocks.map((b, i) => {
      const param = new Tensor(engine, backend.view(this.values, offsets[i]!, b.shape), true);
      param.persistent = true;
      param.gradSlot = backend.view(this.grads, offsets[i]!, b.shape);
      return param;
    });
  }

  /** Whether every parameter's gradient lies in its slot: the last backward wrote them all there. */
  get gradientsInSlots(): boolean {
    const backend = this.engine.backend;
    return this.params.every((p) => p.grad !== null && backend.aliases(p.grad.raw, p.gradSlot!));
  }

  /** Disposes the parameters, their gradients and both arenas. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const backend = this.engine.backend;
    for (const p of this.params) {
      backend.release(p.gradSlot!);
      p.gradSlot = null;
      p.dispose();
    }
    backend.release(this.values);
    backend.release(this.grads);
  }
}
