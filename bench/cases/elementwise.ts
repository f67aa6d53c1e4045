/**
 * Elementwise and reduction cases at the model's activation sizes. Bytes = 4·(elements read +
 * elements written), each tensor touched once.
 */
import {
  shapeSize,
  type Activation,
  type BinaryOp,
  type ReduceOp,
  type Shape,
  type UnaryOp,
} from '../../src/engine/backend';
import { broadcastShapes, formatShape } from '../../src/engine/broadcast';
import type { KernelCase } from '../kernel-case';
import { releaseAll, seeded, seedOf, shapeText } from './inputs';

/** One float32 rounding of exp/log/tanh etc. on inputs in [−1, 1): as the elementwise tests. */
const ELEMENTWISE_TOLERANCE = 2e-6;
/** Sums of up to ~4·10⁶ terms in float32 (the cpu reference sums in float64). */
const REDUCE_TOLERANCE = 1e-4;

export function unaryCase(op: UnaryOp, shape: Shape, alpha?: number): KernelCase {
  const name = `unary ${op}`;
  const seed = seedOf(`${name} ${formatShape(shape)}`);
  return {
    group: 'elementwise',
    name,
    shape: formatShape(shape),
    tolerance: ELEMENTWISE_TOLERANCE,
    bytes: 8 * shapeSize(shape),
    prepare(backend) {
      const a = seeded(backend, shape, seed);
      return { launch: () => [backend.unary(op, a, alpha)], dispose: () => backend.release(a) };
    },
  };
}

export function binaryCase(op: BinaryOp, aShape: Shape, bShape: Shape, note?: string): KernelCase {
  const name = `binary ${op}`;
  const seed = seedOf(`${name} ${shapeText([aShape, bShape])}`);
  const outSize = shapeSize(broadcastShapes(op, aShape, bShape));
  return {
    group: 'elementwise',
    name,
    shape: shapeText([aShape, bShape], ' ⊕ '),
    tolerance: ELEMENTWISE_TOLERANCE,
    bytes: 4 * (shapeSize(aShape) + shapeSize(bShape) + outSize),
    ...(note ? { note } : {}),
    prepare(backend) {
      const a = seeded(backend, aShape, seed);
      // divisors kept away from zero
      const b = op === 'div' ? seeded(backend, bShape, seed + 1, 0.5, 2) : seeded(backend, bShape, seed + 1);
      return { launch: () => [backend.binary(op, a, b)], dispose: () => releaseAll(backend, [a, b]) };
    },
  };
}

/** dL/dx = dy ⊙ act′ from the output y, as every matmul backward with an activation runs. */
export function activationGradCase(activation: Activation, shape: Shape): KernelCase {
  const name = `activationGrad ${activation}`;
  const seed = seedOf(`${name} ${formatShape(shape)}`);
  return {
    group: 'elementwise',
    name,
    shape: formatShape(shape),
    tolerance: ELEMENTWISE_TOLERANCE,
    bytes: 12 * shapeSize(shape),
    prepare(backend) {
      const y = seeded(backend, shape, seed, 0, 1);
      const dy = seeded(backend, shape, seed + 1);
      return { launch: () => [backend.activationGrad(activation, y, dy)], dispose: () => releaseAll(backend, [y, dy]) };
    },
  };
}

export function reduceCase(op: ReduceOp, shape: Shape, axes: readonly number[], note?: string): KernelCase {
  const kept = shape.map((d, i) => (axes.includes(i) || axes.includes(i - shape.length) ? 1 : d));
  const name = `reduce ${op} over [${axes.join(',')}]`;
  const seed = seedOf(`${name} ${formatShape(shape)}`);
  return {
    group: 'reduce',
    name,
    shape: `${formatShape(shape)} → ${formatShape(kept)}`,
    tolerance: REDUCE_TOLERANCE,
    bytes: 4 * (shapeSize(shape) + shapeSize(kept)),
    ...(note ? { note } : {}),
    prepare(backend) {
      const a = seeded(backend, shape, seed);
      return { launch: () => [backend.reduce(op, a, axes)], dispose: () => backend.release(a) };
    },
  };
}
