/**
 * Sum and mean reductions on the webgpu backend against the cpu reference (float64 sums): each
 * axis alone, axis sets, negative axes, full reductions, short (serial) and long (tree) ones.
 * Tolerance: |gpu − cpu| ≤ 1e-5·(1 + |cpu|) for ≤ 10⁵ values in [−1, 1); for 10⁶–10⁷ values the
 * tree's float32 error must stay within 1e-6 of the exact sum's scale, far below a serial sum's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type ReduceOp, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { expectClose, openGpu, seededValues, uploadBoth } from './helpers/gpu';

const TOLERANCE = 1e-5;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

async function check(op: ReduceOp, shape: Shape, axes: number[]): Promise<void> {
  const [c, g] = uploadBoth([cpu, gpu], shape, shape.length * 7 + axes.length);
  const expected = cpu.reduce(op, c!, axes);
  const actual = gpu.reduce(op, g!, axes);
  expect(actual.shape).toEqual(expected.shape);
  expectClose(
    await gpu.read(actual),
    await cpu.read(expected),
    TOLERANCE,
    `${op} ${JSON.stringify(shape)} over ${JSON.stringify(axes)}`,
  );
  gpu.release(actual);
  gpu.release(g!);
}

describe.each(['sum', 'mean'] as ReduceOp[])('reduce %s', (op) => {
  it('reduces each axis of a rank-4 tensor alone, keeping it as size 1', async () => {
    for (const axis of [0, 1, 2, 3]) await check(op, [3, 5, 68, 17], [axis]);
  });

  it('reduces sets of axes, negative axes and everything', async () => {
    await check(op, [3, 68, 16], [1]); // a bias gradient: serial path
    await check(op, [3, 68, 16], [0, 1]);
    await check(op, [3, 68, 16], [-1, 0]);
    await check(op, [2, 3, 5, 7], [0, 2]);
    await check(op, [2, 3, 5, 7], [1, 3]);
    await check(op, [2, 3, 5, 7], [0, 1, 2, 3]);
    await check(op, [1000, 91], [0]); // long: tree path, 91 outputs
    await check(op, [7, 3000], [-1]);
    await check(op, [3, 1000, 17], [1]);
    await check(op, [101_000], [0]);
  });

  it('handles size-1 and empty axes and rank-0 tensors', async () => {
    await check(op, [1, 1, 5], [0, 1]);
    await check(op, [4, 1], [1]);
    await check(op, [], []);
    await check(op, [0, 3], [1]);
  });
});

describe('full reductions of large arrays', () => {
  it('sums 10⁶ and 10⁷ values accurately (a tree of float32 partial sums)', async () => {
    for (const count of [1_000_000, 10_000_000]) {
      const values = seededValues(count, count, 0, 1);
      let exact = 0;
      for (const v of values) exact += v;
      const t = gpu.upload(values, [count]);
      const before = gpu.dispatchCount;
      const total = gpu.reduce('sum', t, [0]);
      // chunks of 1024 per pass: 10⁶ → 977 → 1, 10⁷ → 9766 → 10 → 1
      expect(gpu.dispatchCount - before).toBe(count === 1_000_000 ? 2 : 3);
      const [sum] = await gpu.read(total);
      // a serial float32 sum of 10⁷ values in [0,1) drifts by ~1e-3 relative; the tree by ~1e-7
      expect(Math.abs(sum! - exact) / exact).toBeLessThan(1e-6);
      const mean = gpu.reduce('mean', t, [-1]);
      expect(Math.abs((await gpu.read(mean))[0]! - exact / count)).toBeLessThan(1e-6 * (exact / count));
      for (const r of [t, total, mean]) gpu.release(r);
    }
  });
});

describe('reduce axis errors', () => {
  it('rejects out-of-range and repeated axes, naming them and the shape', () => {
    const t = gpu.fill([2, 3], 1);
    expect(() => gpu.reduce('sum', t, [2])).toThrow(EngineError);
    expect(() => gpu.reduce('sum', t, [2])).toThrow(/reduce sum: axis 2 is out of range for shape \[2,3\]/);
    expect(() => gpu.reduce('mean', t, [1, -1])).toThrow(/reduce mean: axis -1 is listed twice/);
    gpu.release(t);
  });
});
