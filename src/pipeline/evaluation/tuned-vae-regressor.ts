/**
 * The VAE with its settings chosen per outer task by nested cross-validation that cannot peek:
 *
 * 1. Inner folds are spatial patches of the task's training regions (inner-splits.ts); the task's
 *    held-out regions take part in nothing.
 * 2. Candidate settings (β, λ, H, K, weight decay, …) train on every inner fold, their error on the
 *    inner held-out regions read off at each epoch count of the grid (the trainer logs the
 *    validation error; training up to epoch e does not depend on how long it goes on afterwards):
 *      err(c, e) = Σ_folds Σ_{i ∈ inner test} (yᵢ − ŷᵢ^(c, e))² / Σ_folds |inner test|   (target units)
 *    Past each epoch count of the grid only the best candidates so far train on (successive-halving.ts:
 *    all but the worst by default, or the better half); exhaustive search trains every one to the largest.
 * 3. The (candidate, epochs) pair with the least error read is refitted on all of the task's
 *    training regions for that many epochs and predicts.
 *
 * Batching: at each rung, one training job per candidate holds the inner folds of every task of the
 * call (outer splits × spins × seeds) for which it is still in the running, and one per distinct
 * chosen (candidate, epochs) holds the refits.
 */
import {
  resolveConfig,
  selectStates,
  stateBytesPerModel,
  trainVae,
  type TrainState,
  type VaeConfig,
} from '../../model';
import type { Hemisphere } from '../atlas';
import type { GeneMatrix } from '../data/gene-matrix';
import { spatialInnerSplits } from './inner-splits';
import { checkTasks, type BatchedRegressor, type BatchFit, type FitTask } from './models';
import { fitByConfig } from './config-groups';
import { rungEpochs, searchModelEpochs, survivors, TUNING_SEARCHES, type TuningSearch } from './successive-halving';
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
  /**
   * Which candidates train on past each count of the epoch grid (successive-halving.ts): 'drop-worst'
   * (default) all but the worst, 'halving' the better half, 'exhaustive' every one to the largest count.
   */
  search?: TuningSearch;
}

export interface TuningChoice {
  /** Index into `candidates`. */
  candidate: number;
  epochs: number;
  /**
   * innerError[c][e]: mean squared inner held-out error of candidate c after epochs[e] epochs, target
   * units; row c ends at the last epoch count candidate c reached (an early cut drops candidates on the way).
   */
  innerError: number[][];
  /** models·epochs the inner fits of this task trained (the refit not included). */
  modelEpochs: number;
}

