import type { Engine } from '../engine/engine';
import { PARAMETER_NAMES, parameterSpecs, type HostWeights, type ModelDims } from './parameters';
import type { DeviceParameters } from './vae-forward';

/**
 * Moving a batch of weights between host and device. Trainable parameters are created with
 * `engine.param` (they receive gradients); frozen ones, for prediction or as the early-stopping
 * snapshot, are plain tensors.
 */
export function uploadWeights(engine: Engine, weights: HostWeights, trainable: boolean): DeviceParameters {
  const specs = parameterSpecs(weights.dims);
  const entries = PARAMETER_NAMES.map((name) => {
    const shape = [weights.batch, specs[name].rows, specs[name].cols];
    const data = weights.tensors[name];
    return [name, trainable ? engine.param(data, shape) : engine.tensor(data, shape)];
  });
  return Object.fromEntries(entries) as DeviceParameters;
}

export async function readWeights(params: DeviceParameters, dims: ModelDims, batch: number): Promise<HostWeights> {
  const arrays = await Promise.all(PARAMETER_NAMES.map((name) => params[name].read()));
  const tensors = Object.fromEntries(PARAMETER_NAMES.map((name, i) => [name, arrays[i]!]));
  return { batch, dims, tensors: tensors as HostWeights['tensors'] };
}

export function disposeWeights(params: DeviceParameters): void {
  for (const name of PARAMETER_NAMES) params[name].dispose();
}
