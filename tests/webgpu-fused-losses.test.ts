/**
 * Fused masked MSE and Gaussian KL on the webgpu backend against the cpu reference (float64 sums):
 * batch-B and broadcast batch-1 targets and masks, no mask, an all-zero mask, members of one
 * workgroup and of many (partial sums, then a reduce). Values: |Δ| ≤ 1e-5·(1 + |cpu|). Gradients
 * are O(1/count), so they are compared after multiplying by the member's denominator (D for mse,
 * S = N·K for kl): |Δ| ≤ 2e-6·(1 + |cpu|) on those O(1) numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, shapeSize, type RawTensor, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { expectClose, openGpu, seededValues, uploadBoth } from './helpers/gpu';

const VALUE_TOLERANCE = 1e-5;
const GRAD_TOLERANCE = 2e-6;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

/** Each row of member b multiplied by factors[b] (one factor per batch member). */
function perMember(values: Float32Array, factors: readonly number[]): Float32Array {
  const size = values.length / factors.length;
  return values.map((v, i) => v * factors[Math.floor(i / size)]!);
}

/** A 0/1 mask [members, N, 1]; member 1 (when there is one) keeps nothing. */
function maskValues(members: number, n: number, seed: number): Float32Array {
  const mask = seededValues(members * n, seed, 0, 1).map((u) => (u < 0.6 ? 1 : 0));
  if (members > 1) mask.fill(0, n, 2 * n);
  return mask;
}

type MaskKind = 'none' | 'batch' | 'broadcast';

async function checkMse(shape: [number, number, number], targetBatch: number, maskKind: MaskKind): Promise<number> {
  const [batch, n, c] = shape;
  const what = `mse ${JSON.stringify(shape)} target batch ${targetBatch}, mask ${maskKind}`;
  const [cp, gp] = uploadBoth([cpu, gpu], shape, batch * 7 + n + c);
  const [ct, gt] = uploadBoth([cpu, gpu], [targetBatch, n, c], n + c);
  const maskBatch = maskKind === 'broadcast' ? 1 : batch;
  const maskData = maskKind === 'none' ? null : maskValues(maskBatch, n, n * 3 + c);
  const [cm, gm] = maskData
    ? [cpu.upload(maskData, [maskBatch, n, 1]), gpu.upload(maskData, [maskBatch, n, 1])]
    : [undefined, undefined];
  const live = gpu.liveTensors;
  const before = gpu.dispatchCount;
  const expected = cpu.mse(cp!, ct!, cm);
  const actual = gpu.mse(gp!, gt!, gm);
  const dispatches = gpu.dispatchCount - before;
  expect(actual.value.shape, what).toEqual([batch]);
  expect(actual.grad.shape, what).toEqual(shape);
  expectClose(await gpu.read(actual.value), await cpu.read(expected.value), VALUE_TOLERANCE, `${what} value`);
  const denominators = Array.from({ length: batch }, (_, b) => {
    if (!maskData) return Math.max(1, c * n);
    const row = maskBatch === 1 ? 0 : b;
    return Math.max(1, c * maskData.subarray(row * n, (row + 1) * n).reduce((s, m) => s + m, 0));
  });
  const [g, e] = [await gpu.read(actual.grad), await cpu.read(expected.grad)];
  expectClose(perMember(g, denominators), perMember(e, denominators), GRAD_TOLERANCE, `${what} grad·D`);
  expect(gpu.liveTensors, what).toBe(live + 2);
  for (const t of [actual.value, actual.grad, gp!, gt!, gm].filter((x): x is RawTensor => x !== undefined))
    gpu.release(t);
  return dispatches;
}

