/** Argument checks of the fused primitives, shared by both backends so they fail alike. */
import { EngineError, type RandomKey, type Shape } from './backend';
import { formatShape } from './broadcast';

/** One seed per batch member of `shape`, and a step that fits Philox's 32-bit counter word. */
export function checkRandomKey(op: string, shape: Shape, key: RandomKey): void {
  if (shape.length === 0 || key.seeds.length !== shape[0]) {
    throw new EngineError(`${op}: key has ${key.seeds.length} seeds but the output ${formatShape(shape)} has ${shape[0] ?? 'no'} batch members`);
  }
  if (!Number.isInteger(key.step) || key.step < 0 || key.step > 0xffffffff) {
    throw new EngineError(`${op}: key.step must be an integer in 0..2^32−1, got ${key.step}`);
  }
}

/** mse's `other` operand (target or mask) must be [B|1, N, cols] for pred [B, N, C]. */
export function checkBatchOneOrB(what: string, pred: Shape, other: Shape, cols: number): void {
  const ok = other.length === 3 && (other[0] === pred[0] || other[0] === 1) && other[1] === pred[1] && other[2] === cols;
  if (!ok) throw new EngineError(`mse: ${what} ${formatShape(other)} must be [${pred[0]}|1,${pred[1]},${cols}] for pred ${formatShape(pred)}`);
}
