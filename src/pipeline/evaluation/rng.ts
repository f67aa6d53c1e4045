/**
 * Seeded pseudo-random numbers for every random choice in evaluation (fold shuffles, rotations,
 * random gene sets, synthetic maps), so a seed reproduces a run exactly.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), 128-bit state in four uint32 words, period 2¹²⁸ − 1.
 * The state is filled from the seed by splitmix32 (a 32-bit variant of Steele et al.'s SplitMix),
 * which never yields the all-zero state xoshiro cannot leave.
 * This is not numpy's generator: sequences differ from Python tools for the same seed.
 */

import { splitmix32 } from '../../engine/splitmix32';

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) by the Box–Muller transform. */
  normal(): number;
  /** Uniform integer in 0 … n−1. */
  int(n: number): number;
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const seeder = splitmix32(seed);
  let s0 = seeder(),
    s1 = seeder(),
    s2 = seeder(),
    s3 = seeder();

  /** xoshiro128**: result = rotl(s1·5, 7)·9, then the xor-shift-rotate state update. */
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };

  // u = (a·2²¹ + b) / 2⁵³ with a the top 32 bits and b the top 21 bits of two draws.
  const uniform = (): number => (nextUint32() * 2 ** 21 + (nextUint32() >>> 11)) / 2 ** 53;

  let spareNormal: number | null = null;
  const normal = (): number => {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    // Box–Muller: ρ = √(−2 ln u₁), θ = 2πu₂ → (ρ cos θ, ρ sin θ) are independent N(0, 1).
    const u1 = 1 - uniform(); // in (0, 1]: ln never sees 0
    const rho = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * uniform();
    spareNormal = rho * Math.sin(theta);
    return rho * Math.cos(theta);
  };

  const int = (n: number): number => Math.floor(uniform() * n);

  return { uniform, normal, int };
}

/** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
export function randomPermutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
