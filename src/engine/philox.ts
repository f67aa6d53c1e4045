/**
 * Philox4x32-10, the counter-based random number generator of Salmon et al. (SC'11, "Random123"),
 * in plain TypeScript. Both backends derive every random number from it, so this file is the
 * reference the WGSL kernels are checked against bit for bit.
 *
 * One call maps (counter: 4 × uint32, key: 2 × uint32) to 4 independent uint32 words.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

/** 2⁻²⁴: spacing of the 24-bit uniform grid. */
const TWO_POW_MINUS_24 = 1 / 16777216;

/** High 32 bits of the 64-bit product a·b of two uint32, from 16-bit halves (each partial < 2⁵³). */
function mulHi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const loLo = aLo * bLo;
  const loHi = aLo * bHi;
  const hiLo = aHi * bLo;
  // carry out of the low 32 bits: (loLo >> 16) + low halves of the cross terms
  const carry = ((loLo >>> 16) + (loHi & 0xffff) + (hiLo & 0xffff)) >>> 16;
  return (aHi * bHi + (loHi >>> 16) + (hiLo >>> 16) + carry) >>> 0;
}

/**
 * Philox4x32-10 block: 10 rounds of
 *   (c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)),
 * with the key bumped by the Weyl constants (k0 += W0, k1 += W1) between rounds.
 * Writes the four output words into `out` and returns it.
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulHi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/**
 * Uniform from one word: u = ((bits >>> 8) + 0.5) · 2⁻²⁴, the centre of one of 2²⁴ cells, in (0, 1)
 * as a float64. Stored as float32 the top cell, 1 − 2⁻²⁵, rounds (ties to even) to exactly 1, so
 * float32 samples lie in (0, 1]; f32 arithmetic on the GPU rounds the same way.
 */
export function uniformFromBits(bits: number): number {
  return ((bits >>> 8) + 0.5) * TWO_POW_MINUS_24;
}

/** Box–Muller, cosine branch: ε = √(−2 ln u1) · cos(2π u2) ~ N(0, 1) for independent u1, u2 ~ U(0, 1). */
export function boxMuller(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
