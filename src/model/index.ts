/** The graph VAE: model, losses, Adam, batched trainer, checkpoints. Takes arrays, knows no files but its checkpoints. */
export { DEFAULT_VAE_CONFIG, resolveConfig, klWeightAt, type VaeConfig } from './config';
export { CheckpointError, ModelInputError } from './errors';
export {
  PARAMETER_NAMES,
  initialWeights,
  selectModels,
  concatModels,
  type HostWeights,
  type ModelDims,
  type ParameterName,
} from './parameters';
export { trainVae, type TrainVaeOptions, type TrainVaeResult } from './trainer';
export { concatStates, selectStates, stateBytesPerModel, type TrainState } from './train-state';
export type { TrainTask } from './train-inputs';
export type { EpochEvent, EpochLosses, EpochPreview, PreviewOptions } from './train-run';
export { predict, type VaeModel } from './predict';
export type { Evaluation } from './evaluate';
export {
  saveCheckpoint,
  loadCheckpoint,
  encodeCheckpoint,
  decodeCheckpoint,
  CHECKPOINT_MAGIC,
  CHECKPOINT_VERSION,
  type LoadedCheckpoint,
} from './checkpoint';
