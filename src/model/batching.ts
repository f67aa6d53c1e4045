import { arenaLayout } from '../engine/parameter-arena';
import { ModelInputError } from './errors';
import { parameterSpecs, type ModelDims } from './parameters';

/** WebGPU's per-binding storage limit on the machines this runs on (maxStorageBufferBindingSize). */
export const DEFAULT_MAX_BINDING_BYTES = 128 * 2 ** 20;

/**
 * Bytes that one model adds to the largest batched tensor of a training step, all float32: the
 * parameter arena (every parameter of a model in one tensor, and its gradients and Adam moments
 * alike), the activations [N, H] and the reconstruction X̂ [N, G]; before the arena's padding.
 */
export function largestTensorBytesPerModel(regionCount: number, dims: ModelDims): number {
  const { inputSize: G, hiddenSize: H, latentSize: K } = dims;
  const arena = Object.values(parameterSpecs(dims)).reduce((sum, { rows, cols }) => sum + rows * cols, 0);
  return 4 * Math.max(arena, regionCount * H, regionCount * G, regionCount * K);
}

/**
 * Bytes of the largest batched tensor of a training step of `batch` models: as above, with the
 * arena laid out as ParameterArena lays it out (arenaLayout: each parameter's [B, rows, cols]
 * block padded to a whole view alignment).
 */
export function largestTensorBytes(regionCount: number, dims: ModelDims, batch: number): number {
  const { inputSize: G, hiddenSize: H, latentSize: K } = dims;
  const shapes = Object.values(parameterSpecs(dims)).map(({ rows, cols }) => [batch, rows, cols]);
  return 4 * Math.max(arenaLayout(shapes).length, batch * regionCount * Math.max(H, G, K));
}

/**
 * How many models fit in one batched run: the most, up to maxBatch, whose largest tensor fits the
 * limit — ⌊limit / bytes per model⌋, less one where the arena's padding tips that over.
 */
export function modelsPerRun(regionCount: number, dims: ModelDims, maxBatch: number, maxBindingBytes: number): number {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new ModelInputError(`maxBatch = ${maxBatch} must be a positive integer`);
  }
  let fit = Math.min(maxBatch, Math.floor(maxBindingBytes / largestTensorBytesPerModel(regionCount, dims)));
  while (fit >= 1 && largestTensorBytes(regionCount, dims, fit) > maxBindingBytes) fit--;
  if (fit < 1) {
    throw new ModelInputError(
      `one model needs a ${largestTensorBytes(regionCount, dims, 1)}-byte tensor, over the ${maxBindingBytes}-byte binding limit; reduce hiddenSize or the gene count`,
    );
  }
  return fit;
}

/** Splits `count` tasks into consecutive [start, end) runs of at most `size`. */
export function chunkRanges(count: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < count; start += size) ranges.push([start, Math.min(count, start + size)]);
  return ranges;
}
