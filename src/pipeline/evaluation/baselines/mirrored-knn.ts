/**
 * k-nearest-neighbour regression on mirrored surface centroids (|x|, y, z), a no-gene baseline:
 * ŷᵢ = mean of y over the k training regions nearest to region i. Mirroring puts homologous regions
 * on (nearly) the same point, so the neighbours of a region include its counterpart whenever that
 * trains. k is chosen on the training regions only, by inner CV on spatial patches of the mirrored
 * centroids (a patch holds a seed region and its nearest training regions, counterparts included,
 * so the inner folds never let a region copy its homologue when the outer scheme does not);
 * deterministic, least summed squared error, the smaller k on ties.
 */
import { spatialInnerSplits } from '../inner-splits';
import type { GeneMatrix } from '../../data/gene-matrix';
import { checkTasks, type BatchedRegressor, type FitTask } from '../models';
import { nearestTraining } from './nearest-regions';

export const MIRRORED_KNN_NAME = 'no genes: k-NN on mirrored centroids (k by inner CV)';
export const KNN_GRID = [1, 2, 3, 5, 8, 13];

export interface MirroredKnnOptions {
  /** N×3 mirrored surface centroids (|x|, y, z). */
  mirrored: Float64Array;
  /** Inner spatial folds and their patch size, as the tuned VAE's (default 3 and 0.25). */
  innerFolds?: number;
  innerFraction?: number;
}

/** ŷᵢ for the given rows: mean of y over the k nearest training regions. */
function knnPredict(
  mirrored: Float64Array,
  y: Float64Array,
  train: readonly number[],
  rows: readonly number[],
  k: number,
) {
  return rows.map(
    (i) => nearestTraining(mirrored, i, train, k).reduce((s, t) => s + y[t]!, 0) / Math.min(k, train.length),
  );
}

/** The k of the grid with the least inner-CV squared error Σ_folds Σ_{i∈test} (yᵢ − ŷᵢ)². */
function chooseK(options: MirroredKnnOptions, task: FitTask): number {
  const { mirrored, innerFolds = 3, innerFraction = 0.25 } = options;
  // one label for every region: mirrored patches span both hemispheres, so they hold counterparts together
  const everySide = Array.from({ length: mirrored.length / 3 }, () => 'L' as const);
  const folds = spatialInnerSplits(task.train, mirrored, everySide, { folds: innerFolds, fraction: innerFraction });
  let best = KNN_GRID[0]!;
  let bestError = Infinity;
  for (const k of KNN_GRID) {
    let error = 0;
    for (const fold of folds) {
      const predicted = knnPredict(mirrored, task.y, fold.train, fold.test, k);
      fold.test.forEach((i, a) => (error += (task.y[i]! - predicted[a]!) ** 2));
    }
    if (error < bestError) {
      bestError = error;
      best = k;
    }
  }
  return best;
}

export function mirroredKnn(options: MirroredKnnOptions): BatchedRegressor {
  return {
    name: MIRRORED_KNN_NAME,
    async fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void) {
      const n = X.regions;
      checkTasks(n, tasks);
      if (options.mirrored.length !== 3 * n)
        throw new RangeError(`k-NN: ${options.mirrored.length / 3} centroids for ${n} regions`);
      const all = Array.from({ length: n }, (_, i) => i);
      const predictions = tasks.map((task, t) => {
        onProgress?.(t + 1, tasks.length);
        return Float64Array.from(knnPredict(options.mirrored, task.y, task.train, all, chooseK(options, task)));
      });
      return { predictions };
    },
  };
}
