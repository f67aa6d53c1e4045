import { ModelInputError } from './errors';
import {
  concatModels,
  PARAMETER_NAMES,
  parameterSpecs,
  selectModels,
  type HostWeights,
  type ModelDims,
} from './parameters';

/**
 * Where training stopped, for going on from it: every model's parameters and Adam moments m, v
 * (host layout, as HostWeights) after `epoch` epochs. A run started from this state trains epochs
 * epoch + 1 … config.epochs, and each model ends exactly where one run of config.epochs would
 * have (every per-epoch value — the random stream's step, β's warm-up, Adam's bias corrections —
 * is a function of the epoch number alone).
 */
export interface TrainState {
  /** Epochs already trained. */
  epoch: number;
  weights: HostWeights;
  /** Adam's first moments, one per parameter, in the parameters' layout. */
  m: HostWeights;
  /** Adam's second moments. */
  v: HostWeights;
}

/** The states of the models at `indices`, in that order. */
export function selectStates(state: TrainState, indices: readonly number[]): TrainState {
  return {
    epoch: state.epoch,
    weights: selectModels(state.weights, indices),
    m: selectModels(state.m, indices),
    v: selectModels(state.v, indices),
  };
}

/** Stacks states of the same epoch and model sizes, in order. */
export function concatStates(parts: readonly TrainState[]): TrainState {
  if (parts.length === 0) throw new ModelInputError('concatStates needs at least one state');
  const epoch = parts[0]!.epoch;
  const other = parts.find((part) => part.epoch !== epoch);
  if (other) {
    throw new ModelInputError(`concatStates: states after ${epoch} and ${other.epoch} epochs cannot train on together`);
  }
  return {
    epoch,
    weights: concatModels(parts.map((part) => part.weights)),
    m: concatModels(parts.map((part) => part.m)),
    v: concatModels(parts.map((part) => part.v)),
  };
}

/** Host bytes of one model's state: parameters, m and v, float32 each. */
export function stateBytesPerModel(dims: ModelDims): number {
  const specs = parameterSpecs(dims);
  return 3 * 4 * PARAMETER_NAMES.reduce((sum, name) => sum + specs[name].rows * specs[name].cols, 0);
}
