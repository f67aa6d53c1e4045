/**
 * Spatial-only baseline: predicts y from where a region is, never from its genes. A gene model is
 * only interesting out of sample if it beats this.
 *  - 'linear' (default): a trend surface, least squares y ≈ β₀ + β·(c − c̄) on the training regions,
 *    c = the region's centroid (pass surface centroids, surf_x/y/z, in one shared frame);
 *    β = (CᵀC)⁻¹Cᵀ(y − ȳ) with C the train-centred coordinates. Linear trends are the common
 *    spatial confound (anterior–posterior, dorsal–ventral gradients) and extrapolate to held-out patches.
 *  - 'knn': ŷᵢ = mean of y over the k training regions nearest to region i (Euclidean centroid distance).
 */
import type { GeneMatrix } from '../../data/gene-matrix';
import { checkTasks, trainMean, type BatchedRegressor, type FitTask } from '../models';
import { cholesky, choleskySolve } from '../linalg';

/** Region coordinates (N×3), and a linear trend or k nearest neighbours. */
export interface SpatialOnlyOptions {
  /** N×3 centroids, row-major. */
  coords: Float64Array;
  method?: 'linear' | 'knn';
  /** Neighbours for 'knn' (default 5). */
  k?: number;
}

function linearTrend(coords: Float64Array, n: number, task: FitTask): Float64Array {
  if (task.train.length < 4) throw new RangeError('spatial-only linear trend needs at least 4 training regions');
  const centre = [0, 1, 2].map((d) =>
    trainMean(
      Float64Array.from({ length: n }, (_, i) => coords[3 * i + d]!),
      task.train,
    ),
  );
  const meanY = trainMean(task.y, task.train);
  const ctc = new Float64Array(9); // CᵀC
  const cty = new Float64Array(3); // Cᵀ(y − ȳ)
  for (const i of task.train) {
    const c = [0, 1, 2].map((d) => coords[3 * i + d]! - centre[d]!);
    for (let a = 0; a < 3; a++) {
      cty[a]! += c[a]! * (task.y[i]! - meanY);
      for (let b = 0; b < 3; b++) ctc[3 * a + b]! += c[a]! * c[b]!;
    }
  }
  const beta = choleskySolve(cholesky(ctc, 3), 3, cty);
  return Float64Array.from({ length: n }, (_, i) => {
    let s = meanY;
    for (let d = 0; d < 3; d++) s += beta[d]! * (coords[3 * i + d]! - centre[d]!);
    return s;
  });
}

function nearestNeighbourMean(coords: Float64Array, n: number, task: FitTask, k: number): Float64Array {
  const neighbours = Math.min(k, task.train.length);
  return Float64Array.from({ length: n }, (_, i) => {
    const nearest = task.train
      .map((t) => ({
        t,
        d:
          (coords[3 * i]! - coords[3 * t]!) ** 2 +
          (coords[3 * i + 1]! - coords[3 * t + 1]!) ** 2 +
          (coords[3 * i + 2]! - coords[3 * t + 2]!) ** 2,
      }))
      .sort((a, b) => a.d - b.d || a.t - b.t)
      .slice(0, neighbours);
    return nearest.reduce((s, { t }) => s + task.y[t]!, 0) / neighbours;
  });
}

/** A no-gene baseline: y predicted from region coordinates alone (linear trend or k nearest neighbours). */
export function spatialOnly(options: SpatialOnlyOptions): BatchedRegressor {
  const { coords, method = 'linear', k = 5 } = options;
  return {
    name: method === 'linear' ? 'spatial-only (linear trend on centroids)' : `spatial-only (${k}-NN mean)`,
    async fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void) {
      const n = X.regions;
      checkTasks(n, tasks);
      if (coords.length !== 3 * n)
        throw new RangeError(`spatial-only: ${coords.length / 3} centroids for ${n} regions`);
      const predictions = tasks.map((task, t) => {
        onProgress?.(t + 1, tasks.length);
        return method === 'linear' ? linearTrend(coords, n, task) : nearestNeighbourMean(coords, n, task, k);
      });
      return { predictions };
    },
  };
}
