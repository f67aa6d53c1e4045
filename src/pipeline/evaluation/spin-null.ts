/**
 * Spin nulls for a cross-validated prediction: is out-of-sample performance better than a model
 * gets on spatially autocorrelated targets that have nothing to do with the genes?
 */
import type { GeneMatrix } from '../data/gene-matrix';
import { scoreSplits, tasksOf } from './cross-validate';
import { pearson, rSquared } from './metrics';
import type { BatchedRegressor, FitTask } from './models';
import { permute, spinPValue } from './spin';
import type { Split } from './splits';

/** The statistic a null compares: Pearson r, or R². */
export type NullStatistic = 'r' | 'r2';

/** The statistic, the largest batch of models per training run, and progress reporting for a spin null. */
export interface SpinNullOptions {
  /** Pooled out-of-sample statistic compared with its null (default 'r'). */
  statistic?: NullStatistic;
  /** Most tasks per fitPredict call (default: all targets × splits in one call). */
  maxBatch?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The observed statistic, its value under each spin, and the one-sided spin p-value. */
export interface SpinNullResult {
  /** The statistic on the real target. */
  observed: number;
  /** The statistic on each spun target, in spin order. */
  nulls: Float64Array;
  /** One-sided (greater) spin p-value: (1 + #null ≥ observed)/(1 + spins). */
  pSpin: number;
}

/** yₖ = y∘Pₖ for each spin permutation Pₖ. */
export function spunTargets(y: Float64Array, spins: readonly Int32Array[]): Float64Array[] {
  return spins.map((p) => permute(y, p));
}

/**
 * The pooled cross-validated statistic of `model` on each target: the whole cross-validation (scaling,
 * tuning and fitting redone per fold) for every target, all targets × splits as batched fitPredict
 * calls of at most maxBatch tasks. Each target's statistic depends only on that target.
 */
export async function crossValidatedStatistics(
  model: BatchedRegressor,
  X: GeneMatrix,
  targets: readonly Float64Array[],
  splits: readonly Split[],
  options: SpinNullOptions = {},
): Promise<Float64Array> {
  const { statistic = 'r', onProgress } = options;
  const tasks: FitTask[] = targets.flatMap((target) => tasksOf(target, splits));
  const maxBatch = options.maxBatch ?? Math.max(1, tasks.length);
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1))
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);

  const predictions: Float64Array[] = [];
  for (let start = 0; start < tasks.length; start += maxBatch) {
    const batch = tasks.slice(start, start + maxBatch);
    const done = predictions.length;
    predictions.push(...(await model.fitPredict(X, batch, (d) => onProgress?.(done + d, tasks.length))).predictions);
  }
  return Float64Array.from(targets, (target, k) => {
    const pooled = scoreSplits(target, splits, predictions.slice(k * splits.length, (k + 1) * splits.length)).pooled;
    return statistic === 'r' ? pooled.r : pooled.r2;
  });
}

/**
 * The in-sample statistic of `model` on each target: fitted on every region, rₖ = r(yₖ, ŷₖ) over
 * all regions (R² with statistic 'r2'). One fitPredict call.
 */
export async function inSampleStatistics(
  model: BatchedRegressor,
  X: GeneMatrix,
  targets: readonly Float64Array[],
  options: Pick<SpinNullOptions, 'statistic' | 'onProgress'> = {},
): Promise<Float64Array> {
  const { statistic = 'r', onProgress } = options;
  const all = Array.from({ length: X.regions }, (_, i) => i);
  const { predictions } = await model.fitPredict(
    X,
    targets.map((y) => ({ y, train: all, test: [] })),
    onProgress,
  );
  return Float64Array.from(targets, (target, k) => {
    const prediction = predictions[k]!;
    return statistic === 'r' ? pearson(target, prediction) : rSquared(target, prediction);
  });
}

/**
 * The full spin null: the whole cross-validation is rerun on every spun target yₖ = y∘Pₖ (scaling,
 * tuning and fitting redone per fold and spin). The observed CV on y is part of the first batch.
 */
export async function spinNullRetrained(
  model: BatchedRegressor,
  X: GeneMatrix,
  y: Float64Array,
  splits: readonly Split[],
  spins: readonly Int32Array[],
  options: SpinNullOptions = {},
): Promise<SpinNullResult> {
  const statistics = await crossValidatedStatistics(model, X, [y, ...spunTargets(y, spins)], splits, options);
  const observed = statistics[0]!;
  const nulls = statistics.slice(1);
  return { observed, nulls, pSpin: spinPValue(observed, nulls, 'greater') };
}

/**
 * The CHEAP spin null, for a fixed prediction: correlates one already-computed map ŷ (e.g. an
 * in-sample fit) with spun targets, without refitting. It tests the spatial correspondence of two
 * maps, not whether a fitted model generalises — a model fitted to y is not refitted per spin, so
 * this does not account for overfitting. Two-sided by default.
 */
export function spinNullFixed(
  yhat: Float64Array,
  y: Float64Array,
  spins: readonly Int32Array[],
  tail: 'greater' | 'two-sided' = 'two-sided',
): SpinNullResult {
  const observed = pearson(yhat, y);
  const nulls = Float64Array.from(spins, (p) => pearson(yhat, permute(y, p)));
  return { observed, nulls, pSpin: spinPValue(observed, nulls, tail) };
}
