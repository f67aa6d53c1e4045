/**
 * Counterpart copy, a no-gene baseline: ŷᵢ = y_c(i), the target of region i's homologue in the other
 * hemisphere, when that homologue is a training region. Where it is not (held out with i, or absent
 * from the atlas), ŷᵢ = y of the nearest training region on mirrored centroids (|x|, y, z): the
 * one-nearest-neighbour fallback that reads no held-out value. Under hemisphere → hemisphere every
 * counterpart trains, so this model measures how much of the map left–right symmetry alone explains;
 * under the counterpart-aware schemes no counterpart trains and it is the mirrored 1-NN.
 */
import type { GeneMatrix } from '../../data/gene-matrix';
import { checkTasks, type BatchedRegressor, type FitTask } from '../models';
import { nearestTraining } from './nearest-regions';

export const COUNTERPART_COPY_NAME = 'no genes: counterpart copy';

export interface CounterpartCopyOptions {
  /** counterpart[i]: index of region i's homologue, −1 when absent (evaluation/counterparts.ts). */
  counterpart: Int32Array;
  /** N×3 mirrored surface centroids (|x|, y, z). */
  mirrored: Float64Array;
}

function copyCounterparts(options: CounterpartCopyOptions, n: number, task: FitTask): Float64Array {
  const training = new Set(task.train);
  return Float64Array.from({ length: n }, (_, i) => {
    const c = options.counterpart[i]!;
    const source = c >= 0 && training.has(c) ? c : nearestTraining(options.mirrored, i, task.train, 1)[0]!;
    return task.y[source]!;
  });
}

export function counterpartCopy(options: CounterpartCopyOptions): BatchedRegressor {
  return {
    name: COUNTERPART_COPY_NAME,
    async fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void) {
      const n = X.regions;
      checkTasks(n, tasks);
      if (options.counterpart.length !== n || options.mirrored.length !== 3 * n) {
        throw new RangeError(`counterpart copy: geometry for ${options.counterpart.length} regions, data for ${n}`);
      }
      const predictions = tasks.map((task, t) => {
        onProgress?.(t + 1, tasks.length);
        return copyCounterparts(options, n, task);
      });
      return { predictions };
    },
  };
}
