import type { RawTensor } from '../engine/backend';
import type { Tensor } from '../engine/tensor';
import { ModelInputError } from './errors';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/**
 * Adam(W) over a fixed list of parameters, with first and second moments m, v kept on the device.
 * Each step is one fused in-place kernel per parameter:
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  p ← p − lr·(m̂/(√v̂ + ε) + wd·p),
 * with the bias corrections m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 */
export class Adam {
  private readonly moments: { m: RawTensor; v: RawTensor }[];

  constructor(private readonly params: readonly Tensor[], private readonly settings: AdamSettings) {
    this.moments = params.map((p) => ({
      m: p.raw.backend.fill(p.shape, 0),
      v: p.raw.backend.fill(p.shape, 0),
    }));
  }

  /** Applies the update for 1-based step t from the gradients left by the last backward pass. */
  step(t: number): void {
    const { learningRate, beta1, beta2, epsilon, weightDecay } = this.settings;
    this.params.forEach((p, i) => {
      if (!p.grad) throw new ModelInputError(`Adam step ${t}: parameter ${i} has no gradient; run backward first`);
      const { m, v } = this.moments[i]!;
      p.raw.backend.adamUpdate(p.raw, p.grad.raw, m, v, {
        lr: learningRate, beta1, beta2, eps: epsilon, step: t, weightDecay,
      });
    });
  }

  dispose(): void {
    for (const { m, v } of this.moments) {
      m.backend.release(m);
      v.backend.release(v);
    }
  }
}
