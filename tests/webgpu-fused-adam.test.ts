/**
 * Fused Adam(W) on the webgpu backend against the cpu reference (float64 arithmetic, float32
 * state): several steps in place on param, m and v, plain Adam and decoupled weight decay, odd
 * sizes. After each step |Δ| ≤ 2e-6·(1 + |cpu|) for param and m; v (O(g²)) is compared as
 * v/(1 − β2) with the same tolerance. The update is one dispatch and allocates nothing; several
 * parameters of different sizes are updated up to three per dispatch, each as it would be alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, KernelError, shapeSize, type AdamHyper, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { adamSlots } from '../src/engine/webgpu/kernels/adam';
import { expectClose, openGpu, uploadBoth } from './helpers/gpu';

const TOLERANCE = 2e-6;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

async function checkSteps(shape: Shape, hyper: Omit<AdamHyper, 'step'>, steps: number): Promise<void> {
  const size = shapeSize(shape);
  const [cp, gp] = uploadBoth([cpu, gpu], shape, size);
  const [cm, gm] = [cpu.fill(shape, 0), gpu.fill(shape, 0)];
  const [cv, gv] = [cpu.fill(shape, 0), gpu.fill(shape, 0)];
  const live = gpu.liveTensors;
  for (let step = 1; step <= steps; step++) {
    const what = `${JSON.stringify(shape)} wd ${hyper.weightDecay} step ${step}`;
    const [cg, gg] = uploadBoth([cpu, gpu], shape, size + step, -2, 2);
    const before = gpu.dispatchCount;
    cpu.adamUpdate([{ param: cp!, grad: cg!, m: cm, v: cv }], { ...hyper, step });
    gpu.adamUpdate([{ param: gp!, grad: gg!, m: gm, v: gv }], { ...hyper, step });
    expect(gpu.dispatchCount - before, what).toBe(size === 0 ? 0 : 1);
    expectClose(await gpu.read(gp!), await cpu.read(cp!), TOLERANCE, `${what} param`);
    expectClose(await gpu.read(gm), await cpu.read(cm), TOLERANCE, `${what} m`);
    const scale = (v: Float32Array) => v.map((x) => x / (1 - hyper.beta2));
    expectClose(scale(await gpu.read(gv)), scale(await cpu.read(cv)), TOLERANCE, `${what} v/(1−β2)`);
    gpu.release(gg!);
    expect(gpu.liveTensors, `${what}: in place`).toBe(live);
  }
  for (const t of [gp!, gm, gv]) gpu.release(t);
}

const adam = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

describe('adamUpdate on webgpu vs cpu', () => {
  it('matches plain Adam over 5 steps on odd sizes', async () => {
    for (const shape of [[1], [3, 17, 16], [64, 68, 16], [100_003]] as Shape[]) await checkSteps(shape, adam, 5);
  });

  it('matches AdamW (decoupled weight decay) and other hyper-parameters', async () => {
    await checkSteps([3, 68, 9], { lr: 3e-3, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 }, 4);
  });

  it('updates 1 to 7 parameters of different sizes several per dispatch, each as the cpu does', async () => {
    const shapes: Shape[] = [[1], [3, 17, 16], [2, 0, 3], [1, 75, 256], [5], [64, 1, 16], [1, 1, 1]];
    for (const count of [1, 2, 3, 4, 7]) {
      const chosen = shapes.slice(0, count);
      const pairs = chosen.map((shape, k) => ({
        p: uploadBoth([cpu, gpu], shape, 300 + k),
        g: uploadBoth([cpu, gpu], shape, 400 + k, -2, 2),
        m: [cpu.fill(shape, 0), gpu.fill(shape, 0)],
        v: [cpu.fill(shape, 0), gpu.fill(shape, 0)],
      }));
      const sets = (b: 0 | 1) => pairs.map(({ p, g, m, v }) => ({ param: p[b]!, grad: g[b]!, m: m[b]!, v: v[b]! }));
      const before = gpu.dispatchCount;
      cpu.adamUpdate(sets(0), { ...adam, step: 1 });
      gpu.adamUpdate(sets(1), { ...adam, step: 1 });
      const nonEmpty = chosen.filter((shape) => shapeSize(shape) > 0).length;
      expect(gpu.dispatchCount - before, `${count} parameters`).toBe(
        Math.ceil(nonEmpty / adamSlots(gpu.maxStorageBuffersPerStage)),
      );
      for (const [k, { p, m, v }] of pairs.entries()) {
        const what = `${count} parameters, #${k} ${JSON.stringify(chosen[k])}`;
        expectClose(await gpu.read(p[1]!), await cpu.read(p[0]!), TOLERANCE, `${what} param`);
        expectClose(await gpu.read(m[1]!), await cpu.read(m[0]!), TOLERANCE, `${what} m`);
        expectClose(await gpu.read(v[1]!), await cpu.read(v[0]!), TOLERANCE * 1e-3, `${what} v`);
        for (const t of [p[1], m[1], v[1]]) gpu.release(t!);
      }
      for (const { g } of pairs) gpu.release(g[1]!);
    }
  });

  it('puts as many parameters in a dispatch as the device can bind (4 storage buffers each, plus 1)', () => {
    expect([4, 8, 12, 13, 16, 96].map(adamSlots)).toEqual([1, 1, 2, 3, 3, 3]);
    expect(gpu.maxStorageBuffersPerStage).toBeGreaterThanOrEqual(8);
  });

  it('does nothing on empty tensors', async () => {
    await checkSteps([2, 0, 3], adam, 1);
  });

  it('rejects a bad step, mismatched shapes and one tensor passed as two operands', () => {
    const [p, g, m, v] = [gpu.fill([2, 3], 1), gpu.fill([2, 3], 1), gpu.fill([2, 3], 0), gpu.fill([2, 3], 0)];
    expect(() => gpu.adamUpdate([{ param: p, grad: g, m, v }], { ...adam, step: 0 })).toThrow(EngineError);
    expect(() => gpu.adamUpdate([{ param: p, grad: g, m, v }], { ...adam, step: 1.5 })).toThrow(
      /step must be an integer/,
    );
    const wide = gpu.fill([2, 4], 0);
    expect(() => gpu.adamUpdate([{ param: p, grad: g, m: wide, v }], { ...adam, step: 1 })).toThrow(/same shape/);
    expect(() => gpu.adamUpdate([{ param: p, grad: g, m, v: m }], { ...adam, step: 1 })).toThrow(KernelError);
    for (const t of [p, g, m, v, wide]) gpu.release(t);
  });
});
