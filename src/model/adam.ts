import type { RawTensor } from '../engine/backend';
import type { Tensor } from '../engine/tensor';
import { ModelInputError } from './errors';

/**
 * Adam(W) hyperparameters: learning rate, moment decays β1 and β2, ε, and decoupled weight decay (0 for plain
 * Adam).
 */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/**
 * Adam(W) over a fixed list of parameters, with first and second moments m, v kept on the device.
 * Each step is one fused in-place update of all of them (on webgpu, up to three parameters per dispatch):
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  p ← p − lr·(m̂/(√v̂ + ε) + wd·p),
 * with the bias corrections m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). The corrections of the current step
 * live in a [2] tensor the kernels read when they run, so a captured step replays with the
 * corrections written by `setStep` before it.
 */
export class Adam {
  private readonly moments: { m: RawTensor; v: RawTensor }[];
  /** (1 − β1ᵗ, 1 − β2ᵗ) of the current step t */
  private readonly corrections: RawTensor;
  private currentStep = 0;

  constructor(private readonly params: readonly Tensor[], private readonly settings: AdamSettings) {
    if (params.length === 0) throw new ModelInputError('Adam: no parameters to optimise');
    const backend = params[0]!.raw.backend;
    this.moments = params.map((p) => ({ m: backend.fill(p.shape, 0), v: backend.fill(p.shape, 0) }));
    this.corrections = backend.fill([2], 1);
  }

  /** Makes t (1-based) the step the next `update` applies: writes its bias corrections, in float64 rounded once. */
  setStep(t: number): void {
    if (!Number.isInteger(t) || t < 1) throw new ModelInputError(`Adam: step must be a whole number ≥ 1, got ${t}`);
    const { beta1, beta2 } = this.settings;
    this.corrections.backend.write(this.corrections, Float32Array.of(1 - beta1 ** t, 1 - beta2 ** t));
    this.currentStep = t;
  }

  /** Overwrites m and v with saved moments (one array per parameter, in its layout), to go on from a stopped run. */
  loadMoments(m: readonly Float32Array[], v: readonly Float32Array[]): void {
    this.moments.forEach((moment, i) => {
      moment.m.backend.write(moment.m, m[i]!);
      moment.v.backend.write(moment.v, v[i]!);
    });
  }

  /** m and v read back, one array per parameter. */
  async readMoments(): Promise<{ m: Float32Array[]; v: Float32Array[] }> {
    const m = await Promise.all(this.moments.map((moment) => moment.m.backend.read(moment.m)));
    const v = await Promise.all(this.moments.map((moment) => moment.v.backend.read(moment.v)));
    return { m, v };
  }

  /** Applies the update of the current step from the gradients left by the last backward pass. */
  update(): void {
    if (this.currentStep < 1) throw new ModelInputError('Adam: call setStep before update');
    const { learningRate, beta1, beta2, epsilon, weightDecay } = this.settings;
    const sets = this.params.map((p, i) => {
      if (!p.grad) throw new ModelInputError(`Adam step ${this.currentStep}: parameter ${i} has no gradient; run backward first`);
      return { param: p.raw, grad: p.grad.raw, ...this.moments[i]! };
    });
    this.corrections.backend.adamUpdate(sets, { lr: learningRate, beta1, beta2, eps: epsilon, weightDecay, corrections: this.corrections });
  }

  /** setStep(t), then update. */
  step(t: number): void {
    this.setStep(t);
    this.update();
  }

  dispose(): void {
    for (const { m, v } of this.moments) {
      m.backend.release(m);
      v.backend.release(v);
    }
    this.corrections.backend.release(this.corrections);
  }
}
