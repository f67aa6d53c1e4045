import type { CsrMatrix } from '../engine/backend';
import type { Engine } from '../engine/engine';
import { DEFAULT_MAX_BINDING_BYTES, chunkRanges, modelsPerRun } from './batching';
import { resolveConfig, type VaeConfig } from './config';
import { ModelInputError } from './errors';
import { concatModels, type HostWeights, type ModelDims } from './parameters';
import { checkTrainInputs, type TrainTask } from './train-inputs';
import { concatStates, selectStates, type TrainState } from './train-state';
import { trainRun, type EpochEvent, type EpochLosses, type PreviewOptions, type RunResult } from './train-run';

/**
 * What trainVae needs: engine, expression [B|1, N, G], Laplacian and edge count, one task per batched model,
 * settings.
 */
export interface TrainVaeOptions {
  engine: Engine;
  /** Regional expression, row-major [1|B, N, G]: shared by all tasks, or one matrix per task. */
  X: Float32Array;
  xShape: readonly [number, number, number];
  /** Graph Laplacian over the N regions (uploaded once, shared by all tasks). */
  laplacian: CsrMatrix;
  /** |E|, the number of undirected edges, normalising the smoothness term. */
  edgeCount: number;
  tasks: readonly TrainTask[];
  config?: Partial<VaeConfig>;
  /** Called at every logged epoch of every run with that run's losses. */
  onEpoch?: (event: EpochEvent) => void;
  /** ŷ and μ of the current parameters every `everyEpochs` epochs, while training (e.g. to draw them live). */
  preview?: PreviewOptions;
  /** At most this many models per batched run (default: as many as fit maxBindingBytes). */
  maxBatch?: number;
  /** Largest tensor a batched run may create, in bytes (default 128 MiB, WebGPU's binding limit). */
  maxBindingBytes?: number;
  /** Read the trained weights back to the host (default true; turn off for large null batches). */
  keepWeights?: boolean;
  /**
   * Go on from where an earlier call stopped (its state, one model per task in the same order):
   * trains epochs state.epoch + 1 … config.epochs, ending where one call of config.epochs would.
   */
  from?: TrainState;
  /** Return every model's parameters and Adam moments after the last epoch, to go on from later (default false). */
  keepState?: boolean;
}

/** Per batched model: predictions, latent means, loss history, best epoch; and the settings used. */
export interface TrainVaeResult {
  config: VaeConfig;
  /** ŷ = μ wy + by for all N regions, per task (from the best epoch's parameters under early stopping) */
  predictions: Float32Array[];
  /** μ, row-major N×K, per task */
  mu: Float32Array[];
  /** Loss terms at each logged epoch, per task */
  history: EpochLosses[][];
  /** Epoch whose parameters are returned, per task (the last epoch without validation masks) */
  bestEpoch: number[];
  /** All tasks' weights in task order, or null when keepWeights is false */
  weights: HostWeights | null;
  /** Where training stopped, when keepState is on. */
  state: TrainState | null;
}

/**
 * Trains one graph VAE per task, B at a time as one batched workload, and returns every task's
 * predictions, latent means, loss history and weights. Tasks are split into runs that respect the
 * per-binding size limit; a task's result does not depend on which run it landed in.
 */
export async function trainVae(options: TrainVaeOptions): Promise<TrainVaeResult> {
  const { engine, X, xShape, laplacian, edgeCount, tasks } = options;
  const config = resolveConfig(options.config);
  checkTrainInputs(X, xShape, laplacian, edgeCount, tasks);
  const [xBatch, regions, genes] = xShape;
  const dims = { inputSize: genes, hiddenSize: config.hiddenSize, latentSize: config.latentSize };
  if (options.from) checkFrom(options.from, tasks.length, config.epochs, dims);
  const perRun = modelsPerRun(
    regions,
    dims,
    options.maxBatch ?? tasks.length,
    options.maxBindingBytes ?? DEFAULT_MAX_BINDING_BYTES,
  );
  const deviceLaplacian = engine.csr(laplacian);

  const runs: RunResult[] = [];
  for (const [start, end] of chunkRanges(tasks.length, perRun)) {
    const perTaskX = xBatch !== 1;
    runs.push(
      await trainRun({
        engine,
        x: perTaskX ? X.subarray(start * regions * genes, end * regions * genes) : X,
        xShape: [perTaskX ? end - start : 1, regions, genes],
        laplacian: deviceLaplacian,
        edgeCount,
        tasks: tasks.slice(start, end),
        firstTask: start,
        config,
        onEpoch: options.onEpoch,
        preview: options.preview,
        keepWeights: options.keepWeights ?? true,
        from: options.from && selectStates(options.from, range(start, end)),
        keepState: options.keepState ?? false,
      }),
    );
  }
  const weights = runs.map((run) => run.weights);
  return {
    config,
    predictions: runs.flatMap((run) => run.predictions),
    mu: runs.flatMap((run) => run.mu),
    history: runs.flatMap((run) => run.history),
    bestEpoch: runs.flatMap((run) => run.bestEpoch),
    weights: weights.every((w): w is HostWeights => w !== null) ? concatModels(weights) : null,
    state: options.keepState ? concatStates(runs.map((run) => run.state!)) : null,
  };
}

/** start, start + 1, …, end − 1 */
const range = (start: number, end: number): number[] => Array.from({ length: end - start }, (_, k) => start + k);

function checkFrom(from: TrainState, taskCount: number, epochs: number, dims: ModelDims): void {
  const had = from.weights.dims;
  if (had.inputSize !== dims.inputSize || had.hiddenSize !== dims.hiddenSize || had.latentSize !== dims.latentSize) {
    const sizes = (d: ModelDims) => `${d.inputSize}, ${d.hiddenSize}, ${d.latentSize}`;
    throw new ModelInputError(
      `the state to go on from has G, H, K = ${sizes(had)}; X and the config give ${sizes(dims)}`,
    );
  }
  if (from.weights.batch !== taskCount) {
    throw new ModelInputError(
      `the state to go on from holds ${from.weights.batch} models for ${taskCount} tasks; pass one per task`,
    );
  }
  if (!(from.epoch < epochs)) {
    throw new ModelInputError(
      `the state to go on from is after ${from.epoch} epochs; config.epochs = ${epochs} must be more`,
    );
  }
}
