/**
 * Ridge regression of y on all genes, in kernel form because G ≫ N:
 *   ŵ = argmin ‖y_c − X̃w‖² + λ‖w‖² = X̃ᵀ(K + λI)⁻¹ y_c,  ŷ = ȳ_train + K_(·,train) α,  α = (K + λI)⁻¹ y_c,
 * with X̃ train-scaled and centred, y_c = y − ȳ_train (centring suffices: predictions of ridge are
 * equivariant to rescaling y). (K + λI)⁻¹ = U diag(1/(λᵢ + λ)) Uᵀ from K's eigendecomposition, so
 * every λ and every target costs O(m²) once the fold is prepared.
 * λ is chosen by inner CV on the training regions only (each inner fold rescales X on its own
 * training regions), minimising the summed squared error over a grid λ = s · tr(K)/m,
 * s ∈ {10⁻³, 10^−2.5, …, 10³}. The inner folds are `innerSplits` (the study passes the tuned VAE's
 * spatial patches, deterministic) or, by default, seeded random k-fold. A choice on the grid's first
 * or last value is a grid edge hit, reported (a larger grid might have chosen beyond it).
 */
import type { GeneMatrix } from '../../data/gene-matrix';
import { checkTasks, trainMean, type BatchedRegressor, type BatchFit, type FitTask, type GridEdge } from '../models';
import {
  innerSplits as randomInnerSplits,
  KernelFoldCache,
  type GeneScaling,
  type InnerSplitter,
  type KernelFold,
} from '../kernel-fold';
import { matTVec, matVec } from '../linalg';

/** Ridge penalty (a number or inner-CV), gene scaling, and inner folds and seed. */
export interface RidgeOptions {
  /** A fixed λ, or 'inner-cv' (default) to tune it on the training regions. */
  lambda?: number | 'inner-cv';
  scaling?: GeneScaling;
  innerFolds?: number;
  innerSeed?: number;
  /** Inner splits of a training set; default: innerFolds-fold random CV seeded by innerSeed. */
  innerSplits?: InnerSplitter;
}

/** Ridge's fit: the predictions and, per task, the λ it used. */
export interface RidgeFit extends BatchFit {
  /** λ used for each task, in task order. */
  lambdas: number[];
  /** Whether each task's λ sat on an edge of the grid (null for a fixed λ). */
  gridEdges: GridEdge[];
}

export const RIDGE_GRID_SCALES = Array.from({ length: 13 }, (_, k) => 10 ** (-3 + k / 2));

/** α = U diag(1/(λᵢ + λ)) Uᵀ y_c for the fold's training kernel. */
function dualCoefficients(fold: KernelFold, yCentred: Float64Array, lambda: number): Float64Array {
  const m = fold.train.length;
  const projected = matTVec(fold.eigen.vectors, m, m, yCentred);
  for (let k = 0; k < m; k++) projected[k]! /= Math.max(fold.eigen.values[k]!, 0) + lambda;
  return matVec(fold.eigen.vectors, m, m, projected);
}

/** ŷ_r = ȳ_train + Σ_t K_rt α_t for the fold's rows. */
export function ridgePredictOnFold(fold: KernelFold, y: Float64Array, lambda: number): Float64Array {
  const offset = trainMean(y, fold.train);
  const alpha = dualCoefficients(
    fold,
    Float64Array.from(fold.train, (t) => y[t]! - offset),
    lambda,
  );
  return matVec(fold.kernel, fold.rows.length, fold.train.length, alpha).map((v) => v + offset);
}

/** The grid index of the λ with the least inner-CV squared error (the larger λ on ties). */
function tuneLambda(innerFolds: KernelFold[], y: Float64Array, grid: readonly number[]): number {
  let best = grid.length - 1;
  let bestError = Infinity;
  for (let k = grid.length - 1; k >= 0; k--) {
    let error = 0;
    for (const fold of innerFolds) {
      const predictions = ridgePredictOnFold(fold, y, grid[k]!);
      fold.rows.forEach((r, a) => (error += (y[r]! - predictions[a]!) ** 2));
    }
    if (error < bestError) {
      bestError = error;
      best = k;
    }
  }
  return best;
}

/** Ridge regression on the genes (λ fixed, or chosen by inner CV on the training regions). */
export function ridge(options: RidgeOptions = {}): BatchedRegressor<RidgeFit> {
  const { lambda = 'inner-cv', scaling = 'zscore', innerFolds = 5, innerSeed = 0 } = options;
  const innerSplitsOf =
    options.innerSplits ?? ((train: readonly number[]) => randomInnerSplits(train, innerFolds, innerSeed));
  return {
    name: lambda === 'inner-cv' ? 'ridge (λ by inner CV)' : `ridge (λ=${lambda})`,
    async fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void) {
      checkTasks(X.regions, tasks);
      const cache = new KernelFoldCache(X, scaling, innerSplitsOf);
      const fit: RidgeFit = { predictions: [], lambdas: [], gridEdges: [] };
      tasks.forEach((task, t) => {
        const fold = cache.outerFold(task.train);
        const meanDiagonal = fold.eigen.values.reduce((s, v) => s + v, 0) / task.train.length; // tr(K)/m
        const index =
          lambda === 'inner-cv'
            ? tuneLambda(
                cache.innerFoldsOf(task.train),
                task.y,
                RIDGE_GRID_SCALES.map((s) => s * meanDiagonal),
              )
            : null;
        const chosen = index === null ? (lambda as number) : RIDGE_GRID_SCALES[index]! * meanDiagonal;
        fit.lambdas.push(chosen);
        fit.gridEdges.push(index === 0 ? 'lower' : index === RIDGE_GRID_SCALES.length - 1 ? 'upper' : null);
        onProgress?.(t + 1, tasks.length);
        fit.predictions.push(ridgePredictOnFold(fold, task.y, chosen));
      });
      return fit;
    },
  };
}
