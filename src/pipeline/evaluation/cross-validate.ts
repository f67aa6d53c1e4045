/**
 * Out-of-sample evaluation of a model over a set of splits: all splits go to the model as ONE
 * batched fitPredict call; each split is scored on its own test regions only.
 */
import type { GeneMatrix } from '../data/gene-matrix';
import { metricsOf, summarize, type FitMetrics } from './metrics';
import type { BatchedRegressor, BatchFit, FitTask } from './models';
import type { Split } from './splits';

/** Per-split and pooled held-out metrics, the pooled prediction, and the median per-split r. */
export interface CrossValidationResult {
  /** Out-of-sample metrics of each split on its test regions (r is NaN for one-region test sets). */
  perSplit: { name: string; metrics: FitMetrics }[];
  /**
   * Out-of-sample metrics over every region held out at least once, each region's held-out predictions
   * averaged over the splits that held it out (distance-dependent and repeated k-fold splits hold a
   * region out several times). `pooledRegions` lists those regions.
   */
  pooled: FitMetrics;
  pooledRegions: number[];
  /** Held-out prediction per region (the average above); NaN for regions never held out. */
  heldOutPrediction: Float64Array;
  /** Median and interquartile range (q3 − q1) of the per-split r and R², splits with NaN left out. */
  medianR: number;
  iqrR: number;
  medianR2: number;
  iqrR2: number;
}

/** Progress reporting for crossValidate. */
export interface CrossValidateOptions {
  onProgress?: (done: number, total: number) => void;
}

/**
 * Averages each region's held-out predictions, ŷᵢ = mean over splits s with i ∈ test(s) of ŷ⁽ˢ⁾ᵢ,
 * and scores them against y.
 */
export function scoreSplits(
  y: Float64Array,
  splits: readonly Split[],
  predictions: readonly Float64Array[],
): CrossValidationResult {
  const n = y.length;
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  const perSplit = splits.map((split, s) => {
    const prediction = predictions[s]!;
    for (const i of split.test) {
      sum[i]! += prediction[i]!;
      count[i]!++;
    }
    return {
      name: split.name,
      metrics: metricsOf(
        Float64Array.from(split.test, (i) => y[i]!),
        Float64Array.from(split.test, (i) => prediction[i]!),
      ),
    };
  });
  const heldOutPrediction = Float64Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : NaN));
  const pooledRegions = Array.from({ length: n }, (_, i) => i).filter((i) => count[i]! > 0);
  const r = summarize(perSplit.map((p) => p.metrics.r));
  const r2 = summarize(perSplit.map((p) => p.metrics.r2));
  return {
    perSplit,
    pooled: metricsOf(
      Float64Array.from(pooledRegions, (i) => y[i]!),
      Float64Array.from(pooledRegions, (i) => heldOutPrediction[i]!),
    ),
    pooledRegions,
    heldOutPrediction,
    medianR: r.median,
    iqrR: r.q3 - r.q1,
    medianR2: r2.median,
    iqrR2: r2.q3 - r2.q1,
  };
}

export function tasksOf(y: Float64Array, splits: readonly Split[]): FitTask[] {
  return splits.map((s) => ({ y, train: s.train, test: s.test }));
}

/**
 * Fits `model` on each split's training regions and predicts its test regions (all splits in one batched
 * call); metrics per split and pooled over held-out predictions.
 */
export async function crossValidate(
  model: BatchedRegressor,
  X: GeneMatrix,
  y: Float64Array,
  splits: readonly Split[],
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  return (await crossValidateWithFit(model, X, y, splits, options)).result;
}

/**
 * crossValidate, with the model's fit of the splits (task s = split s) kept beside the scores: what the
 * model reports besides its predictions, e.g. ridge's λ per split or the tuned VAE's choices.
 */
export async function crossValidateWithFit<Fit extends BatchFit>(
  model: BatchedRegressor<Fit>,
  X: GeneMatrix,
  y: Float64Array,
  splits: readonly Split[],
  options: CrossValidateOptions = {},
): Promise<{ result: CrossValidationResult; fit: Fit }> {
  if (y.length !== X.regions) throw new RangeError(`y has ${y.length} entries for ${X.regions} regions`);
  const fit = await model.fitPredict(X, tasksOf(y, splits), options.onProgress);
  return { result: scoreSplits(y, splits, fit.predictions), fit };
}
