/**
 * Diagnostics: training and held-out error across epochs for each split, to see where over-fitting
 * starts. Each task is trained again exactly as its cross-validation fit (same data, setting and
 * seed, so the same trajectory), this time with its held-out regions as the trainer's validation
 * regions, which only adds a read-out of their error. These fits' predictions are discarded: the
 * trainer returns the parameters at the best validation error, which would peek at held-out targets.
 */
import { resolveConfig, trainVae, type VaeConfig } from '../../model';
import type { GeneMatrix } from '../data/gene-matrix';
import { configKey, groupIndices } from './config-groups';
import type { FitTask } from './models';
import { batchExpression, trainTask, type VaeRegressorOptions } from './vae-regressor';

/** Training and held-out error at each recorded epoch of one fit. */
export interface LearningCurve {
  /** The logged epochs. */
  epochs: number[];
  /** Training target loss mse(y, ŷ(z)) over the training regions, z sampled as in the loss; target units². */
  train: number[];
  /** mse(y, ŷ(μ)) over the held-out regions; target units². */
  heldOut: number[];
}

/** Curves for task t trained with configs[t], one batched run per distinct setting. */
export async function learningCurves(
  options: Omit<VaeRegressorOptions, 'config'>,
  X: GeneMatrix,
  tasks: readonly FitTask[],
  configs: readonly Partial<VaeConfig>[],
): Promise<LearningCurve[]> {
  const curves: LearningCurve[] = new Array(tasks.length);
  for (const group of groupIndices(configs, configKey)) {
    const config = resolveConfig(configs[group[0]!]);
    const members = group.map((t) => tasks[t]!);
    const prepared = members.map((task) => trainTask(task.y, task.train, task.seed ?? options.seed, task.test));
    const expression = batchExpression(X, members, options.scaling);
    const result = await trainVae({
      engine: options.engine,
      X: expression.X,
      xShape: expression.xShape,
      laplacian: options.laplacian,
      edgeCount: options.edgeCount,
      tasks: prepared.map((p) => p.task),
      // patience = epochs: no model stops, so every curve runs to the end
      config: { ...config, patience: config.epochs },
      maxBatch: options.maxBatch,
      keepWeights: false,
    });
    group.forEach((t, k) => {
      const scale = prepared[k]!.sd ** 2;
      const history = result.history[k]!;
      curves[t] = {
        epochs: history.map((h) => h.epoch),
        train: history.map((h) => h.target * scale),
        heldOut: history.map((h) => h.validation! * scale),
      };
    });
  }
  return curves;
}
