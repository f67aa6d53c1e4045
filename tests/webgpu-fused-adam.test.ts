/**
 * Fused Adam(W) on the webgpu backend against the cpu reference (float64 arithmetic, float32
 * state): several steps in place on param, m and v, plain Adam and decoupled weight decay, odd
 * sizes. After each step |Δ| ≤ 2e-6·(1 + |cpu|) for param and m; v (O(g²)) is compared as
 * v/(1 − β2) with the same tolerance. The update is one dispatch and allocates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, KernelError, shapeSize, type AdamHyper, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
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
    cpu.adamUpdate(cp!, cg!, cm, cv, { ...hyper, step });
    gpu.adamUpdate(gp!, gg!, gm, gv, { ...hyper, step });
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

  it('does nothing on empty tensors', async () => {
    await checkSteps([2, 0, 3], adam, 1);
  });

  it('rejects a bad step, mismatched shapes and one tensor passed as two operands', () => {
    const [p, g, m, v] = [gpu.fill([2, 3], 1), gpu.fill([2, 3], 1), gpu.fill([2, 3], 0), gpu.fill([2, 3], 0)];
    expect(() => gpu.adamUpdate(p, g, m, v, { ...adam, step: 0 })).toThrow(EngineError);
    expect(() => gpu.adamUpdate(p, g, m, v, { ...adam, step: 1.5 })).toThrow(/step must be an integer/);
    const wide = gpu.fill([2, 4], 0);
    expect(() => gpu.adamUpdate(p, g, wide, v, { ...adam, step: 1 })).toThrow(/same shape/);
    expect(() => gpu.adamUpdate(p, g, m, m, { ...adam, step: 1 })).toThrow(KernelError);
    for (const t of [p, g, m, v, wide]) gpu.release(t);
  });
});
