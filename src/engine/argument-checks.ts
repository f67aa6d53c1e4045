/** Argument checks of the fused primitives, shared by both backends so they fail alike. */
import {
  EngineError,
  shapeSize,
  VIEW_ALIGNMENT,
  type AdamHyper,
  type RandomKey,
  type RawTensor,
  type Shape,
} from './backend';
import { formatShape, MAX_RANK, sameShape } from './broadcast';

/**
 * One seed per batch member of `shape`, and a step that fits Philox's 32-bit counter word (a step
 * tensor must hold one value; its value is checked where it is read).
 */
export function checkRandomKey(op: string, shape: Shape, key: RandomKey): void {
  if (shape.length === 0 || key.seeds.length !== shape[0]) {
    throw new EngineError(
      `${op}: key has ${key.seeds.length} seeds but the output ${formatShape(shape)} has ${shape[0] ?? 'no'} batch members`,
    );
  }
  if (typeof key.step !== 'number') {
    if (key.step.size !== 1)
      throw new EngineError(`${op}: a key.step tensor must hold one value, got ${formatShape(key.step.shape)}`);
    return;
  }
  checkStepValue(op, key.step, 0xffffffff);
}

/** A random stream's step: an integer in 0..max (2³²−1 as a number, 2²⁴ read from a float32 tensor). */
export function checkStepValue(op: string, step: number, max: number): void {
  if (!Number.isInteger(step) || step < 0 || step > max) {
    throw new EngineError(
      `${op}: key.step must be an integer in 0..${max === 0xffffffff ? '2^32−1' : '2^24'}, got ${step}`,
    );
  }
}

/** Adam's step: a whole number ≥ 1, or a [2] tensor of bias corrections. */
export function checkAdamStep(hyper: AdamHyper): void {
  if ('corrections' in hyper) {
    if (hyper.corrections.size !== 2)
      throw new EngineError(
        `adamUpdate: corrections must be a [2] tensor (1 − β1ᵗ, 1 − β2ᵗ), got ${formatShape(hyper.corrections.shape)}`,
      );
  } else if (!Number.isInteger(hyper.step) || hyper.step < 1) {
    throw new EngineError(`adamUpdate: step must be an integer ≥ 1, got ${hyper.step}`);
  }
}

/** mse's operands: pred [B, N, C], target [B|1, N, C], mask [B|1, N, 1]; returns [B, N, C]. */
export function checkMseShapes(pred: Shape, target: Shape, mask: Shape | undefined): [number, number, number] {
  if (pred.length !== 3) throw new EngineError(`mse: pred ${formatShape(pred)} must be [B,N,C]`);
  const dims = pred as [number, number, number];
  checkBatchOneOrB('target', pred, target, dims[2]);
  if (mask) checkBatchOneOrB('mask', pred, mask, 1);
  return dims;
}

/** mse's `other` operand (target or mask) must be [B|1, N, cols] for pred [B, N, C]. */
function checkBatchOneOrB(what: string, pred: Shape, other: Shape, cols: number): void {
  const ok =
    other.length === 3 && (other[0] === pred[0] || other[0] === 1) && other[1] === pred[1] && other[2] === cols;
  if (!ok)
    throw new EngineError(
      `mse: ${what} ${formatShape(other)} must be [${pred[0]}|1,${pred[1]},${cols}] for pred ${formatShape(pred)}`,
    );
}

/**
 * weightedSum's arguments: 1 to 4 terms of one shape, one weight each; numeric weights finite,
 * tensor weights [1] and all the same tensor, which is returned (null when every weight is a number).
 */
export function checkWeightedSum(
  terms: readonly RawTensor[],
  weights: readonly (number | RawTensor)[],
): RawTensor | null {
  if (terms.length < 1 || terms.length > 4)
    throw new EngineError(`weightedSum: takes 1 to 4 terms, got ${terms.length}`);
  if (weights.length !== terms.length)
    throw new EngineError(`weightedSum: ${terms.length} terms but ${weights.length} weights`);
  terms.forEach((t, i) => {
    if (!sameShape(t.shape, terms[0]!.shape)) {
      throw new EngineError(
        `weightedSum: term ${i} ${formatShape(t.shape)} differs from term 0 ${formatShape(terms[0]!.shape)}`,
      );
    }
  });
  return checkSumWeights('weightedSum', weights);
}

/**
 * The weights of weightedSum or weightedSumGrad: 1 to 4, numeric ones finite, tensor ones [1] and
 * all the same tensor, which is returned (null when every weight is a number).
 */
export function checkSumWeights(op: string, weights: readonly (number | RawTensor)[]): RawTensor | null {
  if (weights.length < 1 || weights.length > 4) {
    throw new EngineError(`${op}: takes 1 to 4 weights, got ${weights.length}`);
  }
  let factor: RawTensor | null = null;
  weights.forEach((w, i) => {
    if (typeof w === 'number') {
      if (!Number.isFinite(w)) throw new EngineError(`${op}: weight ${i} must be a finite number, got ${w}`);
      return;
    }
    if (w.size !== 1) throw new EngineError(`${op}: weight ${i} must be a [1] tensor, got ${formatShape(w.shape)}`);
    if (factor !== null && factor !== w) {
      throw new EngineError(`${op}: tensor weights must all be the same tensor (weight ${i} is another)`);
    }
    factor = w;
  });
  return factor;
}

/** Checks a shape is rank 0–4 with non-negative integer sizes; returns a frozen copy. */
export function checkShape(op: string, shape: Shape): Shape {
  if (shape.length > MAX_RANK) {
    throw new EngineError(
      `${op}: shape ${formatShape(shape)} has rank ${shape.length}; the engine supports rank 0–${MAX_RANK}`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new EngineError(`${op}: shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
  return Object.freeze([...shape]);
}

/** Throws unless the two shapes are identical (ops without broadcasting). */
export function requireSameShape(op: string, what: string, a: Shape, b: Shape): void {
  if (!sameShape(a, b)) {
    throw new EngineError(`${op}: ${what} must have the same shape: ${formatShape(a)} vs ${formatShape(b)}`);
  }
}

/** Number of elements, checked against the data length. */
export function checkDataLength(op: string, data: Float32Array, shape: Shape): void {
  if (data.length !== shapeSize(shape)) {
    throw new EngineError(
      `${op}: ${data.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} values)`,
    );
  }
}

/** A view's offset is a whole multiple of VIEW_ALIGNMENT and its shape fits inside the source; returns the shape. */
export function checkView(source: RawTensor, offset: number, shape: Shape): Shape {
  const checked = checkShape('view', shape);
  if (!Number.isInteger(offset) || offset < 0 || offset % VIEW_ALIGNMENT !== 0) {
    throw new EngineError(`view: offset ${offset} must be a whole multiple of ${VIEW_ALIGNMENT} elements`);
  }
  if (offset + shapeSize(checked) > source.size) {
    const end = `the end of ${formatShape(source.shape)} (${source.size} values)`;
    throw new EngineError(`view: ${formatShape(checked)} at offset ${offset} runs past ${end}`);
  }
  return checked;
}

/** A primitive's `output` (or matmul's addend): live (checked by the caller) and of the result's shape. */
export function checkOutput(op: string, output: RawTensor, shape: Shape, what = 'output'): void {
  if (!sameShape(output.shape, shape)) {
    const given = `${what} ${formatShape(output.shape)}`;
    throw new EngineError(`${op}: ${given} must have the result's shape ${formatShape(shape)}`);
  }
}
