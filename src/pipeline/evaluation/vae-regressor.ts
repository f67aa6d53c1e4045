/**
 * The graph VAE as a BatchedRegressor, so cross-validation and the nulls treat it like any
 * baseline — and hand it all their fits as one batched training job.
 *
 * Per task, with nothing from held-out regions:
 *   X̃ = gene scaling fitted on task.train, applied to all N regions (held-out regions still pass
 *       through the encoder/decoder: X is an input, not a label);
 *   ỹ = (y − ȳ_train)/s_train on the training regions, 0 elsewhere and masked out of the loss;
 *   ŷ = ȳ_train + s_train · ŷ̃, the model's output mapped back to the target's units.
 * Every task trains the same number of epochs (no early stopping: the epoch count is chosen by the
 * tuned regressor on inner folds instead) from the regressor's seed unless the task names its own,
 * so by default tasks differ only in their data.
 */
import type { CsrMatrix } from '../../engine/backend';
import type { Engine } from '../../engine/engine';
// the model's modules one by one, not its index: the index brings checkpoint files (node:fs), and
// the browser explorer (web/) bundles this file
import type { VaeConfig } from '../../model/config';
import type { TrainTask } from '../../model/train-inputs';
import type { EpochEvent } from '../../model/train-run';
import { trainVae, type TrainVaeResult } from '../../model/trainer';
import type { GeneMatrix } from '../data/gene-matrix';
import { fitGeneScaler, type GeneScalingKind } from '../data/scaling';
import { checkTasks, type BatchedRegressor, type BatchFit, type FitTask } from './models';
import { predictionVariance } from './prediction-variance';

/** The engine, the graph Laplacian and edge count, the VAE settings, the seed and the gene scaling of vaeRegressor. */
export interface VaeRegressorOptions {
  engine: Engine;
  laplacian: CsrMatrix;
  edgeCount: number;
  config: Partial<VaeConfig>;
  seed: number;
  scaling: GeneScalingKind;
  /** Most models per batched run (default: as many as fit the binding limit). */
  maxBatch?: number;
  /** Name shown in tables (default "graph VAE"). */
  name?: string;
  /** Also compute each task's Var(ŷ) under q(z|x) (the fit's `variance`); keeps the weights of the run. */
  predictionVariance?: boolean;
}

/** Mean and population SD of y over the given regions (SD 1 when y is constant there). */
export function targetScale(y: Float64Array, regions: readonly number[]): { mean: number; sd: number } {
  let mean = 0;
  for (const i of regions) mean += y[i]! / regions.length;
  let variance = 0;
  for (const i of regions) variance += (y[i]! - mean) ** 2 / regions.length;
  return { mean, sd: variance > 0 ? Math.sqrt(variance) : 1 };
}

/** Genes scaled on `train` only, as float32 for the engine. */
export function scaledExpression(expression: GeneMatrix, train: number[], scaling: GeneScalingKind): Float32Array {
  const { values: X, regions: n, genes: g } = expression;
  return Float32Array.from(fitGeneScaler(X, n, g, train, scaling).apply(X, n));
}

/**
 * ỹ on the training regions, 0 on held-out ones, and the 0/1 mask of the training regions. With
 * `validation` regions (inner folds: part of an outer split's training regions), ỹ is filled there too
 * (scaled by the training regions' mean and SD) and they form the validation mask.
 */
export function trainTask(
  y: Float64Array,
  train: readonly number[],
  seed: number,
  validation?: readonly number[],
): { task: TrainTask; mean: number; sd: number } {
  const { mean, sd } = targetScale(y, train);
  const scaled = new Float32Array(y.length);
  const trainMask = new Uint8Array(y.length);
  for (const i of train) {
    scaled[i] = (y[i]! - mean) / sd;
    trainMask[i] = 1;
  }
  if (!validation) return { task: { y: scaled, trainMask, seed }, mean, sd };
  const validationMask = new Uint8Array(y.length);
  for (const i of validation) {
    scaled[i] = (y[i]! - mean) / sd;
    validationMask[i] = 1;
  }
  return { task: { y: scaled, trainMask, validationMask, seed }, mean, sd };
}

/**
 * X for a batch of tasks: one shared [1, N, G] matrix when every task trains on the same regions
 * (in-sample fits, nulls on one split), else one train-scaled matrix per task [B, N, G].
 */
export function batchExpression(
  expression: GeneMatrix,
  tasks: readonly FitTask[],
  scaling: GeneScalingKind,
): { X: Float32Array; xShape: [number, number, number] } {
  const { regions: n, genes: g } = expression;
  const keyOf = (task: FitTask): string => task.train.join(',');
  const cache = new Map<string, Float32Array>();
  const scaledFor = (task: FitTask): Float32Array => {
    const key = keyOf(task);
    let scaled = cache.get(key);
    if (!scaled) cache.set(key, (scaled = scaledExpression(expression, task.train, scaling)));
    return scaled;
  };
  if (tasks.every((task) => keyOf(task) === keyOf(tasks[0]!))) return { X: scaledFor(tasks[0]!), xShape: [1, n, g] };
  const out = new Float32Array(tasks.length * n * g);
  tasks.forEach((task, t) => out.set(scaledFor(task), t * n * g));
  return { X: out, xShape: [tasks.length, n, g] };
}

/** The VAE's fit: predictions, the run's full training result, and Var(ŷ) with predictionVariance. */
export interface VaeFit extends BatchFit {
  /** The batched training run behind the predictions (loss histories, μ, weights when kept; ỹ units). */
  training: TrainVaeResult;
}

/** The graph VAE regressor: its fit carries the training run and, with predictionVariance, Var(ŷ) per task. */
export type VaeRegressor = BatchedRegressor<VaeFit>;

/** The graph VAE as a BatchedRegressor: every task trained as one batched model on the engine. */
export function vaeRegressor(options: VaeRegressorOptions): VaeRegressor {
  return {
    name: options.name ?? 'graph VAE',
    async fitPredict(X, tasks, onProgress) {
      checkTasks(X.regions, tasks);
      const prepared = tasks.map((task) => trainTask(task.y, task.train, task.seed ?? options.seed));
      const expression = batchExpression(X, tasks, options.scaling);
      const onEpoch = onProgress
        ? (event: EpochEvent) =>
            onProgress(event.firstTask + (event.losses.length * event.epoch) / event.epochs, tasks.length)
        : undefined;
      const result = await trainVae({
        engine: options.engine,
        X: expression.X,
        xShape: expression.xShape,
        laplacian: options.laplacian,
        edgeCount: options.edgeCount,
        tasks: prepared.map((p) => p.task),
        config: options.config,
        maxBatch: options.maxBatch,
        keepWeights: options.predictionVariance ?? false,
        onEpoch,
      });
      const predictions = result.predictions.map((scaled, t) =>
        Float64Array.from(scaled, (v) => prepared[t]!.mean + prepared[t]!.sd * v),
      );
      if (!options.predictionVariance) return { predictions, training: result };
      // Var(ŷ) = sd² · Var(ŷ̃): the standardised head's variance mapped back to the target's units
      const variance = (
        await predictionVariance(
          options.engine,
          { config: result.config, weights: result.weights! },
          expression.X,
          expression.xShape,
        )
      ).map((v, t) => v.map((x) => x * prepared[t]!.sd ** 2));
      return { predictions, variance, training: result };
    },
  };
}
