/**
 * Tasks that train with different VAE settings: one batched training job per distinct setting (the
 * trainer's setting is per call), each holding every task that uses it.
 */
import type { VaeConfig } from '../../model';
import type { GeneMatrix } from '../data/gene-matrix';
import type { BatchFit, FitTask } from './models';
import { vaeRegressor, type VaeRegressorOptions } from './vae-regressor';

/** Indices of `items` grouped by key, groups in order of first appearance. */
export function groupIndices<T>(items: readonly T[], key: (item: T) => string): number[][] {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  });
  return [...groups.values()];
}

/** A setting's identity: its keys in sorted order, so equal settings written differently group together. */
export function configKey(config: Partial<VaeConfig>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * Fits task t with settings configs[t] (the regressor's other options shared), one batched call per
 * distinct setting. Returns predictions in task order, and Var(ŷ) under q(z|x) when asked for.
 */
export async function fitByConfig(
  options: Omit<VaeRegressorOptions, 'config'>,
  X: GeneMatrix,
  tasks: readonly FitTask[],
  configs: readonly Partial<VaeConfig>[],
): Promise<BatchFit> {
  const predictions: Float64Array[] = new Array(tasks.length);
  const variance: Float64Array[] = new Array(tasks.length);
  for (const group of groupIndices(configs, configKey)) {
    const regressor = vaeRegressor({ ...options, config: configs[group[0]!]! });
    const fitted = await regressor.fitPredict(
      X,
      group.map((t) => tasks[t]!),
    );
    group.forEach((t, k) => {
      predictions[t] = fitted.predictions[k]!;
      if (fitted.variance) variance[t] = fitted.variance[k]!;
    });
  }
  return options.predictionVariance ? { predictions, variance } : { predictions };
}
