/**
 * Views at offsets, primitives writing into a given output, and the parameter arena built on them:
 * the backward pass writes each gradient into its slot, and Adam then updates every parameter in
 * one pass — bit for bit what separate tensors give, on the cpu and on webgpu (one dispatch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, shapeSize, VIEW_ALIGNMENT, type Backend, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { matmul, mse } from '../src/engine/ops';
import { ParameterArena, arenaLayout } from '../src/engine/parameter-arena';
import type { Tensor } from '../src/engine/tensor';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { Adam } from '../src/model/adam';
import { expectSameBits, openGpu, seededValues } from './helpers/gpu';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

const backends = (): [string, Backend][] => [
  ['cpu', new CpuBackend()],
  ['webgpu', gpu],
];

describe('views at offsets', () => {
  it('read, write and feed kernels in place; a matmul, column sums and a reduce write into views', async () => {
    for (const [name, backend] of backends()) {
      const arena = backend.upload(seededValues(4 * VIEW_ALIGNMENT, 1), [4 * VIEW_ALIGNMENT]);
      const a = backend.view(arena, VIEW_ALIGNMENT, [1, 3, 5]);
      const b = backend.view(arena, 2 * VIEW_ALIGNMENT, [1, 5, 2]);
      const aCopy = backend.upload(await backend.read(a), [1, 3, 5]);
      const bCopy = backend.upload(await backend.read(b), [1, 5, 2]);
      const values = seededValues(4 * VIEW_ALIGNMENT, 1);
      expect(await backend.read(a), name).toEqual(values.subarray(VIEW_ALIGNMENT, VIEW_ALIGNMENT + 15));

      const out = backend.fill([3 * VIEW_ALIGNMENT], 7);
      const productSlot = backend.view(out, 0, [1, 3, 2]);
      const sumsSlot = backend.view(out, VIEW_ALIGNMENT, [1, 1, 2]);
      const reduceSlot = backend.view(out, 2 * VIEW_ALIGNMENT, [1, 1, 5]);
      const written = backend.matmul(a, b, { output: productSlot });
      expect(backend.aliases(written, productSlot), name).toBe(true);
      const separate = backend.matmul(aCopy, bCopy);
      expectSameBits(await backend.read(written), await backend.read(separate), `${name} matmul into a view`);
      // [aᵀ·c; 1ᵀ·c] with c [1, 3, 2] another view of the arena
      const c = backend.view(arena, 3 * VIEW_ALIGNMENT, [1, 3, 2]);
      const cCopy = backend.upload(await backend.read(c), [1, 3, 2]);
      const into = { output: backend.view(out, 0, [1, 5, 2]), columnSumsOutput: sumsSlot };
      const both = backend.matmulWithColumnSums(a, c, { transA: true, ...into });
      const plain = backend.matmulWithColumnSums(aCopy, cCopy, { transA: true });
      expectSameBits(
        await backend.read(both.product),
        await backend.read(plain.product),
        `${name} product into a view`,
      );
      expectSameBits(
        await backend.read(sumsSlot),
        await backend.read(plain.columnSums),
        `${name} column sums into a view`,
      );
      backend.reduce('sum', a, [1], { output: reduceSlot });
      const summed = backend.reduce('sum', aCopy, [1]);
      expectSameBits(await backend.read(reduceSlot), await backend.read(summed), `${name} reduce into a view`);
      // what lies around the views is untouched
      const all = await backend.read(out);
      expect(all[VIEW_ALIGNMENT - 1], name).toBe(7);
      expect(all[VIEW_ALIGNMENT + 2], name).toBe(7);
      expect(all[2 * VIEW_ALIGNMENT + 5], name).toBe(7);

      backend.write(b, new Float32Array(10).fill(2));
      expect((await backend.read(arena))[2 * VIEW_ALIGNMENT + 9], name).toBe(2);
      expect((await backend.read(arena))[2 * VIEW_ALIGNMENT + 10], name).not.toBe(2);
    }
  });

  it('refuses unaligned offsets, views past the end and outputs of the wrong shape', () => {
    for (const [name, backend] of backends()) {
      const arena = backend.fill([2 * VIEW_ALIGNMENT], 0);
      expect(() => backend.view(arena, 3, [2]), name).toThrow(/view: offset 3 must be a whole multiple of 64 elements/);
      const pastTheEnd = /view: \[65\] at offset 64 runs past the end of \[128\]/;
      expect(() => backend.view(arena, VIEW_ALIGNMENT, [65]), name).toThrow(pastTheEnd);
      const a = backend.fill([1, 2, 3], 1);
      expect(() => backend.matmul(a, a, { transB: true, output: backend.view(arena, 0, [1, 2, 3]) }), name).toThrow(
        EngineError,
      );
      expect(() => backend.reduce('sum', a, [1], { output: backend.view(arena, 0, [1, 2, 3]) }), name).toThrow(
        /reduce sum: output \[1,2,3\] must have the result's shape \[1,1,3\]/,
      );
    }
  });
});

describe('parameter arena', () => {
  const shapes: Shape[] = [
    [2, 5, 4],
    [2, 1, 4],
    [2, 4, 3],
    [2, 1, 3],
  ];
  const x = seededValues(2 * 6 * 5, 11);
  const target = seededValues(2 * 6 * 3, 12);

  /** Three Adam steps of a two-layer model; its parameters in an arena or as separate tensors. */
  async function train(
    backend: Backend,
    inArena: boolean,
    reuseFirstWeight = false,
  ): Promise<{ weights: Float32Array[]; adamDispatches: number }> {
    const engine = new Engine(backend);
    const blocks = shapes.map((shape, i) => ({ data: seededValues(shapeSize(shape), 20 + i, -0.5, 0.5), shape }));
    const arena = inArena ? new ParameterArena(engine, blocks) : null;
    const params: Tensor[] = arena ? arena.params : blocks.map((b) => engine.param(b.data, b.shape));
    const settings = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };
    const adam = new Adam(arena ?? params, settings);
    const xs = engine.tensor(x, [2, 6, 5]);
    const ys = engine.tensor(target, [2, 6, 3]);
    const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
    let adamDispatches = 0;
    for (let step = 1; step <= 3; step++) {
      engine.tidy(() => {
        engine.zeroGrad(params);
        const h = matmul(xs, w1, { bias: b1, activation: 'relu' });
        // reusing W1 gives it two gradient contributions: its slot cannot take the first alone
        const input = reuseFirstWeight ? matmul(h, w1, { transB: true }) : xs;
        const hidden = reuseFirstWeight ? matmul(input, w1, { bias: b1, activation: 'relu' }) : h;
        engine.backward(mse(matmul(hidden, w2, { bias: b2 }), ys));
        if (arena) expect(arena.gradientsInSlots).toBe(!reuseFirstWeight);
        const before = backend.name === 'webgpu' ? (backend as WebGpuBackend).dispatchCount : 0;
        adam.step(step);
        if (backend.name === 'webgpu') adamDispatches = (backend as WebGpuBackend).dispatchCount - before;
      });
    }
    const weights = await Promise.all(params.map((p) => p.read()));
    adam.dispose();
    if (arena) arena.dispose();
    else for (const p of params) p.dispose();
    xs.dispose();
    ys.dispose();
    return { weights, adamDispatches };
  }

  it('lays parameters out at multiples of VIEW_ALIGNMENT', () => {
    expect(arenaLayout([[2, 5, 4], [1], [64], [65]])).toEqual({ offsets: [0, 64, 128, 192], length: 320 });
  });

  it('backward writes every gradient into its slot; Adam over the arena is Adam per tensor, bit for bit', async () => {
    for (const [name, backend] of backends()) {
      const live = (backend as unknown as { liveTensors: number }).liveTensors;
      const separate = await train(backend, false);
      const packed = await train(backend, true);
      packed.weights.forEach((w, i) => expectSameBits(w, separate.weights[i]!, `${name} parameter ${i}`));
      if (name === 'webgpu') expect(packed.adamDispatches, 'one Adam dispatch for the whole arena').toBe(1);
      expect((backend as unknown as { liveTensors: number }).liveTensors, `${name}: nothing left behind`).toBe(live);
    }
  });

  it('falls back to one update per parameter when a gradient did not land in its slot', async () => {
    for (const [name, backend] of backends()) {
      const separate = await train(backend, false, true);
      const packed = await train(backend, true, true);
      packed.weights.forEach((w, i) =>
        expectSameBits(w, separate.weights[i]!, `${name} parameter ${i}, W1 used twice`),
      );
    }
  });
});
