/**
 * The VAE with its settings chosen per outer task by nested cross-validation that cannot peek:
 *
 * 1. Inner folds are spatial patches of the task's training regions (inner-splits.ts); the task's
 *    held-out regions take part in nothing.
 * 2. Every candidate setting (β, λ, H, K, weight decay, …) trains on every inner fold for the largest
 *    epoch count of the grid, its error on the inner held-out regions read off at each epoch count of
 *    the grid (the trainer logs the validation error; one run gives every epoch count, since training
 *    up to epoch e does not depend on how long it goes on afterwards):
 *      err(c, e) = Σ_folds Σ_{i ∈ inner test} (yᵢ − ŷᵢ^(c, e))² / Σ_folds |inner test|   (target units)
 * 3. The (candidate, epochs) pair with the least error is refitted on all of the task's training
 *    regions for that many epochs and predicts.
 *
 * Batching: one training job per candidate holds the inner folds of every task of the call (outer
 * splits × spins × seeds), and one per distinct chosen (candidate, epochs) holds the refits.
 */
import { trainVae, type VaeConfig } from '../../model';
import type { Hemisphere } from '../atlas';
import { spatialInnerSplits } from './inner-splits';
import { checkTasks, type BatchedRegressor, type FitTask } from './models';
import { fitByConfig } from './config-groups';
import { batchExpression, trainTask, type VaeRegressorOptions } from './vae-regressor';

/** Nested tuning: candidate VAE settings, epoch counts, and the inner folds they are scored on. */
export interface TuningSettings {
  /** Each candidate overrides part of the base setting (β, λ, hiddenSize, latentSize, weightDecay, …), never the epochs. */
  candidates: Partial<VaeConfig>[];
  /** Epoch counts to choose among, ascending (ties go to the fewer epochs). */
  epochs: number[];
  /** Inner folds (spatial patches) per outer task. */
  innerFolds: number;
  /** Each inner patch holds out this fraction of the training regions of its hemisphere. */
  innerFraction: number;
}

export interface TuningChoice {
  /** Index into `candidates`. */
  candidate: number;
  epochs: number;
  /** innerError[c][e]: mean squared inner held-out error of candidate c after epochs[e] epochs, target units. */
  innerError: number[][];
}

export interface TunedVaeOptions extends Omit<VaeRegressorOptions, 'config' | 'name'> {
  /** The base setting; each candidate overrides part of it. */
  config: Partial<VaeConfig>;
  tuning: TuningSettings;
  /** Surface centroids (N×3) and hemisphere of every region, for the spatial inner folds. */
  centroids: Float64Array;
  hemispheres: readonly Hemisphere[];
  name?: string;
}

export interface TunedVaeRegressor extends BatchedRegressor {
  /** The choice made for each task of the last fitPredict call. */
  lastChoices: TuningChoice[];
  /** Per task of the last call, Var(ŷ) under q(z|x) of the refitted model (null unless predictionVariance). */
  lastVariance: Float64Array[] | null;
  /** The setting a choice trains with: base ⊕ candidate ⊕ { epochs }. */
  configOf(choice: Pick<TuningChoice, 'candidate' | 'epochs'>): Partial<VaeConfig>;
}

/** Keys a candidate may not set: the epoch count is tuned separately, and logging is the tuner's. */
export const UNTUNABLE_KEYS = ['epochs', 'logEvery', 'patience'] as const;

