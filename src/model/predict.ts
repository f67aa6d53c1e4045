import type { Engine } from '../engine/engine';
import type { VaeConfig } from './config';
import { disposeWeights, uploadWeights } from './device-weights';
import { ModelInputError } from './errors';
import { evaluateModels, type Evaluation } from './evaluate';
import type { HostWeights } from './parameters';

/** A trained batch of models: what a checkpoint holds. */
export interface VaeModel {
  config: VaeConfig;
  weights: HostWeights;
}

/**
 * ŷ = μ wy + by and μ for every region from trained weights (no sampling).
 * X: row-major [1|B, N, G], shared by the B models or one matrix per model.
 */
export async function predict(
  engine: Engine,
  model: VaeModel,
  X: Float32Array,
  xShape: readonly [number, number, number],
): Promise<Evaluation> {
  const [xBatch, regions, genes] = xShape;
  const { batch, dims } = model.weights;
  if (genes !== dims.inputSize) {
    throw new ModelInputError(
      `X has ${genes} genes but the model was trained on ${dims.inputSize}; select the same genes in the same order`,
    );
  }
  if (xBatch !== 1 && xBatch !== batch) {
    throw new ModelInputError(`xShape[0] = ${xBatch} must be 1 (shared X) or the model count ${batch}`);
  }
  if (X.length !== xBatch * regions * genes) {
    throw new ModelInputError(
      `X has ${X.length} values but xShape [${xShape.join(', ')}] needs ${xBatch * regions * genes}`,
    );
  }
  const params = uploadWeights(engine, model.weights, false);
  const x = engine.tensor(X, xShape);
  try {
    return await evaluateModels(engine, params, x, model.config.activation);
  } finally {
    x.dispose();
    disposeWeights(params);
  }
}
