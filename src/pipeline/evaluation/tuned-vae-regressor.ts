/**
 * The VAE with its hyperparameters chosen by nested cross-validation, inside each task's training
 * regions only: for every candidate setting (e.g. λ, β, K, epochs), inner k-fold CV over task.train
 * scores the summed squared error on the inner held-out regions; the setting with the least error
 * is refitted on all of task.train and predicts. Held-out regions of the outer task never enter the
 * choice. Each candidate's inner fits for all tasks are one batched training job, and so are the
 * final fits of all tasks that chose the same setting.
 */
import type { VaeConfig } from '../../model';
import { innerSplits } from './kernel-fold';
import { checkTasks, type BatchedRegressor, type FitTask } from './models';
import { vaeRegressor, type VaeRegressorOptions } from './vae-regressor';

export interface TunedVaeOptions extends Omit<VaeRegressorOptions, 'config' | 'name'> {
  /** The base setting; each candidate overrides part of it. */
  config: Partial<VaeConfig>;
  candidates: Partial<VaeConfig>[];
  innerFolds: number;
}

export interface TunedVaeRegressor extends BatchedRegressor {
  /** Index into `candidates` chosen for each task of the last fitPredict call. */
  lastChoices: number[];
}

export function tunedVaeRegressor(options: TunedVaeOptions): TunedVaeRegressor {
  if (options.candidates.length === 0) throw new RangeError('tuning needs at least one candidate setting');
  const regressorFor = (candidate: Partial<VaeConfig>) => vaeRegressor({ ...options, config: { ...options.config, ...candidate } });
  const model: TunedVaeRegressor = {
    name: `graph VAE (${options.candidates.length} settings tuned by inner ${options.innerFolds}-fold CV)`,
    lastChoices: [],
    async fitPredict(X, n, g, tasks, onProgress) {
      checkTasks(n, tasks);
      const inner = tasks.map((task, t) => innerSplits(task.train, options.innerFolds, options.seed + t));
      const innerTasks: FitTask[] = tasks.flatMap((task, t) => inner[t]!.map((s) => ({ y: task.y, train: s.train, test: s.test, seed: task.seed })));
      const steps = options.candidates.length + 1;
      // error[c][t] = Σ over inner folds and their held-out regions of (y − ŷ)²
      const errors: number[][] = [];
      for (const [c, candidate] of options.candidates.entries()) {
        const predictions = await regressorFor(candidate).fitPredict(X, n, g, innerTasks, (done, total) => onProgress?.(((c + done / total) * tasks.length) / steps, tasks.length));
        let k = 0;
        errors.push(tasks.map((task, t) => inner[t]!.reduce((sum, split) => {
          const prediction = predictions[k++]!;
          return sum + split.test.reduce((s, i) => s + (task.y[i]! - prediction[i]!) ** 2, 0);
        }, 0)));
      }
      model.lastChoices = tasks.map((_, t) => errors.reduce((best, e, c) => (e[t]! < errors[best]![t]! ? c : best), 0));
      const out: Float64Array[] = new Array(tasks.length);
      for (const c of new Set(model.lastChoices)) {
        const chosen = tasks.flatMap((_, t) => (model.lastChoices[t] === c ? [t] : []));
        const predictions = await regressorFor(options.candidates[c]!).fitPredict(X, n, g, chosen.map((t) => tasks[t]!));
        chosen.forEach((t, k) => (out[t] = predictions[k]!));
      }
      onProgress?.(tasks.length, tasks.length);
      return out;
    },
  };
  return model;
}
