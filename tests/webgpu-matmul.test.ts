/**
 * Batched matmul on the webgpu backend (Dawn; lavapipe here) against the cpu reference: every
 * variant the adapter can run (subgroups where it has a fixed subgroup size, as lavapipe does),
 * every transpose combination, batch broadcasting, bias and each fused activation, on shapes that
 * are not multiples of any tile (64×64; 24×32, 32×16 and 24×64 for the subgroup tiles, op(B) read
 * as vec4 along its rows or, transposed, its columns). Tolerance: |gpu − cpu| ≤ 1e-4·(1 + |cpu|)
 * (K ≤ 1000, inputs in [−1, 1)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type Activation, type RawTensor, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import type { GpuTensor } from '../src/engine/webgpu/gpu-tensor';
import {
  launchMatmul,
  launchMatmulWithColumnSums,
  subgroupTile,
  type MatmulVariant,
} from '../src/engine/webgpu/kernels/matmul';
import { expectClose, openGpu, uploadBoth } from './helpers/gpu';

const TOLERANCE = 1e-4;
const VARIANTS: readonly MatmulVariant[] = ['subgroups', 'registers', 'tiled'];

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

interface Case {
  a: Shape;
  b: Shape;
  transA?: boolean;
  transB?: boolean;
  bias?: Shape;
  activation?: Activation;
}

let seed = 1;

/** Runs one case on the cpu and with `variant` on the gpu, and compares. */
async function check(variant: MatmulVariant, c: Case): Promise<void> {
  const [ca, ga] = uploadBoth([cpu, gpu], c.a, seed++);
  const [cb, gb] = uploadBoth([cpu, gpu], c.b, seed++);
  const [cbias, gbias] = c.bias ? uploadBoth([cpu, gpu], c.bias, seed++) : [undefined, undefined];
  const options = { transA: c.transA ?? false, transB: c.transB ?? false, activation: c.activation ?? 'none' };
  const expected = cpu.matmul(ca!, cb!, { ...options, bias: cbias });
  const actual = launchMatmul(gpu, variant, ga as GpuTensor, gb as GpuTensor, {
    ...options,
    bias: gbias as GpuTensor | undefined,
  });
  expect(actual.shape).toEqual(expected.shape);
  const what = `${variant} A${JSON.stringify(c.a)} B${JSON.stringify(c.b)} ${JSON.stringify(options)} bias ${JSON.stringify(c.bias)}`;
  expectClose(await gpu.read(actual), await cpu.read(expected), TOLERANCE, what);
  for (const t of [ga, gb, gbias, actual]) if (t) gpu.release(t);
}

