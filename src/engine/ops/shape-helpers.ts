/** Gradient plumbing shared by the ops: undoing broadcasts and scaling by a per-member upstream. */
import type { RawTensor, Shape } from '../backend';
import { broadcastAxes, sameShape } from '../broadcast';
import type { Engine } from '../engine';

/**
 * Sums a gradient `g` (shape of a broadcast result) back to `shape`, the input's shape: over the
 * axes the input was stretched along, then drops the leading axes it never had.
 * Returns `g` itself when nothing was broadcast. With `owned`, a replaced `g` is released.
 */
export function sumToShape(engine: Engine, g: RawTensor, shape: Shape, owned: boolean): RawTensor {
  if (sameShape(g.shape, shape)) return g;
  const backend = engine.backend;
  const summed = backend.reduce('sum', g, broadcastAxes(shape, g.shape));
  if (owned) backend.release(g);
  if (sameShape(summed.shape, shape)) return summed;
  const view = engine.reshapeRaw(summed, shape);
  backend.release(summed);
  return view;
}

/** full[b, ...] · upstream[b]: the VJP of a per-batch-member scalar whose gradient is `full`. */
export function scaleByMember(engine: Engine, full: RawTensor, upstream: RawTensor): RawTensor {
  const column = engine.reshapeRaw(upstream, [upstream.size, ...full.shape.slice(1).map(() => 1)]);
  const scaled = engine.backend.binary('mul', full, column);
  engine.backend.release(column);
  return scaled;
}

/** Matmul operand gradients come back [B, r, c]; fold them to the operand's [1, r, c] or [r, c]. */
export function fitMatmulOperand(engine: Engine, g: RawTensor, shape: Shape): RawTensor {
  let fitted = g;
  if (shape.length === 2 || shape[0] === 1) {
    if (g.shape[0] !== 1) {
      fitted = engine.backend.reduce('sum', g, [0]);
      engine.backend.release(g);
    }
  }
  if (shape.length === 2) {
    const view = engine.reshapeRaw(fitted, shape);
    engine.backend.release(fitted);
    fitted = view;
  }
  return fitted;
}
