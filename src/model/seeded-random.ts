/**
 * A small deterministic CPU random stream for parameter initialisation: splitmix32's 32-bit outputs
 * z mapped to (z + ½)/2³². Same seed, same numbers, on every machine and backend; it is independent
 * of the GPU's Philox stream used for sampling.
 */
import { splitmix32 } from '../engine/splitmix32';

export type UniformStream = () => number;

/** Uniform numbers in (0, 1) from a 32-bit seed. */
export function seededUniform(seed: number): UniformStream {
  const next = splitmix32(seed);
  return () => (next() + 0.5) / 4294967296;
}