describe.each(VARIANTS)('matmul, %s variant', (variant) => {
  it('runs on this adapter (lavapipe has subgroups of one size)', () => {
    if (variant === 'subgroups') expect(gpu.subgroupSize, 'subgroup size').not.toBeNull();
  });

  it('handles sizes 1, 3, 16, 17, 68, 910, 1000 that are not multiples of the tile', async () => {
    await check(variant, { a: [2, 66, 256], b: [2, 256, 16] });
    await check(variant, { a: [2, 66, 256], b: [2, 16, 256], transB: true });
    await check(variant, { a: [1, 33, 16], b: [1, 16, 1] });
    await check(variant, { a: [1, 1], b: [1, 1] });
    await check(variant, { a: [3, 17], b: [17, 68] });
    await check(variant, { a: [1, 68, 910], b: [1, 910, 17] });
    await check(variant, { a: [17, 1000], b: [1000, 3] });
    await check(variant, { a: [1, 910, 68], b: [1, 68, 1000] });
    await check(variant, { a: [1, 1000], b: [1000, 910] });
  });

  it('covers every transpose combination, batched', async () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a: Shape = transA ? [3, 68, 17] : [3, 17, 68];
        const b: Shape = transB ? [3, 5, 68] : [3, 68, 5];
        await check(variant, { a, b, transA, transB });
      }
    }
    await check(variant, { a: [2, 130, 70], b: [2, 66, 130], transA: true, transB: true });
  });

  it('broadcasts a batch-1 operand over batches 3 and 64', async () => {
    await check(variant, { a: [1, 17, 68], b: [3, 68, 5] });
    await check(variant, { a: [3, 17, 68], b: [1, 68, 5] });
    await check(variant, { a: [64, 68, 3], b: [68, 16], transA: true });
    await check(variant, { a: [64, 17, 68], b: [64, 68, 16], bias: [64, 1, 16], activation: 'tanh' });
  });

  it('adds a per-batch or shared bias and applies each activation', async () => {
    const activations: Activation[] = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'];
    for (const activation of activations) {
      await check(variant, { a: [3, 17, 68], b: [3, 68, 70], bias: [3, 1, 70], activation });
      await check(variant, { a: [3, 17, 68], b: [68, 70], bias: [1, 1, 70], activation, transB: false });
    }
  });

  it('handles outputs whose columns are a multiple of 4 (the subgroups variant reads op(B) as vec4 there)', async () => {
    await check(variant, { a: [3, 17, 68], b: [3, 68, 20] }); // 20 columns: one partial 64-column tile
    await check(variant, { a: [1, 66, 787], b: [2, 787, 256] }); // X·W1 of 2 models sharing X
    await check(variant, { a: [2, 66, 787], b: [2, 66, 256], transA: true }); // a weight gradient
    await check(variant, { a: [1, 25, 9], b: [4, 9, 132], bias: [4, 1, 132], activation: 'relu' });
    await check(variant, { a: [2, 9, 33], b: [1, 9, 68], transA: true, bias: [1, 1, 68], activation: 'softplus' });
    await check(variant, { a: [2, 3, 0], b: [2, 0, 24], bias: [2, 1, 24], activation: 'tanh' });
  });

  it('handles a transposed op(B) whose rows are whole vec4s (the subgroups variant reads them as vec4 there)', async () => {
    await check(variant, { a: [2, 66, 16], b: [2, 256, 16], transB: true }); // dμ·Wμᵀ
    await check(variant, { a: [1, 66, 256], b: [3, 76, 256], transB: true }); // P·Wd2ᵀ of 3 models at 76 genes
    await check(variant, {
      a: [3, 20, 17],
      b: [3, 36, 20],
      transA: true,
      transB: true,
      bias: [3, 1, 36],
      activation: 'relu',
    });
    await check(variant, { a: [2, 25, 4], b: [1, 68, 4], transB: true }); // 68 columns: a partial tile at the edge
    await check(variant, { a: [1, 1, 1000], b: [1, 33, 1000], transB: true });
  });

  it('adds an addend after the product, as a separate add does (bit for bit on each backend)', async () => {
    const cases: Case[] = [
      { a: [2, 66, 16], b: [2, 256, 16], transB: true },
      { a: [2, 9, 8], b: [2, 76, 8], transB: true },
      { a: [3, 17, 5], b: [3, 5, 12] },
      { a: [1, 7, 9], b: [2, 9, 3] },
      { a: [2, 5, 17], b: [2, 5, 256], transA: true, bias: [2, 1, 256], activation: 'relu' },
    ];
    for (const c of cases) {
      const [ca, ga] = uploadBoth([cpu, gpu], c.a, seed++);
      const [cb, gb] = uploadBoth([cpu, gpu], c.b, seed++);
      const [cbias, gbias] = c.bias ? uploadBoth([cpu, gpu], c.bias, seed++) : [undefined, undefined];
      const options = { transA: c.transA ?? false, transB: c.transB ?? false, activation: c.activation ?? 'none' };
      const shape = cpu.matmul(ca!, cb!, { ...options, bias: cbias }).shape;
      const [cadd, gadd] = uploadBoth([cpu, gpu], shape, seed++);
      const what = `${variant} A${JSON.stringify(c.a)} B${JSON.stringify(c.b)} ${JSON.stringify(options)} + addend`;
      const cpuFused = await cpu.read(cpu.matmul(ca!, cb!, { ...options, bias: cbias, addend: cadd }));
      const cpuSeparate = await cpu.read(cpu.binary('add', cadd!, cpu.matmul(ca!, cb!, { ...options, bias: cbias })));
      expect(Array.from(cpuFused), `cpu ${what}`).toEqual(Array.from(cpuSeparate));
      const launch = { ...options, bias: gbias as GpuTensor | undefined };
      const [left, right] = [ga as GpuTensor, gb as GpuTensor];
      const fused = launchMatmul(gpu, variant, left, right, { ...launch, addend: gadd as GpuTensor });
      const product = launchMatmul(gpu, variant, ga as GpuTensor, gb as GpuTensor, launch);
      const separate = gpu.binary('add', gadd!, product);
      const gpuFused = await gpu.read(fused);
      expect(Array.from(gpuFused), `webgpu ${what}`).toEqual(Array.from(await gpu.read(separate)));
      expectClose(gpuFused, cpuFused, TOLERANCE, what);
      for (const t of [ga, gb, gbias, gadd, fused, product, separate]) if (t) gpu.release(t);
    }
    const [x] = uploadBoth([gpu], [1, 3, 4], seed++);
    const wrongShape = /matmul: addend \[1,3,4\] must have the result's shape \[1,3,3\]/;
    expect(() => gpu.matmul(x!, x!, { transB: true, addend: x })).toThrow(wrongShape);
    gpu.release(x!);
  });

  it('returns act(bias) when K is 0 and an empty result when M is 0', async () => {
    await check(variant, { a: [2, 3, 0], b: [2, 0, 5], bias: [2, 1, 5], activation: 'sigmoid' });
    await check(variant, { a: [2, 0, 4], b: [2, 4, 5] });
  });
});

