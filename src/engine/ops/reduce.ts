/** Differentiable sums, means and reshapes. */
import { EngineError, shapeSize, type RawTensor, type ReduceOp, type Shape } from '../backend';
import { formatShape } from '../broadcast';
import type { Tensor } from '../tensor';

function reduceOp(op: ReduceOp, a: Tensor, axes: readonly number[]): Tensor {
  const engine = a.engine;
  const [x] = engine.operands(op, [a]) as [RawTensor];
  const y = engine.backend.reduce(op, x, axes);
  // every input element contributes 1 (sum) or 1/count (mean) to its output element
  const weight = op === 'mean' ? y.size / Math.max(x.size, 1) : 1;
  return engine.record(op, [a], y, (g, dy) => [g.binary('mul', g.fill(x.shape, weight), dy)]);
}

/** Keeps the output shape of `reduce` (axes as size 1); with no axes, sums everything to shape []. */
function reduceOrScalar(op: ReduceOp, a: Tensor, axes: readonly number[] | undefined): Tensor {
  if (axes !== undefined) return reduceOp(op, a, axes);
  const kept = reduceOp(
    op,
    a,
    a.shape.map((_, i) => i),
  );
  return reshape(kept, []);
}

/** Σ over `axes` (kept as size 1); over all axes to a scalar [] when axes are omitted. dx = dy broadcast. */
export function sum(a: Tensor, axes?: readonly number[]): Tensor {
  return reduceOrScalar('sum', a, axes);
}

/** Mean over `axes` (kept as size 1); over all axes to a scalar [] when omitted. dx = dy / count, broadcast. */
export function mean(a: Tensor, axes?: readonly number[]): Tensor {
  return reduceOrScalar('mean', a, axes);
}

/** The same values under another shape of equal size (a view, no copy on cpu): dx = dy reshaped back. */
export function reshape(a: Tensor, shape: Shape): Tensor {
  const engine = a.engine;
  const [x] = engine.operands('reshape', [a]) as [RawTensor];
  if (shapeSize(shape) !== x.size) {
    throw new EngineError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)} (${shapeSize(shape)} values)`,
    );
  }
  const y = engine.reshapeRaw(x, shape);
  return engine.record('reshape', [a], y, (g, dy) => [g.reshape(dy, x.shape)]);
}
