import { ModelInputError } from './errors';
import { seededUniform } from './seeded-random';

/**
 * The graph VAE's parameters: names, per-model shapes, seeded Glorot initialisation, and the
 * host-side batch of weights that checkpoints store. Every tensor is [B, rows, cols]: B models.
 */

export interface ModelDims {
  /** G: genes per region. */
  inputSize: number;
  /** H */
  hiddenSize: number;
  /** K */
  latentSize: number;
}

/** The VAE's parameter tensors in a fixed order (checkpoints store them in this order). */
export const PARAMETER_NAMES = [
  'encoder.w1',
  'encoder.b1',
  'encoder.wMu',
  'encoder.bMu',
  'encoder.wLogVar',
  'encoder.bLogVar',
  'decoder.w1',
  'decoder.b1',
  'decoder.w2',
  'decoder.b2',
  'head.w',
  'head.b',
] as const;

/** The name of one VAE parameter tensor. */
export type ParameterName = (typeof PARAMETER_NAMES)[number];

export interface ParameterSpec {
  rows: number;
  cols: number;
  /** Weights: Glorot-uniform U(±√(6/(fan_in + fan_out))); biases: zeros. */
  init: 'glorot' | 'zeros';
}

/** Per-model shapes: a weight maps rows → cols; a bias is one row broadcast over regions. */
export function parameterSpecs(d: ModelDims): Record<ParameterName, ParameterSpec> {
  const { inputSize: G, hiddenSize: H, latentSize: K } = d;
  const weight = (rows: number, cols: number): ParameterSpec => ({ rows, cols, init: 'glorot' });
  const bias = (cols: number): ParameterSpec => ({ rows: 1, cols, init: 'zeros' });
  return {
    'encoder.w1': weight(G, H),
    'encoder.b1': bias(H),
    'encoder.wMu': weight(H, K),
    'encoder.bMu': bias(K),
    'encoder.wLogVar': weight(H, K),
    'encoder.bLogVar': bias(K),
    'decoder.w1': weight(K, H),
    'decoder.b1': bias(H),
    'decoder.w2': weight(H, G),
    'decoder.b2': bias(G),
    'head.w': weight(K, 1),
    'head.b': bias(1),
  };
}

/** Weights of B models on the host, each tensor row-major [batch, rows, cols]. */
export interface HostWeights {
  readonly batch: number;
  readonly dims: ModelDims;
  readonly tensors: Record<ParameterName, Float32Array>;
}

/**
 * Initialises one model per seed. Model b depends only on seeds[b] (not on B or the backend):
 * its stream fills the parameters in PARAMETER_NAMES order, row-major.
 */
export function initialWeights(dims: ModelDims, seeds: readonly number[]): HostWeights {
  const specs = parameterSpecs(dims);
  const tensors = emptyTensors(specs, seeds.length);
  seeds.forEach((seed, b) => {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ModelInputError(`task ${b}: seed ${seed} must be an integer in [0, 2³²)`);
    }
    const uniform = seededUniform(seed);
    for (const name of PARAMETER_NAMES) {
      const { rows, cols, init } = specs[name];
      if (init === 'zeros') continue;
      const limit = Math.sqrt(6 / (rows + cols));
      const block = tensors[name].subarray(b * rows * cols, (b + 1) * rows * cols);
      for (let i = 0; i < block.length; i++) block[i] = (2 * uniform() - 1) * limit;
    }
  });
  return { batch: seeds.length, dims, tensors };
}

/** The models at `indices`, in that order, as a new batch. */
export function selectModels(weights: HostWeights, indices: readonly number[]): HostWeights {
  const specs = parameterSpecs(weights.dims);
  const tensors = emptyTensors(specs, indices.length);
  for (const name of PARAMETER_NAMES) {
    const per = specs[name].rows * specs[name].cols;
    indices.forEach((from, to) => {
      if (!(from >= 0 && from < weights.batch)) {
        throw new ModelInputError(`model index ${from} is outside the batch of ${weights.batch}`);
      }
      tensors[name].set(weights.tensors[name].subarray(from * per, (from + 1) * per), to * per);
    });
  }
  return { batch: indices.length, dims: weights.dims, tensors };
}

/** Stacks batches of models with the same sizes, in order. */
export function concatModels(parts: readonly HostWeights[]): HostWeights {
  if (parts.length === 0) throw new ModelInputError('concatModels needs at least one batch of weights');
  const dims = parts[0]!.dims;
  const specs = parameterSpecs(dims);
  const batch = parts.reduce((total, part) => total + part.batch, 0);
  const tensors = emptyTensors(specs, batch);
  for (const name of PARAMETER_NAMES) {
    let offset = 0;
    for (const part of parts) {
      if (!sameDims(part.dims, dims)) throw new ModelInputError('concatModels: batches have different model sizes');
      tensors[name].set(part.tensors[name], offset);
      offset += part.tensors[name].length;
    }
  }
  return { batch, dims, tensors };
}

function sameDims(a: ModelDims, b: ModelDims): boolean {
  return a.inputSize === b.inputSize && a.hiddenSize === b.hiddenSize && a.latentSize === b.latentSize;
}

function emptyTensors(specs: Record<ParameterName, ParameterSpec>, batch: number): Record<ParameterName, Float32Array> {
  const entries = PARAMETER_NAMES.map((name) => [name, new Float32Array(batch * specs[name].rows * specs[name].cols)]);
  return Object.fromEntries(entries) as Record<ParameterName, Float32Array>;
}
