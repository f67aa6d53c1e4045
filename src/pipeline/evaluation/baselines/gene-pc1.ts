/**
 * Gene PC1 baseline: the first principal component of the train-scaled gene matrix, then a
 * one-variable least-squares line y ≈ a + b·score on the training regions.
 * With the centred training kernel K = X̃X̃ᵀ = U Λ Uᵀ, the PC1 loading is v = X̃ᵀu₁/√λ₁, so any
 * region's score is sᵣ = x̃ᵣ·v = K_(r,train) u₁ / √λ₁ (training scores are u₁√λ₁).
 * b = Σ(sₜ − s̄)(yₜ − ȳ)/Σ(sₜ − s̄)², a = ȳ − b s̄ over training regions t. The PC's sign is arbitrary
 * and does not affect ŷ.
 */
import type { GeneMatrix } from '../../data/gene-matrix';
import { checkTasks, trainMean, type BatchedRegressor, type FitTask } from '../models';
import { KernelFoldCache, type GeneScaling } from '../kernel-fold';

/** A one-predictor baseline: y regressed on the first principal component of the training regions' expression. */
export function genePc1(options: { scaling?: GeneScaling } = {}): BatchedRegressor {
  const { scaling = 'zscore' } = options;
  return {
    name: 'gene PC1',
    async fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void) {
      const n = X.regions;
      checkTasks(n, tasks);
      const cache = new KernelFoldCache(X, scaling, () => []);
      const predictions = tasks.map((task, t) => {
        const fold = cache.outerFold(task.train);
        const m = task.train.length;
        const lambda1 = fold.eigen.values[0]!;
        const scoreOf = (r: number): number => {
          let s = 0;
          for (let j = 0; j < m; j++) s += fold.kernel[r * m + j]! * fold.eigen.vectors[j * m]!;
          return lambda1 > 0 ? s / Math.sqrt(lambda1) : 0;
        };
        const scores = Float64Array.from({ length: n }, (_, r) => scoreOf(r));
        const meanScore = trainMean(scores, task.train);
        const meanY = trainMean(task.y, task.train);
        let sxy = 0;
        let sxx = 0;
        for (const i of task.train) {
          sxy += (scores[i]! - meanScore) * (task.y[i]! - meanY);
          sxx += (scores[i]! - meanScore) ** 2;
        }
        const slope = sxx > 0 ? sxy / sxx : 0;
        onProgress?.(t + 1, tasks.length);
        return scores.map((s) => meanY + slope * (s - meanScore));
      });
      return { predictions };
    },
  };
}
