import type { Engine } from '../engine/engine';
import { ParameterArena } from '../engine/parameter-arena';
import type { Tensor } from '../engine/tensor';
import { ModelInputError } from './errors';
import { PARAMETER_NAMES, parameterSpecs, type HostWeights, type ModelDims, type ParameterName } from './parameters';
import type { DeviceParameters } from './vae-forward';

/**
 * Moving a batch of weights between host and device. Trainable parameters are created with
 * `engine.param` (they receive gradients); frozen ones, for prediction or as the early-stopping
 * snapshot, are plain tensors.
 *
 * One weight is kept transposed on the device: Wd2 (`decoder.w2`, [H, G] on the host, in
 * checkpoints and in the math) is stored as Wd2ᵀ [G, H], and `decode` multiplies by it with
 * transB. The decoder's backward products P·Wd2 and Pᵀ·h then have H columns — a multiple of 4,
 * which the vec4 matmul serves — instead of G (787 landmark genes: not one).
 */
const STORED_TRANSPOSED: ReadonlySet<ParameterName> = new Set(['decoder.w2']);

export function uploadWeights(engine: Engine, weights: HostWeights, trainable: boolean): DeviceParameters {
  const entries = PARAMETER_NAMES.map((name) => {
    const { data, shape } = deviceLayout(weights, name);
    return [name, trainable ? engine.param(data, shape) : engine.tensor(data, shape)];
  });
  return Object.fromEntries(entries) as DeviceParameters;
}

/** Each weight in its device layout (transposed where stored so), in PARAMETER_NAMES order. */
export function toDeviceLayout(weights: HostWeights): Float32Array[] {
  return PARAMETER_NAMES.map((name) => deviceLayout(weights, name).data);
}

/** The inverse of toDeviceLayout: arrays in device layout, PARAMETER_NAMES order, as host weights. */
export function fromDeviceLayout(arrays: readonly Float32Array[], dims: ModelDims, batch: number): HostWeights {
  const specs = parameterSpecs(dims);
  const tensors = Object.fromEntries(
    PARAMETER_NAMES.map((name, i) => {
      const { rows, cols } = specs[name];
      return [name, STORED_TRANSPOSED.has(name) ? transposeEach(arrays[i]!, batch, cols, rows) : arrays[i]!];
    }),
  );
  return { batch, dims, tensors: tensors as HostWeights['tensors'] };
}

/**
 * Trainable parameters packed into one ParameterArena (in PARAMETER_NAMES order, Wd2 as Wd2ᵀ), so
 * Adam updates all of them, for all B models, in one pass. Dispose with `arena.dispose()`.
 */
export function uploadTrainableArena(
  engine: Engine,
  weights: HostWeights,
): { params: DeviceParameters; arena: ParameterArena } {
  const blocks = PARAMETER_NAMES.map((name) => deviceLayout(weights, name));
  const arena = new ParameterArena(engine, blocks);
  const params = Object.fromEntries(PARAMETER_NAMES.map((name, i) => [name, arena.params[i]!])) as DeviceParameters;
  return { params, arena };
}

/** A weight's values and shape as the device holds it ([B, rows, cols]; Wd2 transposed). */
function deviceLayout(weights: HostWeights, name: ParameterName): { data: Float32Array; shape: number[] } {
  let { rows, cols } = parameterSpecs(weights.dims)[name];
  let data = weights.tensors[name];
  if (STORED_TRANSPOSED.has(name)) {
    data = transposeEach(data, weights.batch, rows, cols);
    [rows, cols] = [cols, rows];
  }
  return { data, shape: [weights.batch, rows, cols] };
}

export async function readWeights(params: DeviceParameters, dims: ModelDims, batch: number): Promise<HostWeights> {
  const tensors = await readInHostLayout(dims, batch, (name) => params[name]);
  return { batch, dims, tensors };
}

/** The gradients backward left on trainable parameters, laid out as their host weights. */
export function readGradients(
  params: DeviceParameters,
  dims: ModelDims,
  batch: number,
): Promise<HostWeights['tensors']> {
  return readInHostLayout(dims, batch, (name) => {
    const grad = params[name].grad;
    if (!grad) throw new ModelInputError(`parameter ${name} has no gradient; run backward first`);
    return grad;
  });
}

async function readInHostLayout(
  dims: ModelDims,
  batch: number,
  tensorOf: (name: ParameterName) => Tensor,
): Promise<HostWeights['tensors']> {
  const arrays = await Promise.all(PARAMETER_NAMES.map((name) => tensorOf(name).read()));
  return fromDeviceLayout(arrays, dims, batch).tensors;
}

export function disposeWeights(params: DeviceParameters): void {
  for (const name of PARAMETER_NAMES) params[name].dispose();
}

/** Each of `batch` row-major rows×cols matrices transposed to cols×rows. */
function transposeEach(data: Float32Array, batch: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < batch; b++) {
    const base = b * rows * cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[base + j * rows + i] = data[base + i * cols + j]!;
    }
  }
  return out;
}