/** Throws a RangeError naming the first bad setting. */
export function checkTuningSettings(settings: TuningSettings): void {
  if (settings.candidates.length === 0) throw new RangeError('tuning needs at least one candidate setting');
  settings.candidates.forEach((candidate, c) => {
    const key = UNTUNABLE_KEYS.find((k) => k in candidate);
    if (key) throw new RangeError(`candidate ${c} sets ${key}; the epoch count is chosen from the tuning epochs list`);
  });
  const { epochs } = settings;
  if (epochs.length === 0 || !epochs.every((e, i) => Number.isInteger(e) && e >= 1 && (i === 0 || e > epochs[i - 1]!))) {
    throw new RangeError(`tuning epochs must be positive integers in ascending order, got [${epochs.join(', ')}]`);
  }
  if (!(Number.isInteger(settings.innerFolds) && settings.innerFolds >= 2)) throw new RangeError(`inner folds must be an integer ≥ 2, got ${settings.innerFolds}`);
  if (!(settings.innerFraction > 0 && settings.innerFraction < 1)) throw new RangeError(`inner fraction must lie in (0, 1), got ${settings.innerFraction}`);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Host memory for the inner folds' scaled X of one call; larger calls are cut into chunks of tasks. */
const HOST_X_BYTES = 256 * 2 ** 20;

export function tunedVaeRegressor(options: TunedVaeOptions): TunedVaeRegressor {
  const { tuning } = options;
  checkTuningSettings(tuning);
  const maxEpochs = tuning.epochs[tuning.epochs.length - 1]!;
  // validation errors are logged at every multiple of logEvery: every epoch count of the grid is one
  const logEvery = tuning.epochs.reduce(gcd);
  const configOf = (choice: Pick<TuningChoice, 'candidate' | 'epochs'>): Partial<VaeConfig> =>
    ({ ...options.config, ...tuning.candidates[choice.candidate]!, epochs: choice.epochs });

  /** Inner-CV error of every candidate at every epoch count, for each task. */
  async function innerErrors(X: Float64Array, n: number, g: number, tasks: FitTask[], progress: (done: number) => void): Promise<number[][][]> {
    const folds = tasks.map((task) => spatialInnerSplits(task.train, options.centroids, options.hemispheres, { folds: tuning.innerFolds, fraction: tuning.innerFraction }));
    const inner = tasks.flatMap((task, t) => folds[t]!.map((split) => ({ t, split, seed: task.seed ?? options.seed })));
    const prepared = inner.map(({ t, split, seed }) => trainTask(tasks[t]!.y, split.train, seed, split.test));
    const expression = batchExpression(X, n, g, inner.map(({ t, split }) => ({ y: tasks[t]!.y, train: split.train, test: split.test })), options.scaling);
    const heldOut = tasks.map((_, t) => folds[t]!.reduce((s, split) => s + split.test.length, 0));
    const errors = tasks.map(() => tuning.candidates.map(() => tuning.epochs.map(() => 0)));
    for (const [c, candidate] of tuning.candidates.entries()) {
      const result = await trainVae({
        engine: options.engine, X: expression.X, xShape: expression.xShape, laplacian: options.laplacian, edgeCount: options.edgeCount,
        tasks: prepared.map((p) => p.task),
        config: { ...options.config, ...candidate, epochs: maxEpochs, logEvery, patience: maxEpochs },
        maxBatch: options.maxBatch,
        keepWeights: false,
        onEpoch: (event) => progress((c + (event.firstTask + (event.losses.length * event.epoch) / event.epochs) / inner.length) / tuning.candidates.length),
      });
      inner.forEach(({ t, split }, k) => tuning.epochs.forEach((epochs, e) => {
        // validation = mean squared error over the inner test regions in ỹ units; × sd² → target units
        const validation = result.history[k]!.find((h) => h.epoch === epochs)!.validation!;
        errors[t]![c]![e]! += (validation * prepared[k]!.sd ** 2 * split.test.length) / heldOut[t]!;
      }));
    }
    return errors;
  }

  const model: TunedVaeRegressor = {
    name: options.name ?? 'graph VAE, tuned by nested spatial CV',
    lastChoices: [],
    lastVariance: null,
    configOf,
    async fitPredict(X, n, g, tasks, onProgress) {
      checkTasks(n, tasks);
      const chunkSize = Math.max(1, Math.floor(HOST_X_BYTES / (4 * tuning.innerFolds * n * g)));
      const out: Float64Array[] = [];
      const variance: Float64Array[] = [];
      const choices: TuningChoice[] = [];
      for (let start = 0; start < tasks.length; start += chunkSize) {
        const chunk = tasks.slice(start, start + chunkSize);
        // progress: inner fits are most of the work; the refits are counted as one more candidate
        const share = (done: number) => onProgress?.(start + (done * chunk.length * tuning.candidates.length) / (tuning.candidates.length + 1), tasks.length);
        const errors = await innerErrors(X, n, g, chunk, share);
        const chunkChoices = errors.map((byCandidate): TuningChoice => {
          let best = { candidate: 0, e: 0 };
          byCandidate.forEach((row, c) => row.forEach((err, e) => {
            if (err < byCandidate[best.candidate]![best.e]!) best = { candidate: c, e };
          }));
          return { candidate: best.candidate, epochs: tuning.epochs[best.e]!, innerError: byCandidate };
        });
        const refit = await fitByConfig(options, X, n, g, chunk, chunkChoices.map(configOf));
        out.push(...refit.predictions);
        if (refit.variances) variance.push(...refit.variances);
        choices.push(...chunkChoices);
        onProgress?.(start + chunk.length, tasks.length);
      }
      model.lastChoices = choices;
      model.lastVariance = options.predictionVariance ? variance : null;
      return out;
    },
  };
  return model;
}
