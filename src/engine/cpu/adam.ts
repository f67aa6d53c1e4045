/** Fused Adam(W) step, in place. */
import type { AdamSettings } from '../backend';

/**
 * m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; m̂ = m/(1−β1ᵗ); v̂ = v/(1−β2ᵗ);
 * p = p − lr·(m̂/(√v̂ + ε) + wd·p), with correction1 = 1 − β1ᵗ, correction2 = 1 − β2ᵗ.
 */
export function adamUpdateCpu(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  h: AdamSettings,
  correction1: number,
  correction2: number,
): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = h.beta1 * m[i]! + (1 - h.beta1) * gi;
    const vi = h.beta2 * v[i]! + (1 - h.beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const mHat = mi / correction1;
    const vHat = vi / correction2;
    p[i] = p[i]! - h.lr * (mHat / (Math.sqrt(vHat) + h.eps) + h.weightDecay * p[i]!);
  }
}
