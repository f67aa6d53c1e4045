/** Agreement of a result with the cpu reference, element by element, and the seeded inputs compared. */
import { seededUniform } from '../src/model/seeded-random';

export interface Agreement {
  /** max |actual − expected| */
  maxAbsError: number;
  /** max |actual − expected| / (1 + |expected|) */
  maxScaledError: number;
}

/**
 * Worst absolute and scaled differences over all pairs of arrays. A length mismatch or a NaN
 * where the reference is finite counts as an infinite error.
 */
export function compareOutputs(actual: readonly Float32Array[], expected: readonly Float32Array[]): Agreement {
  if (actual.length !== expected.length) return { maxAbsError: Infinity, maxScaledError: Infinity };
  let maxAbsError = 0;
  let maxScaledError = 0;
  for (let t = 0; t < expected.length; t++) {
    const a = actual[t]!;
    const e = expected[t]!;
    if (a.length !== e.length) return { maxAbsError: Infinity, maxScaledError: Infinity };
    for (let i = 0; i < e.length; i++) {
      const diff = Math.abs(a[i]! - e[i]!);
      const d = Number.isNaN(diff) ? Infinity : diff;
      if (d > maxAbsError) maxAbsError = d;
      const scaled = d / (1 + Math.abs(e[i]!));
      if (scaled > maxScaledError) maxScaledError = scaled;
    }
  }
  return { maxAbsError, maxScaledError };
}

/** Deterministic values in [lo, hi) from the model's seeded stream: every run and backend sees the same data. */
export function seededValues(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const uniform = seededUniform(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * uniform();
  return out;
}