/** One task's inner search: errors as in TuningChoice.innerError, and the models·epochs it cost. */
interface InnerSearch {
  errors: number[][];
  modelEpochs: number;
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

/** The tuned VAE's fit: the refitted models' predictions (and Var(ŷ) with predictionVariance) and each task's choice. */
export interface TunedVaeFit extends BatchFit {
  /** The choice made for each task, in task order. */
  choices: TuningChoice[];
}

export interface TunedVaeRegressor extends BatchedRegressor<TunedVaeFit> {
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
  if (
    epochs.length === 0 ||
    !epochs.every((e, i) => Number.isInteger(e) && e >= 1 && (i === 0 || e > epochs[i - 1]!))
  ) {
    throw new RangeError(`tuning epochs must be positive integers in ascending order, got [${epochs.join(', ')}]`);
  }
  if (!(Number.isInteger(settings.innerFolds) && settings.innerFolds >= 2))
    throw new RangeError(`inner folds must be an integer ≥ 2, got ${settings.innerFolds}`);
  if (!(settings.innerFraction > 0 && settings.innerFraction < 1))
    throw new RangeError(`inner fraction must lie in (0, 1), got ${settings.innerFraction}`);
  if (settings.search !== undefined && !TUNING_SEARCHES.includes(settings.search)) {
    throw new RangeError(`tuning search must be one of ${TUNING_SEARCHES.join(', ')}, got ${String(settings.search)}`);
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Host memory for the inner folds' scaled X of one call; larger calls are cut into chunks of tasks. */
const HOST_X_BYTES = 256 * 2 ** 20;
/** Host memory for the states the inner fits go on from between rungs, per chunk of tasks. */
const HOST_STATE_BYTES = 2 ** 30;

/** The scaled X of the inner fits `fits` (all fits share it when its batch is 1). */
function selectExpression(
  expression: { X: Float32Array; xShape: [number, number, number] },
  fits: readonly number[],
  size: number,
) {
  const [batch, n, g] = expression.xShape;
  if (batch === 1 || fits.length === batch) return expression;
  const X = new Float32Array(fits.length * size);
  fits.forEach((k, j) => X.set(expression.X.subarray(k * size, (k + 1) * size), j * size));
  return { X, xShape: [fits.length, n, g] as [number, number, number] };
}

export function tunedVaeRegressor(options: TunedVaeOptions): TunedVaeRegressor {
  const { tuning } = options;
  checkTuningSettings(tuning);
  const search = tuning.search ?? 'drop-worst';
  const maxEpochs = tuning.epochs[tuning.epochs.length - 1]!;
  // validation errors are logged at every multiple of logEvery: every epoch count of the grid is one
  const logEvery = tuning.epochs.reduce(gcd);
  const dimsOf = (candidate: Partial<VaeConfig>, g: number) => {
    const config = resolveConfig({ ...options.config, ...candidate });
    return { inputSize: g, hiddenSize: config.hiddenSize, latentSize: config.latentSize };
  };
  const configOf = (choice: Pick<TuningChoice, 'candidate' | 'epochs'>): Partial<VaeConfig> => ({
    ...options.config,
    ...tuning.candidates[choice.candidate]!,
    epochs: choice.epochs,
  });

  /**
   * Inner-CV errors of each task, rung by rung (successive-halving.ts): at each rung every candidate
   * trains, as one batched job, the inner fits of the tasks for which it is still alive, on from the
   * state the last rung left; errors are read at every epoch count of the grid on the way.
   */
  async function innerErrors(
    X: GeneMatrix,
    tasks: FitTask[],
    progress: (done: number) => void,
  ): Promise<InnerSearch[]> {
    const { regions: n, genes: g } = X;
    const folds = tasks.map((task) =>
      spatialInnerSplits(task.train, options.centroids, options.hemispheres, {
        folds: tuning.innerFolds,
        fraction: tuning.innerFraction,
      }),
    );
    const inner = tasks.flatMap((task, t) => folds[t]!.map((split) => ({ t, split, seed: task.seed ?? options.seed })));
    const prepared = inner.map(({ t, split, seed }) => trainTask(tasks[t]!.y, split.train, seed, split.test));
    const expression = batchExpression(
      X,
      inner.map(({ t, split }) => ({ y: tasks[t]!.y, train: split.train, test: split.test })),
      options.scaling,
    );
    const heldOut = tasks.map((_, t) => folds[t]!.reduce((s, split) => s + split.test.length, 0));
    const searches: InnerSearch[] = tasks.map(() => ({ errors: tuning.candidates.map(() => []), modelEpochs: 0 }));
    let alive = tasks.map(() => tuning.candidates.map((_, c) => c));
    // states[c]: where candidate c's inner fits stopped at the last rung, and which fits (indices into inner) they are
    let states: ({ state: TrainState; fits: number[] } | null)[] = tuning.candidates.map(() => null);
    const rungs = rungEpochs(search, tuning.epochs);
    const plannedWork = inner.length * searchModelEpochs(search, tuning.candidates.length, tuning.epochs);
    let work = 0;
    let previous = 0;
    for (const [r, rung] of rungs.entries()) {
      const last = r === rungs.length - 1;
      const next: typeof states = tuning.candidates.map(() => null);
      for (const [c, candidate] of tuning.candidates.entries()) {
        const fits = inner.flatMap(({ t }, k) => (alive[t]!.includes(c) ? [k] : []));
        if (fits.length === 0) continue;
        const from =
          states[c] &&
          selectStates(
            states[c].state,
            fits.map((k) => states[c]!.fits.indexOf(k)),
          );
        const result = await trainVae({
          engine: options.engine,
          ...selectExpression(expression, fits, n * g),
          laplacian: options.laplacian,
          edgeCount: options.edgeCount,
          tasks: fits.map((k) => prepared[k]!.task),
          config: { ...options.config, ...candidate, epochs: rung, logEvery, patience: maxEpochs },
          maxBatch: options.maxBatch,
          keepWeights: false,
          from: from ?? undefined,
          keepState: !last,
          onEpoch: (event) => {
            const inJob = event.firstTask * (rung - previous) + event.losses.length * (event.epoch - previous);
            progress((work + inJob) / plannedWork);
          },
        });
        work += fits.length * (rung - previous);
        if (!last) next[c] = { state: result.state!, fits };
        fits.forEach((k, j) => {
          const { t, split } = inner[k]!;
          searches[t]!.modelEpochs += rung - previous;
          tuning.epochs.forEach((epochs, e) => {
            if (epochs <= previous || epochs > rung) return;
            // validation = mean squared error over the inner test regions in ỹ units; × sd² → target units
            const validation = result.history[j]!.find((h) => h.epoch === epochs)!.validation!;
            const row = searches[t]!.errors[c]!;
            row[e] = (row[e] ?? 0) + (validation * prepared[k]!.sd ** 2 * split.test.length) / heldOut[t]!;
          });
        });
      }
      const read = (t: number, c: number) => Math.min(...searches[t]!.errors[c]!);
      alive = alive.map((candidates, t) => survivors(search, candidates, (c) => read(t, c)));
      states = next;
      previous = rung;
    }
    return searches;
  }

  return {
    name: options.name ?? 'graph VAE, tuned by nested spatial CV',
    configOf,
    async fitPredict(X, tasks, onProgress) {
      const { regions: n, genes: g } = X;
      checkTasks(n, tasks);
      // every candidate's states are held at the end of the first rung, before any is dropped
      const stateBytes =
        search !== 'exhaustive'
          ? tuning.candidates.reduce((sum, candidate) => sum + stateBytesPerModel(dimsOf(candidate, g)), 0)
          : 0;
      const chunkSize = Math.max(
        1,
        Math.min(
          Math.floor(HOST_X_BYTES / (4 * tuning.innerFolds * n * g)),
          stateBytes > 0 ? Math.floor(HOST_STATE_BYTES / (tuning.innerFolds * stateBytes)) : Infinity,
        ),
      );
      const out: Float64Array[] = [];
      const variance: Float64Array[] = [];
      const choices: TuningChoice[] = [];
      for (let start = 0; start < tasks.length; start += chunkSize) {
        const chunk = tasks.slice(start, start + chunkSize);
        // progress: inner fits are most of the work; the refits are counted as one more candidate
        const share = (done: number) =>
          onProgress?.(
            start + (done * chunk.length * tuning.candidates.length) / (tuning.candidates.length + 1),
            tasks.length,
          );
        const searches = await innerErrors(X, chunk, share);
        const chunkChoices = searches.map(({ errors, modelEpochs }): TuningChoice => {
          // the first least error, candidate by candidate, epoch counts ascending, among those read
          let best = { candidate: 0, e: 0 };
          errors.forEach((row, c) =>
            row.forEach((err, e) => {
              if (err < errors[best.candidate]![best.e]!) best = { candidate: c, e };
            }),
          );
          return { candidate: best.candidate, epochs: tuning.epochs[best.e]!, innerError: errors, modelEpochs };
        });
        const refit = await fitByConfig(options, X, chunk, chunkChoices.map(configOf));
        out.push(...refit.predictions);
        if (refit.variance) variance.push(...refit.variance);
        choices.push(...chunkChoices);
        onProgress?.(start + chunk.length, tasks.length);
      }
      return options.predictionVariance ? { predictions: out, variance, choices } : { predictions: out, choices };
    },
  };
}