describe.each(VARIANTS)('matmul with column sums, %s variant', (variant) => {
  /** product = op(A)·op(B) and sums = 1ᵀ·op(B) against the cpu reference. */
  async function checkSums(c: { a: Shape; b: Shape; transA?: boolean; transB?: boolean }): Promise<void> {
    const [ca, ga] = uploadBoth([cpu, gpu], c.a, seed++);
    const [cb, gb] = uploadBoth([cpu, gpu], c.b, seed++);
    const options = { transA: c.transA ?? false, transB: c.transB ?? false };
    const expected = cpu.matmulWithColumnSums(ca!, cb!, options);
    const actual = launchMatmulWithColumnSums(gpu, variant, ga as GpuTensor, gb as GpuTensor, options);
    const what = `${variant} A${JSON.stringify(c.a)} B${JSON.stringify(c.b)} ${JSON.stringify(options)}`;
    expect(actual.columnSums.shape).toEqual(expected.columnSums.shape);
    expectClose(await gpu.read(actual.product), await cpu.read(expected.product), TOLERANCE, `${what} product`);
    expectClose(
      await gpu.read(actual.columnSums),
      await cpu.read(expected.columnSums),
      TOLERANCE,
      `${what} column sums`,
    );
    for (const t of [ga, gb, actual.product, actual.columnSums]) gpu.release(t as RawTensor);
  }

  it('adds the row of ones on awkward shapes, every transpose, batch-1 operands', async () => {
    await checkSums({ a: [1, 66, 75], b: [3, 66, 256], transA: true }); // dW1 and db1 of 3 models sharing X
    await checkSums({ a: [2, 66, 16], b: [2, 66, 1], transA: true });
    await checkSums({ a: [2, 17, 1], b: [2, 17, 5], transA: true });
    await checkSums({ a: [1, 15], b: [15, 64] }); // m + 1 fills a 16-row tile exactly
    await checkSums({ a: [3, 63, 9], b: [3, 9, 70] });
    await checkSums({ a: [2, 9, 33], b: [2, 70, 9], transA: true, transB: true });
    await checkSums({ a: [2, 5, 0], b: [2, 0, 7] }); // K = 0: zero product and sums
    await checkSums({ a: [1, 66, 787], b: [2, 66, 256], transA: true }); // vec4 op(B) on the subgroups variant
    await checkSums({ a: [2, 23, 5], b: [2, 5, 36] });
    await checkSums({ a: [2, 12, 7], b: [2, 36, 12], transA: true, transB: true }); // vec4 op(B) columns
    await checkSums({ a: [1, 7, 12], b: [2, 36, 12], transB: true });
  });
});

describe('subgroup tile choice', () => {
  it('reads op(B) as vec4 only where every row of it starts on a vec4', () => {
    expect(subgroupTile(16, 66, false, 8)).toBe('narrow');
    expect(subgroupTile(20, 66, false, 8)).toBe('vec4');
    expect(subgroupTile(256, 75, false, 8)).toBe('vec4');
    expect(subgroupTile(787, 256, false, 8)).toBe('wide');
    expect(subgroupTile(70, 16, false, 8)).toBe('wide');
    // Bᵀ: op(B)'s columns are B's rows, whole vec4s when k is a multiple of 4
    expect(subgroupTile(256, 16, true, 8)).toBe('vec4Transposed');
    expect(subgroupTile(75, 256, true, 8)).toBe('wide'); // rows of C not on vec4s
    expect(subgroupTile(256, 75, true, 8)).toBe('wide');
    expect(subgroupTile(16, 256, true, 8)).toBe('narrow');
  });
});

describe('matmul shape errors', () => {
  it('names the op and both shapes for mismatched inner dimensions and batches', () => {
    const a = gpu.fill([2, 3, 4], 1);
    const b = gpu.fill([3, 5, 6], 1);
    expect(() => gpu.matmul(a, b)).toThrow(EngineError);
    expect(() => gpu.matmul(a, b)).toThrow(/matmul: inner dimensions differ: A \[2,3,4\] vs B \[3,5,6\]/);
    const c = gpu.fill([3, 4, 6], 1);
    expect(() => gpu.matmul(a, c)).toThrow(/matmul: batch sizes differ/);
    for (const t of [a, b, c]) gpu.release(t);
  });

  it('uses the variant picked for the adapter unless one is forced', () => {
    const expected = !gpu.adapter.isCpu ? 'tiled' : gpu.subgroupSize === null ? 'registers' : 'subgroups';
    expect(gpu.matmulVariant).toBe(expected);
    expect(gpu.describe()).toContain(`matmul variant ${gpu.matmulVariant}`);
  });
});
