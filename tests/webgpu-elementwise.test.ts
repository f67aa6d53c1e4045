/**
 * Elementwise kernels on the webgpu backend against the cpu reference: every unary op, every
 * binary op under numpy broadcasting up to rank 4, activation gradients through the output, fill,
 * and upload/read round trips. Tolerance: |gpu − cpu| ≤ 2e-6·(1 + |cpu|) (one float32 op each,
 * up to a few ulps for the transcendental functions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type Activation, type BinaryOp, type Shape, type UnaryOp } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { opNames } from '../src/engine/op-codes';
import { UNARY_OPS } from '../src/engine/unary-ops';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { expectClose, expectSameBits, openGpu, seededValues, uploadBoth } from './helpers/gpu';

const TOLERANCE = 2e-6;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

describe('upload, fill, read', () => {
  it('round-trips values exactly, including empty and rank-0 tensors', async () => {
    for (const shape of [[], [0], [1], [3, 17], [2, 3, 5, 7]] as Shape[]) {
      const values = seededValues(
        shape.reduce((p, d) => p * d, 1),
        5,
        -1e6,
        1e6,
      );
      const t = gpu.upload(values, shape);
      expect(t.shape).toEqual(shape);
      expect(await gpu.read(t)).toEqual(values);
      gpu.release(t);
    }
  });

  it('copies SharedArrayBuffer views instead of handing them to the queue', async () => {
    const shared = new Float32Array(new SharedArrayBuffer(4 * 10));
    shared.set(seededValues(10, 6));
    const t = gpu.upload(shared.subarray(2, 8), [6]);
    expect(await gpu.read(t)).toEqual(shared.slice(2, 8));
    gpu.release(t);
  });

  it('fills every element, past several workgroups', async () => {
    const t = gpu.fill([3, 1000], -2.5);
    expect(await gpu.read(t)).toEqual(new Float32Array(3000).fill(-2.5));
    gpu.release(t);
  });

  it('rejects data that does not fill the shape', () => {
    expect(() => gpu.upload(new Float32Array(5), [2, 3])).toThrow(/upload: 5 values do not fill shape \[2,3\]/);
  });
});

describe('unary ops', () => {
  const ops: [UnaryOp, number | undefined, number, number][] = [
    ['scale', -1.75, -3, 3],
    ['addScalar', 0.3, -3, 3],
    ['neg', undefined, -3, 3],
    ['exp', undefined, -20, 20],
    ['log', undefined, 1e-6, 50],
    ['sqrt', undefined, 0, 50],
    ['square', undefined, -30, 30],
    ['abs', undefined, -3, 3],
    ['relu', undefined, -3, 3],
    ['tanh', undefined, -30, 30],
    ['sigmoid', undefined, -100, 100],
    ['softplus', undefined, -100, 100],
  ];
  it.each(ops)('%s (alpha %s) matches the cpu over [%s, %s)', async (op, alpha, lo, hi) => {
    const [c, g] = uploadBoth([cpu, gpu], [3, 17, 70], 11, lo, hi);
    const actual = gpu.unary(op, g!, alpha);
    expect(actual.shape).toEqual([3, 17, 70]);
    expectClose(await gpu.read(actual), await cpu.read(cpu.unary(op, c!, alpha)), TOLERANCE, `unary ${op}`);
    gpu.release(actual);
    gpu.release(g!);
  });

  it('keeps tiny softplus values and saturating tanh/sigmoid accurate', async () => {
    const values = Float32Array.from([-90, -30, -17, -1e-3, 0, 1e-3, 17, 30, 90]);
    for (const op of ['softplus', 'tanh', 'sigmoid'] as UnaryOp[]) {
      const g = gpu.unary(op, gpu.upload(values, [9]));
      const expected = await cpu.read(cpu.unary(op, cpu.upload(values, [9])));
      const actual = await gpu.read(g);
      // relative to the value itself here: softplus(−30) ≈ 9.4e-14 must not come back as 0
      for (let i = 0; i < 9; i++)
        expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(expected[i]!) + 1e-30);
    }
  });

  it('covers every row of UNARY_OPS', () => {
    expect(ops.map(([op]) => op).sort()).toEqual(opNames(UNARY_OPS).slice().sort());
  });

  it('requires a finite alpha for scale and addScalar', () => {
    const t = gpu.fill([2], 1);
    expect(() => gpu.unary('scale', t)).toThrow(EngineError);
    expect(() => gpu.unary('addScalar', t, Number.NaN)).toThrow(/unary addScalar: alpha must be a finite number/);
    gpu.release(t);
  });
});

describe('binary ops with broadcasting', () => {
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];
  // the vec4 kernel takes equal shapes, one value and one value per member (also at member sizes
  // that are not multiples of 4, and flat sizes that leave a partial vec4); the rest are strided
  const shapes: [Shape, Shape][] = [
    [
      [3, 17, 5],
      [3, 17, 5],
    ],
    [
      [3, 17, 5],
      [3, 1, 1],
    ],
    [
      [5, 1, 1],
      [5, 3, 7],
    ],
    [
      [64, 66, 75],
      [64, 1, 1],
    ],
    [
      [3, 17, 5],
      [1, 1, 1],
    ],
    [
      [2, 2],
      [2, 1],
    ],
    [[1], [9]],
    [
      [3, 17, 5],
      [1, 1, 5],
    ],
    [
      [3, 17, 5],
      [17, 1],
    ],
    [
      [1, 17, 1],
      [3, 1, 5],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 5],
    ],
    [
      [2, 1, 4, 1],
      [1, 3, 1, 5],
    ],
    [[], [3, 4]],
    [[7], []],
    [[68, 1000], [1000]],
  ];
  for (const op of ops) {
    it(`${op} matches the cpu over equal, stretched and missing axes`, async () => {
      for (const [sa, sb] of shapes) {
        const [ca, ga] = uploadBoth([cpu, gpu], sa, 21, -2, 2);
        // keep divisors away from 0
        const [cb, gb] = uploadBoth([cpu, gpu], sb, 22, 0.5, 2);
        const expected = cpu.binary(op, ca!, cb!);
        const actual = gpu.binary(op, ga!, gb!);
        expect(actual.shape).toEqual(expected.shape);
        expectClose(
          await gpu.read(actual),
          await cpu.read(expected),
          TOLERANCE,
          `${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`,
        );
        for (const t of [ga!, gb!, actual]) gpu.release(t);
      }
    });
  }

  it('adds an addend as a separate add op would, bit for bit, on the vec4 and the strided kernels', async () => {
    // [B, N, K] ⊙ [B, 1, 1] (a gradient scaled per member: vec4), and a stretched middle axis (strided)
    const cases: [Shape, Shape][] = [
      [
        [3, 5, 7],
        [3, 1, 1],
      ],
      [
        [2, 3, 5],
        [2, 1, 5],
      ],
    ];
    for (const [sa, sb] of cases) {
      for (const b of [cpu, gpu] as (CpuBackend | WebGpuBackend)[]) {
        const [x] = uploadBoth([b], sa, 41, -2, 2);
        const [y] = uploadBoth([b], sb, 42, -2, 2);
        const [soFar] = uploadBoth([b], sa, 43, -2, 2);
        const fused = b.binary('mul', x!, y!, { addend: soFar! });
        const product = b.binary('mul', x!, y!);
        const chained = b.binary('add', soFar!, product);
        expectSameBits(
          await b.read(fused),
          await b.read(chained),
          `${b.name} ${JSON.stringify(sa)}·${JSON.stringify(sb)}`,
        );
        for (const t of [x!, y!, soFar!, fused, product, chained]) b.release(t);
      }
    }
    const a = gpu.fill([3, 4], 1);
    expect(() => gpu.binary('mul', a, a, { addend: gpu.fill([4, 3], 1) })).toThrow(/mul: addend \[4,3\] must have/);
    gpu.release(a);
  });

  it('names the op and both shapes when they do not broadcast', () => {
    const a = gpu.fill([3, 4], 1);
    const b = gpu.fill([5, 4, 2], 1);
    expect(() => gpu.binary('mul', a, b)).toThrow(/mul: shapes do not broadcast: \[3,4\] vs \[5,4,2\]/);
    gpu.release(a);
    gpu.release(b);
  });
});

describe('activation gradients through the output', () => {
  const activations: Activation[] = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'];
  it.each(activations)('%s: dy ⊙ act′ from y matches the cpu', async (activation) => {
    const [cx, gx] = uploadBoth([cpu, gpu], [5, 13, 17], 31, -4, 4);
    const [cdy, gdy] = uploadBoth([cpu, gpu], [5, 13, 17], 32);
    // y = act(x) on each backend, then the gradient from y
    const cy = activation === 'none' ? cx! : cpu.unary(activation, cx!);
    const gy = activation === 'none' ? gx! : gpu.unary(activation, gx!);
    const actual = gpu.activationGrad(activation, gy, gdy!);
    expectClose(
      await gpu.read(actual),
      await cpu.read(cpu.activationGrad(activation, cy, cdy!)),
      TOLERANCE,
      `activationGrad ${activation}`,
    );
  });

  it('rejects y and dy of different shapes', () => {
    const y = gpu.fill([2, 3], 1);
    const dy = gpu.fill([3, 2], 1);
    expect(() => gpu.activationGrad('tanh', y, dy)).toThrow(/activationGrad tanh: y and dy must have the same shape/);
  });
});
