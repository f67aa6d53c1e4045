import { ModelInputError } from './errors';
import { parameterSpecs, type ModelDims } from './parameters';

/** WebGPU's per-binding storage limit on the machines this runs on (maxStorageBufferBindingSize). */
export const DEFAULT_MAX_BINDING_BYTES = 128 * 2 ** 20;

/**
 * Bytes that one model adds to the largest batched tensor of a training step, all float32: the
 * parameter arena (every parameter of a model in one tensor, and its gradients and Adam moments
 * alike), the activations [N, H] and the reconstruction X̂ [N, G].
 */
export function largestTensorBytesPerModel(regionCount: number, dims: ModelDims): number {
  const { inputSize: G, hiddenSize: H, latentSize: K } = dims;
  const arena = Object.values(parameterSpecs(dims)).reduce((sum, { rows, cols }) => sum + rows * cols, 0);
  return 4 * Math.max(arena, regionCount * H, regionCount * G, regionCount * K);
}

/** How many models fit in one batched run: min(maxBatch, ⌊limit / bytes per model⌋). */
export function modelsPerRun(regionCount: number, dims: ModelDims, maxBatch: number, maxBindingBytes: number): number {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new ModelInputError(`maxBatch = ${maxBatch} must be a positive integer`);
  }
  const perModel = largestTensorBytesPerModel(regionCount, dims);
  const fit = Math.floor(maxBindingBytes / perModel);
  if (fit < 1) {
    throw new ModelInputError(
      `one model needs a ${perModel}-byte tensor, over the ${maxBindingBytes}-byte binding limit; reduce hiddenSize or the gene count`,
    );
  }
  return Math.min(maxBatch, fit);
}

/** Splits `count` tasks into consecutive [start, end) runs of at most `size`. */
export function chunkRanges(count: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < count; start += size) ranges.push([start, Math.min(count, start + size)]);
  return ranges;
}
