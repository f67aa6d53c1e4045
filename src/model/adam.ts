import type { RawTensor } from '../engine/backend';
import { ParameterArena } from '../engine/parameter-arena';
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
 * Adam(W) over a fixed list of parameters, with first and second moments m, v kept on the device:
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  p ← p − lr·(m̂/(√v̂ + ε) + wd·p),
 * with the bias corrections m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). Over a ParameterArena whose gradients
 * the backward pass wrote into their slots, a step is one fused in-place update of the whole arena
 * (one dispatch on webgpu, whatever the number of parameters and models; the padding between
 * parameters stays 0); otherwise one update of the listed parameters (on webgpu, up to three per
 * dispatch). The corrections of the current step live in a [2] tensor the kernels read when they
 * run, so a captured step replays with the corrections written by `setStep` before it.
 */
export class Adam {
  private readonly params: readonly Tensor[];
  private readonly arena: ParameterArena | null;
  /** m and v of the whole arena (null without an arena) */
  private readonly arenaMoments: { m: RawTensor; v: RawTensor } | null;
  /** Per parameter: its m and v (views of the arena moments when there is an arena) */
  private readonly moments: { m: RawTensor; v: RawTensor }[];
  /** (1 − β1ᵗ, 1 − β2ᵗ) of the current step t */
  private readonly corrections: RawTensor;
  private currentStep = 0;

  constructor(
    parameters: readonly Tensor[] | ParameterArena,
    private readonly settings: AdamSettings,
  ) {
    this.arena = parameters instanceof ParameterArena ? parameters : null;
    this.params = parameters instanceof ParameterArena ? parameters.params : parameters;
    if (this.params.length === 0) throw new ModelInputError('Adam: no parameters to optimise');
    const backend = this.params[0]!.raw.backend;
    const arena = this.arena;
    if (arena) {
      const m = backend.fill(arena.values.shape, 0);
      const v = backend.fill(arena.values.shape, 0);
      this.arenaMoments = { m, v };
      const at = (i: number, shape: readonly number[]) => ({
        m: backend.view(m, arena.offsets[i]!, shape),
        v: backend.view(v, arena.offsets[i]!, shape),
      });
      this.moments = this.params.map((p, i) => at(i, p.shape));
    } else {
      this.arenaMoments = null;
      this.moments = this.params.map((p) => ({ m: backend.fill(p.shape, 0), v: backend.fill(p.shape, 0) }));
    }
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
      if (!p.grad)
        throw new ModelInputError(`Adam step ${this.currentStep}: parameter ${i} has no gradient; run backward first`);
      return { param: p.raw, grad: p.grad.raw, ...this.moments[i]! };
    });
    const wholeArena =
      this.arena && this.arenaMoments && this.arena.gradientsInSlots
        ? [{ param: this.arena.values, grad: this.arena.grads, ...this.arenaMoments }]
        : null;
    const hyper = { lr: learningRate, beta1, beta2, eps: epsilon, weightDecay, corrections: this.corrections };
    this.corrections.backend.adamUpdate(wholeArena ?? sets, hyper);
  }

  /** setStep(t), then update. */
  step(t: number): void {
    this.setStep(t);
    this.update();
  }

  dispose(): void {
    for (const { m, v } of [...this.moments, ...(this.arenaMoments ? [this.arenaMoments] : [])]) {
      m.backend.release(m);
      v.backend.release(v);
    }
    this.corrections.backend.release(this.corrections);
  }
}
