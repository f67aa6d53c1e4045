/**
 * A small deterministic CPU random stream for parameter initialisation: a Weyl sequence
 * (state += 0x9E3779B9) passed through the murmur3 32-bit finaliser. Same seed, same numbers,
 * on every machine and backend; it is independent of the GPU's Philox stream used for sampling.
 */
export type UniformStream = () => number;

/** Uniform numbers in (0, 1) from a 32-bit seed. */
export function seededUniform(seed: number): UniformStream {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return (z + 0.5) / 4294967296;
  };
}
