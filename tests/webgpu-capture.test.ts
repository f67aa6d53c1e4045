/**
 * Captured work (Backend.capture): recorded once, replayed with no JavaScript per kernel. A replay
 * sees values written between replays, keeps its own buffers while others allocate and write,
 * refuses reads inside a capture, and a whole training run replayed is bit for bit the same as
 * the same run recorded through the tape every epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { RawTensor } from '../src/engine/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { trainVae } from '../src/model';
import { laplacianCsr } from '../src/pipeline/data/graph';
import { openGpu, seededValues } from './helpers/gpu';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

/** y = sum over rows of (x·w ⊙ s), with s a [1] tensor: the kind of step a trainer captures. */
function chain(
  backend: {
    matmul: WebGpuBackend['matmul'];
    binary: WebGpuBackend['binary'];
    reduce: WebGpuBackend['reduce'];
    release: WebGpuBackend['release'];
  },
  x: RawTensor,
  w: RawTensor,
  s: RawTensor,
): RawTensor {
  const y = backend.matmul(x, w, { activation: 'tanh' });
  const z = backend.binary('mul', y, s);
  const out = backend.reduce('sum', z, [1]);
  backend.release(y);
  backend.release(z);
  return out;
}

describe('capture and replay (webgpu)', () => {
  it('replays on values written between replays, as a fresh run computes them', async () => {
    const x = gpu.upload(seededValues(2 * 17 * 9, 1), [2, 17, 9]);
    const w = gpu.upload(seededValues(2 * 9 * 5, 2), [2, 9, 5]);
    const s = gpu.upload(Float32Array.of(1), [1]);
    let out: RawTensor | null = null;
    const work = gpu.capture(() => {
      out = chain(gpu, x, w, s);
    });
    expect(work.dispatches).toBe(3);
    const fresh = async () => {
      const again = chain(gpu, x, w, s);
      const values = await gpu.read(again);
      gpu.release(again);
      return values;
    };
    expect(await gpu.read(out!)).toEqual(await fresh());
    for (const [scale, seed] of [
      [2.5, 3],
      [-1, 4],
    ] as const) {
      gpu.write(s, Float32Array.of(scale));
      gpu.write(x, seededValues(2 * 17 * 9, seed));
      // others allocate and write meanwhile: the captured work's buffers are not handed out
      const noise = [gpu.upload(seededValues(4096, 9), [4096]), gpu.fill([2, 17, 5], 7), gpu.fill([64], 3)];
      work.replay();
      expect(await gpu.read(out!)).toEqual(await fresh());
      noise.forEach((t) => gpu.release(t));
    }
    work.dispose();
    expect(() => work.replay()).toThrow(/disposed/);
    for (const t of [x, w, s, out!]) gpu.release(t);
  });

  it('refuses reads inside a capture and nested captures, and keeps nothing when the function throws', async () => {
    const t = gpu.fill([3], 1);
    let read: Promise<Float32Array> | null = null;
    expect(() =>
      gpu.capture(() => {
        read = gpu.read(t);
      }),
    ).toThrow(/captured step cannot read/);
    await expect(read).rejects.toThrow(/captured step cannot read/);
    expect(() =>
      gpu.capture(() => {
        gpu.capture(() => undefined);
      }),
    ).toThrow(/do not nest/);
    const before = gpu.dispatchCount;
    const work = gpu.capture(() => {
      gpu.release(gpu.unary('exp', t));
    });
    expect(gpu.dispatchCount - before).toBe(1);
    work.dispose();
    gpu.release(t);
  });

  it("refuses a number where each replay needs its own value: the random step and Adam's step", async () => {
    const mu = gpu.fill([2, 3, 4], 0);
    const logVar = gpu.fill([2, 3, 4], 0);
    const seeds = Uint32Array.of(1, 2);
    const frozenStep =
      /key\.step 5 is a number inside capture, so every replay would draw the same numbers; pass a \[1\] step tensor/;
    expect(() =>
      gpu.capture(() => {
        gpu.reparameterize(mu, logVar, { seeds, step: 5 });
      }),
    ).toThrow(frozenStep);
    expect(() =>
      gpu.capture(() => {
        gpu.randomUniform([2, 8], { seeds, step: 5 });
      }),
    ).toThrow(/randomUniform: key\.step 5 is a number/);
    const [param, grad, m, v] = [0, 1, 2, 3].map(() => gpu.fill([4], 1));
    const hyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
    const set = { param: param!, grad: grad!, m: m!, v: v! };
    expect(() =>
      gpu.capture(() => {
        gpu.adamUpdate([set], { ...hyper, step: 3 });
      }),
    ).toThrow(/adamUpdate: step 3 is a number inside capture.*pass corrections, a \[2\] tensor/);
    // the tensor forms capture, and outside a capture numbers are fine
    const step = gpu.upload(Float32Array.of(5), [1]);
    const corrections = gpu.upload(Float32Array.of(0.271, 0.002997), [2]);
    let sample: { z: RawTensor; eps: RawTensor } | null = null;
    const work = gpu.capture(() => {
      sample = gpu.reparameterize(mu, logVar, { seeds, step });
      gpu.adamUpdate([set], { ...hyper, corrections });
    });
    const outside = gpu.reparameterize(mu, logVar, { seeds, step: 5 });
    expect(await gpu.read(sample!.z)).toEqual(await gpu.read(outside.z));
    work.dispose();
    for (const t of [
      mu,
      logVar,
      param!,
      grad!,
      m!,
      v!,
      step,
      corrections,
      sample!.z,
      sample!.eps,
      outside.z,
      outside.eps,
    ]) {
      gpu.release(t);
    }
  });

  it('the cpu reference runs the function and has nothing to replay', () => {
    const cpu = new CpuBackend();
    let ran = 0;
    expect(
      cpu.capture(() => {
        ran++;
      }),
    ).toBeNull();
    expect(ran).toBe(1);
  });
});

describe('training replays its captured step', () => {
  const N = 11;
  const G = 6;
  const ring = { n: N, edges: Array.from({ length: N }, (_, i) => ({ i, j: (i + 1) % N, weight: 1 })) };
  const X = seededValues(N * G, 5);
  const y = seededValues(N, 6);
  const validation = Uint8Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 1 : 0));

  async function train(backend: WebGpuBackend) {
    return trainVae({
      engine: new Engine(backend),
      X,
      xShape: [1, N, G],
      laplacian: laplacianCsr(ring, 'normalized'),
      edgeCount: N,
      tasks: [1, 2, 3].map((seed) => ({
        y,
        trainMask: validation.map((v) => 1 - v),
        validationMask: validation,
        seed,
      })),
      config: { epochs: 30, logEvery: 3, hiddenSize: 12, latentSize: 3, klWarmupEpochs: 10, patience: 100 },
    });
  }

  it('gives bit for bit the run recorded through the tape every epoch, and releases what it held', async () => {
    const live = gpu.liveTensors;
    const replayed = await train(gpu);
    expect(gpu.liveTensors).toBe(live);
    const taped = await openGpu();
    taped.capture = (fn) => {
      fn();
      return null as never;
    };
    const recorded = await train(taped);
    taped.destroy();
    expect(replayed.history).toEqual(recorded.history);
    expect(replayed.predictions).toEqual(recorded.predictions);
    expect(replayed.weights).toEqual(recorded.weights);
    expect(replayed.bestEpoch).toEqual(recorded.bestEpoch);
  });
});
