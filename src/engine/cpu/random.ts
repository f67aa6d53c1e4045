/** Philox-based sampling: uniforms and the fused reparameterised Gaussian sample. */
import { shapeSize, type Shape } from '../backend';
import { boxMuller, philox4x32, uniformFromBits } from '../philox';

/** Second key word and third counter words that separate the streams (see backend.ts). */
const KEY_HI = 0x2545f491;
const UNIFORM_STREAM = 0xc0ffee;
const NORMAL_STREAM = 0xb0c5;

/** Seeds and step of a random stream, checked by the caller. */
export interface NumericKey {
  seeds: Uint32Array;
  step: number;
}

/** Element i of member b: word (i & 3) of Philox(counter (i >> 2, step, 0xC0FFEE, 0), key (seeds[b], 0x2545F491)). */
export function randomUniformCpu(shape: Shape, key: NumericKey): Float32Array {
  const batch = shape[0]!;
  const perMember = shapeSize(shape) / Math.max(batch, 1);
  const out = new Float32Array(shapeSize(shape));
  const counter = new Uint32Array([0, key.step, UNIFORM_STREAM, 0]);
  const words = new Uint32Array(4);
  for (let b = 0; b < batch; b++) {
    const k = [key.seeds[b]!, KEY_HI];
    for (let i = 0; i < perMember; i++) {
      if ((i & 3) === 0) {
        counter[0] = i >>> 2;
        philox4x32(counter, k, words);
      }
      out[b * perMember + i] = uniformFromBits(words[i & 3]!);
    }
  }
  return out;
}

/**
 * ε[b, i] = Box–Muller(u1, u2) from words (2·(i&1), 2·(i&1)+1) of Philox(counter (i >> 1, step, 0xB0C5, 0),
 * key (seeds[b], 0x2545F491)); z = μ + exp(½·logσ²) ⊙ ε.
 */
export function reparameterizeCpu(
  mu: { data: Float32Array; shape: Shape },
  logVar: Float32Array,
  key: NumericKey,
): { z: Float32Array; eps: Float32Array } {
  const batch = mu.shape[0]!;
  const perMember = mu.data.length / Math.max(batch, 1);
  const z = new Float32Array(mu.data.length);
  const eps = new Float32Array(mu.data.length);
  const counter = new Uint32Array([0, key.step, NORMAL_STREAM, 0]);
  const words = new Uint32Array(4);
  for (let b = 0; b < batch; b++) {
    const k = [key.seeds[b]!, KEY_HI];
    for (let i = 0; i < perMember; i++) {
      if ((i & 1) === 0) {
        counter[0] = i >>> 1;
        philox4x32(counter, k, words);
      }
      const w = 2 * (i & 1);
      const e = Math.fround(boxMuller(uniformFromBits(words[w]!), uniformFromBits(words[w + 1]!)));
      const at = b * perMember + i;
      eps[at] = e;
      z[at] = mu.data[at]! + Math.exp(0.5 * logVar[at]!) * e;
    }
  }
  return { z, eps };
}

/** dlogσ² = ½·((dz · exp(½·logσ²)) · ε), each step rounded to float32 (see Backend.reparameterizeGrad). */
export function reparameterizeGradCpu(dz: Float32Array, logVar: Float32Array, eps: Float32Array): Float32Array {
  const out = new Float32Array(dz.length);
  for (let i = 0; i < dz.length; i++) {
    const sigma = Math.fround(Math.exp(Math.fround(0.5 * logVar[i]!)));
    out[i] = 0.5 * Math.fround(Math.fround(dz[i]! * sigma) * eps[i]!);
  }
  return out;
}
