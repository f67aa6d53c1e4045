/** Fused Adam(W) step, in place. */
import { EngineError, type AdamHyper } from '../backend';

/**
 * m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; m̂ = m/(1−β1ᵗ); v̂ = v/(1−β2ᵗ);
 * p = p − lr·(m̂/(√v̂ + ε) + wd·p).
 */
export function adamUpdateCpu(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, h: AdamHyper): void {
  if (!Number.isInteger(h.step) || h.step < 1) throw new EngineError(`adamUpdate: step must be an integer ≥ 1, got ${h.step}`);
  const correction1 = 1 - h.beta1 ** h.step;
  const correction2 = 1 - h.beta2 ** h.step;
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