describe('mse on webgpu vs cpu', () => {
  it('matches with batch-B and broadcast targets and masks, and without a mask', async () => {
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [3, 17, 16],
      [64, 68, 1],
      [3, 1, 5],
    ];
    for (const shape of shapes) {
      for (const targetBatch of [shape[0], 1]) {
        for (const mask of ['none', 'batch', 'broadcast'] as MaskKind[]) await checkMse(shape, targetBatch, mask);
      }
    }
  });

  it('gives value 0 and gradient 0 for a member whose mask is all zero', async () => {
    const [p, t] = [gpu.fill([2, 5, 3], 2), gpu.fill([1, 5, 3], -1)];
    const mask = gpu.upload(Float32Array.from([1, 0, 1, 1, 0, 0, 0, 0, 0, 0]), [2, 5, 1]);
    const { value, grad } = gpu.mse(p, t, mask);
    expect(Array.from(await gpu.read(value))).toEqual([9, 0]); // 9 entries of (2+1)² over D = 3·3
    expect(Array.from((await gpu.read(grad)).subarray(15))).toEqual(new Array(15).fill(0));
    for (const x of [p, t, mask, value, grad]) gpu.release(x);
  });

  it('handles members longer than one workgroup (8192) in a second pass', async () => {
    expect(await checkMse([2, 68, 910], 1, 'batch')).toBe(2);
    expect(await checkMse([3, 1000, 16], 3, 'broadcast')).toBe(2);
    expect(await checkMse([1, 1000, 4], 1, 'none')).toBe(1);
    // the shipped expression, 66 × 75 = 4,950 per member: one pass; one element past a workgroup: two
    expect(await checkMse([1, 66, 75], 1, 'none')).toBe(1);
    expect(await checkMse([1, 8193, 1], 1, 'none')).toBe(2);
  });

  it('returns an empty value for B = 0 and 0 for N = 0', async () => {
    for (const shape of [
      [0, 5, 2],
      [2, 0, 3],
    ]) {
      const p = gpu.fill(shape, 1);
      const { value, grad } = gpu.mse(p, p);
      expect(Array.from(await gpu.read(value))).toEqual(new Array(shape[0]).fill(0));
      expect(grad.size).toBe(0);
      for (const t of [p, value, grad]) gpu.release(t);
    }
  });

  it('rejects targets and masks of the wrong shape', () => {
    const p = gpu.fill([3, 5, 2], 0);
    const wrongs: [Shape, Shape | null][] = [
      [[2, 5, 2], null],
      [[3, 5, 3], null],
      [
        [3, 5, 2],
        [3, 5, 2],
      ],
      [
        [1, 5, 2],
        [2, 5, 1],
      ],
    ];
    for (const [targetShape, maskShape] of wrongs) {
      const t = gpu.fill(targetShape, 0);
      const m = maskShape ? gpu.fill(maskShape, 1) : undefined;
      expect(() => gpu.mse(p, t, m)).toThrow(EngineError);
      gpu.release(t);
      if (m) gpu.release(m);
    }
    const flat = gpu.fill([3, 10], 0);
    expect(() => gpu.mse(flat, flat)).toThrow(/must be \[B,N,C\]/);
    gpu.release(p);
    gpu.release(flat);
  });
});

async function checkKl(shape: Shape): Promise<number> {
  const what = `kl ${JSON.stringify(shape)}`;
  const [cm, gm] = uploadBoth([cpu, gpu], shape, shapeSize(shape), -2, 2);
  const [cv, gv] = uploadBoth([cpu, gpu], shape, shapeSize(shape) + 5, -3, 3);
  const live = gpu.liveTensors;
  const before = gpu.dispatchCount;
  const expected = cpu.kl(cm!, cv!);
  const actual = gpu.kl(gm!, gv!);
  const dispatches = gpu.dispatchCount - before;
  expect(actual.value.shape, what).toEqual([shape[0]]);
  expectClose(await gpu.read(actual.value), await cpu.read(expected.value), VALUE_TOLERANCE, `${what} value`);
  const count = new Array<number>(shape[0]!).fill(shapeSize(shape) / shape[0]!);
  expectClose(
    perMember(await gpu.read(actual.gradMu), count),
    perMember(await cpu.read(expected.gradMu), count),
    GRAD_TOLERANCE,
    `${what} gradMu·S`,
  );
  expectClose(
    perMember(await gpu.read(actual.gradLogVar), count),
    perMember(await cpu.read(expected.gradLogVar), count),
    GRAD_TOLERANCE,
    `${what} gradLogVar·S`,
  );
  expect(gpu.liveTensors, what).toBe(live + 3);
  for (const t of [actual.value, actual.gradMu, actual.gradLogVar, gm!, gv!]) gpu.release(t);
  return dispatches;
}

describe('kl on webgpu vs cpu', () => {
  it('matches on [B, N, K] shapes, rank 2 and rank 1', async () => {
    for (const shape of [[1, 1, 1], [3, 17, 16], [64, 68, 16], [5, 7], [9]] as Shape[]) {
      expect(await checkKl(shape)).toBe(1);
    }
  });

  it('handles members longer than one workgroup in a second pass', async () => {
    expect(await checkKl([2, 1000, 16])).toBe(2);
  });

  it('is 0 with zero gradients at the prior μ = 0, logσ² = 0', async () => {
    const [mu, logVar] = [gpu.fill([2, 68, 16], 0), gpu.fill([2, 68, 16], 0)];
    const { value, gradMu, gradLogVar } = gpu.kl(mu, logVar);
    for (const t of [value, gradMu, gradLogVar]) expect((await gpu.read(t)).every((x) => x === 0)).toBe(true); // ±0
    for (const t of [mu, logVar, value, gradMu, gradLogVar]) gpu.release(t);
  });

  it('rejects μ and logσ² of different shapes', () => {
    const [mu, logVar] = [gpu.fill([2, 3, 4], 0), gpu.fill([2, 4, 3], 0)];
    expect(() => gpu.kl(mu, logVar)).toThrow(/same shape/);
    gpu.release(mu);
    gpu.release(logVar);
  });
});
