/**
 * The interface every predictive model implements — the baselines here and the VAE — so that
 * cross-validation and null models treat them alike and can hand a GPU model thousands of fits at once.
 */
import type { GeneMatrix } from '../data/gene-matrix';

/** One fit of a batch: a target, the regions it is fitted on and the regions it is scored on. */
export interface FitTask {
  /** Target over all N regions; entries outside `train` are held out and must not be read. */
  y: Float64Array;
  train: number[];
  test: number[];
  /** Seed of this fit for models that have one (initialisation, sampling); default: the model's own. */
  seed?: number;
}

/** Where a tuned choice fell on its grid: 'lower' or 'upper' edge, or null inside. */
export type GridEdge = 'lower' | 'upper' | null;

/** What one fitPredict call returns: a prediction of all N regions per task, in task order. */
export interface BatchFit {
  predictions: Float64Array[];
  /** Var(ŷ) under q(z|x) per task, in the target's units², for models that report it. */
  variance?: Float64Array[];
  /**
   * Per task, whether a hyperparameter chosen on a grid (ridge's λ, PLS's component count) sat on one
   * of its edges, for models that choose one (a larger grid might have chosen beyond it).
   */
  gridEdges?: GridEdge[];
}

/**
 * A model that fits many (training regions, target) tasks on the same X in one call and predicts every region
 * for each; `Fit` is what it reports besides the predictions.
 */
export interface BatchedRegressor<Fit extends BatchFit = BatchFit> {
  name: string;
  /**
   * Fits one model per task on task.train and returns predictions for ALL N regions per task (the
   * caller scores task.test). Scaling of X and y is fitted inside task.train only. Tasks share X.
   */
  fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void): Promise<Fit>;
}

/** Throws a RangeError naming the first malformed task (wrong y length, empty or out-of-range train/test, overlap). */
export function checkTasks(n: number, tasks: readonly FitTask[]): void {
  tasks.forEach((task, t) => {
    if (task.y.length !== n) throw new RangeError(`task ${t}: y has ${task.y.length} entries for ${n} regions`);
    if (task.train.length === 0) throw new RangeError(`task ${t}: no training regions`);
    const inTrain = new Set(task.train);
    for (const i of [...task.train, ...task.test]) {
      if (!(Number.isInteger(i) && i >= 0 && i < n))
        throw new RangeError(`task ${t}: region index ${i} outside 0…${n - 1}`);
    }
    const overlap = task.test.find((i) => inTrain.has(i));
    if (overlap !== undefined) throw new RangeError(`task ${t}: region ${overlap} is in both train and test`);
  });
}

/** Mean of y over the training regions: ȳ_train = Σ_{i∈train} yᵢ / |train|. */
export function trainMean(y: Float64Array, train: readonly number[]): number {
  let s = 0;
  for (const i of train) s += y[i]!;
  return s / train.length;
}
