/**
 * Philox sampling on the webgpu backend against the cpu reference: uniforms bit for bit (every
 * element → (member, counter, word) mapping, odd sizes, extreme seeds and steps), and the fused
 * reparameterised sample. ε = √(−2 ln u1)·cos(2π u2) goes through float32 log/cos on the GPU
 * (not correctly rounded), so ε must match within |Δ| ≤ 1e-5·(1 + |ε|) and z = μ + e^{½logσ²}·ε
 * within 1e-5·(1 + |z|); 10⁶ draws of ε must have normal moments within 4 standard errors. The
 * fused gradient ½·((dz·e^{½logσ²})·ε) rounds as the op chain it replaces (bit for bit on each
 * backend) and matches the cpu within 1e-5·(1 + |d|); so does weightedSum, the fused loss total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, shapeSize, type RandomKey, type RawTensor, type Shape } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { formatShape } from '../src/engine/broadcast';
import { expectClose, expectSameBits, openGpu, uploadBoth } from './helpers/gpu';

const EPS_TOLERANCE = 1e-5;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

function keyFor(members: number, step: number, first = 1): RandomKey {
  return { seeds: Uint32Array.from({ length: members }, (_, b) => (first + b * 0x9e3779b9) >>> 0), step };
}

async function uniformsBoth(shape: Shape, key: RandomKey): Promise<[Float32Array, Float32Array]> {
  const c = cpu.randomUniform(shape, key);
  const g = gpu.randomUniform(shape, key);
  expect(g.shape).toEqual(shape);
  const pair: [Float32Array, Float32Array] = [await gpu.read(g), await cpu.read(c)];
  gpu.release(g);
  return pair;
}

describe('randomUniform on webgpu', () => {
  it('is bit-identical to the cpu reference on odd shapes, seeds and steps', async () => {
    const cases: [Shape, RandomKey][] = [
      [[1], keyFor(1, 0)],
      [[3, 5], keyFor(3, 7)],
      [[2, 1001], { seeds: Uint32Array.from([0, 0xffffffff]), step: 0xffffffff }],
      [[64, 17, 3], keyFor(64, 12345, 42)],
      [[5, 2, 3, 7], keyFor(5, 1)],
    ];
    for (const [shape, key] of cases) {
      const [g, c] = await uniformsBoth(shape, key);
      expectSameBits(g, c, `shape ${JSON.stringify(shape)} step ${key.step}`);
    }
  });

  it('gives 10⁶ bit-identical draws in (0, 1] with mean ½ and variance 1/12', async () => {
    const [g, c] = await uniformsBoth([4, 250_000], keyFor(4, 3));
    expectSameBits(g, c, '10⁶ uniforms');
    let sum = 0;
    let squares = 0;
    let outside = 0;
    for (const u of g) {
      if (!(u > 0 && u <= 1)) outside++;
      sum += u;
      squares += u * u;
    }
    expect(outside).toBe(0);
    const n = g.length;
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    // Var(U²) = 1/5 − 1/9 = 4/45
    expect(Math.abs(squares / n - mean * mean - 1 / 12)).toBeLessThan(4 * Math.sqrt(4 / 45 / n));
  });

  it('returns empty tensors for empty shapes and leaks no temporary seed buffer', async () => {
    const live = gpu.liveTensors;
    const empty = gpu.randomUniform([3, 0], keyFor(3, 0));
    expect(await gpu.read(empty)).toEqual(new Float32Array(0));
    gpu.release(empty);
    const some = gpu.randomUniform([2, 9], keyFor(2, 0));
    gpu.release(some);
    expect(gpu.liveTensors).toBe(live);
  });

  it('rejects a key whose seeds do not match the batch, or a bad step', () => {
    expect(() => gpu.randomUniform([3, 4], keyFor(2, 0))).toThrow(EngineError);
    expect(() => gpu.randomUniform([], keyFor(1, 0))).toThrow(/seeds/);
    expect(() => gpu.randomUniform([1, 4], keyFor(1, 1.5))).toThrow(/key.step/);
    expect(() => gpu.randomUniform([1, 4], keyFor(1, 2 ** 32))).toThrow(/key.step/);
  });
});

/** Runs reparameterize on both backends with μ ∈ [−2, 2), logσ² ∈ [−3, 3). */
async function reparameterizeBoth(shape: Shape, key: RandomKey) {
  const [cm, gm] = uploadBoth([cpu, gpu], shape, shapeSize(shape), -2, 2);
  const [cv, gv] = uploadBoth([cpu, gpu], shape, shapeSize(shape) + 1, -3, 3);
  const expected = cpu.reparameterize(cm!, cv!, key);
  const actual = gpu.reparameterize(gm!, gv!, key);
  const result = {
    eps: [await gpu.read(actual.eps), await cpu.read(expected.eps)] as const,
    z: [await gpu.read(actual.z), await cpu.read(expected.z)] as const,
  };
  for (const t of [gm!, gv!, actual.eps, actual.z]) gpu.release(t);
  return result;
}

describe('reparameterize on webgpu', () => {
  it('matches the cpu ε and z on odd shapes (odd element counts use half a Philox block)', async () => {
    const cases: [Shape, RandomKey][] = [
      [[1, 1, 1], keyFor(1, 0)],
      [[3, 17, 1], keyFor(3, 5)],
      [[3, 17, 16], { seeds: Uint32Array.from([0, 1, 0xffffffff]), step: 0xffffffff }],
      [[64, 68, 16], keyFor(64, 99)],
    ];
    for (const [shape, key] of cases) {
      const { eps, z } = await reparameterizeBoth(shape, key);
      expectClose(eps[0], eps[1], EPS_TOLERANCE, `ε ${JSON.stringify(shape)}`);
      expectClose(z[0], z[1], EPS_TOLERANCE, `z ${JSON.stringify(shape)}`);
    }
  });

  it('draws 10⁶ ε matching the cpu and N(0, 1) moments within 4 standard errors', async () => {
    const { eps } = await reparameterizeBoth([4, 500, 500], keyFor(4, 11));
    const [values, reference] = eps;
    expectClose(values, reference, EPS_TOLERANCE, '10⁶ ε');
    const n = values.length;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (const e of values) {
      m1 += e;
      m2 += e * e;
      m3 += e * e * e;
      m4 += e * e * e * e;
    }
    // standard errors of the raw moments E ε^k: √(Var ε^k / n), Var ε = 1, Var ε² = 2, Var ε³ = 15, Var ε⁴ = 96
    expect(Math.abs(m1 / n)).toBeLessThan(4 * Math.sqrt(1 / n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
  });

  it('is reproducible for one key and fresh for another step or seed; leaks nothing', async () => {
    const live = gpu.liveTensors;
    const mu = gpu.fill([2, 5, 3], 0);
    const logVar = gpu.fill([2, 5, 3], 0);
    const draw = async (key: RandomKey) => {
      const { z, eps } = gpu.reparameterize(mu, logVar, key);
      const values = await gpu.read(eps);
      expect(await gpu.read(z)).toEqual(values); // μ = 0, σ = 1
      gpu.release(z);
      gpu.release(eps);
      return values;
    };
    const first = await draw(keyFor(2, 4));
    expect(await draw(keyFor(2, 4))).toEqual(first);
    expect(await draw(keyFor(2, 5))).not.toEqual(first);
    const other = await draw(keyFor(2, 4, 2));
    expect(other.subarray(0, 15)).not.toEqual(first.subarray(0, 15));
    expect(first.subarray(0, 15)).not.toEqual(first.subarray(15));
    gpu.release(mu);
    gpu.release(logVar);
    expect(gpu.liveTensors).toBe(live);
  });

  it('rejects mismatched μ and logσ² shapes and keys', () => {
    const mu = gpu.fill([2, 5, 3], 0);
    const logVar = gpu.fill([2, 5, 2], 0);
    expect(() => gpu.reparameterize(mu, logVar, keyFor(2, 0))).toThrow(/same shape/);
    expect(() => gpu.reparameterize(mu, mu, keyFor(3, 0))).toThrow(/seeds/);
    gpu.release(mu);
    gpu.release(logVar);
  });
});

describe('reparameterize gradient (fused)', () => {
  /** The elementwise chain the fused kernel replaces, on one backend: dlogσ² = ½·((dz·exp(½·logσ²))·ε). */
  function chain(b: CpuBackend | WebGpuBackend, dz: RawTensor, logVar: RawTensor, eps: RawTensor): RawTensor {
    const half = b.unary('scale', logVar, 0.5);
    const sigma = b.unary('exp', half);
    const dzSigma = b.binary('mul', dz, sigma);
    const dzSigmaEps = b.binary('mul', dzSigma, eps);
    const out = b.unary('scale', dzSigmaEps, 0.5);
    for (const t of [half, sigma, dzSigma, dzSigmaEps]) b.release(t);
    return out;
  }

  it('rounds as the op chain on each backend and matches the cpu on odd shapes', async () => {
    for (const shape of [
      [3, 5, 7],
      [1, 66, 16],
      [2, 1, 1],
      [0, 4, 2],
    ] as Shape[]) {
      const [cdz, gdz] = uploadBoth([cpu, gpu], shape, 101);
      const [clv, glv] = uploadBoth([cpu, gpu], shape, 102);
      const [ceps, geps] = uploadBoth([cpu, gpu], shape, 103);
      const cpuFused = cpu.reparameterizeGrad(cdz!, clv!, ceps!);
      const cpuLogVar = await cpu.read(cpuFused.dLogVar);
      expectSameBits(cpuLogVar, await cpu.read(chain(cpu, cdz!, clv!, ceps!)), `cpu ${JSON.stringify(shape)}`);
      // with nothing gathered, dμ is dz itself
      expectSameBits(await cpu.read(cpuFused.dMu), await cpu.read(cdz!), `cpu dμ ${JSON.stringify(shape)}`);
      const fused = gpu.reparameterizeGrad(gdz!, glv!, geps!);
      const chained = chain(gpu, gdz!, glv!, geps!);
      expect(fused.dLogVar.shape).toEqual(shape);
      expect(fused.dMu.shape).toEqual(shape);
      const gpuLogVar = await gpu.read(fused.dLogVar);
      expectSameBits(gpuLogVar, await gpu.read(chained), `webgpu ${JSON.stringify(shape)}`);
      expectSameBits(await gpu.read(fused.dMu), await gpu.read(gdz!), `webgpu dμ ${JSON.stringify(shape)}`);
      expectClose(gpuLogVar, cpuLogVar, EPS_TOLERANCE, `webgpu vs cpu ${JSON.stringify(shape)}`);
      for (const t of [gdz, glv, geps, fused.dMu, fused.dLogVar, chained]) gpu.release(t as RawTensor);
    }
  });

  it('adds the gradients μ and logσ² gathered so far as separate add ops would', async () => {
    for (const shape of [
      [3, 5, 7],
      [2, 1, 1],
    ] as Shape[]) {
      for (const b of [cpu, gpu] as (CpuBackend | WebGpuBackend)[]) {
        const [dz, logVar, eps, muSoFar, logVarSoFar] = [201, 202, 203, 204, 205].map(
          (seed) => uploadBoth([b], shape, seed)[0]!,
        ) as [RawTensor, RawTensor, RawTensor, RawTensor, RawTensor];
        const fused = b.reparameterizeGrad(dz, logVar, eps, { mu: muSoFar, logVar: logVarSoFar });
        const logVarShare = chain(b, dz, logVar, eps);
        const dMu = b.binary('add', muSoFar, dz);
        const dLogVar = b.binary('add', logVarSoFar, logVarShare);
        const where = `${b.name} ${JSON.stringify(shape)}`;
        expectSameBits(await b.read(fused.dMu), await b.read(dMu), `${where} dμ`);
        expectSameBits(await b.read(fused.dLogVar), await b.read(dLogVar), `${where} dlogσ²`);
        // only logσ² gathered: dμ stays dz
        const half = b.reparameterizeGrad(dz, logVar, eps, { logVar: logVarSoFar });
        expectSameBits(await b.read(half.dMu), await b.read(dz), `${where} dμ without gathered`);
        for (const t of [dz, logVar, eps, muSoFar, logVarSoFar, logVarShare, dMu, dLogVar]) b.release(t);
        for (const t of [fused.dMu, fused.dLogVar, half.dMu, half.dLogVar]) b.release(t);
      }
    }
    const a = gpu.fill([2, 5, 3], 1);
    expect(() => gpu.reparameterizeGrad(a, a, a, { mu: gpu.fill([2, 5, 2], 1) })).toThrow(/gathered dμ/);
    expect(() =>
      cpu.reparameterizeGrad(cpu.fill([2], 1), cpu.fill([2], 1), cpu.fill([2], 1), { logVar: cpu.fill([3], 1) }),
    ).toThrow(/addend/);
  });

  it('rejects inputs of different shapes', () => {
    const a = gpu.fill([2, 5, 3], 1);
    const b = gpu.fill([2, 5, 2], 1);
    expect(() => gpu.reparameterizeGrad(a, b, a)).toThrow(/reparameterizeGrad: dz and logVar/);
    expect(() => gpu.reparameterizeGrad(a, a, b)).toThrow(/reparameterizeGrad: dz and eps/);
    expect(() => cpu.reparameterizeGrad(cpu.fill([2], 1), cpu.fill([3], 1), cpu.fill([2], 1))).toThrow(
      /reparameterizeGrad: dz and logVar/,
    );
    gpu.release(a);
    gpu.release(b);
  });
});

describe('weightedSum (fused loss total)', () => {
  it('rounds as the chain of scale, mul and add on each backend; the cpu and webgpu agree', async () => {
    const shape: Shape = [5];
    const [cbeta, gbeta] = uploadBoth([cpu, gpu], [1], 200);
    for (const count of [1, 2, 3, 4]) {
      const pairs = Array.from({ length: count }, (_, k) => uploadBoth([cpu, gpu], shape, 210 + k));
      const numeric = [1, 0.3, 2.5, 0.01].slice(0, count);
      for (const withTensor of [false, true]) {
        const weights = (b: 0 | 1) => numeric.map((w, k) => (withTensor && k === 1 ? [cbeta, gbeta][b]! : w));
        /** ((w0·t0 + w1·t1) + (w2·t2 + w3·t3)) as separate ops */
        const chain = (backend: CpuBackend | WebGpuBackend, b: 0 | 1): RawTensor => {
          const products = pairs.map((p, k) => {
            const w = weights(b)[k]!;
            return typeof w === 'number'
              ? w === 1
                ? p[b]!
                : backend.unary('scale', p[b]!, w)
              : backend.binary('mul', p[b]!, w);
          });
          const first = products.length > 1 ? backend.binary('add', products[0]!, products[1]!) : products[0]!;
          if (products.length <= 2) return first;
          const second = products.length > 3 ? backend.binary('add', products[2]!, products[3]!) : products[2]!;
          return backend.binary('add', first, second);
        };
        const what = `${count} terms${withTensor ? ', a tensor weight' : ''}`;
        const cpuFused = await cpu.read(
          cpu.weightedSum(
            pairs.map((p) => p[0]!),
            weights(0),
          ),
        );
        expectSameBits(cpuFused, await cpu.read(chain(cpu, 0)), `cpu ${what}`);
        const gpuFused = await gpu.read(
          gpu.weightedSum(
            pairs.map((p) => p[1]!),
            weights(1),
          ),
        );
        expectSameBits(gpuFused, await gpu.read(chain(gpu, 1)), `webgpu ${what}`);
        expectClose(gpuFused, cpuFused, 1e-6, `webgpu vs cpu ${what}`);
      }
    }
  });

  it('weightedSumGrad gives each term w_k·dy as scale and mul ops do, bit for bit on each backend', async () => {
    const [cbeta, gbeta] = uploadBoth([cpu, gpu], [1], 220);
    for (const shape of [[1], [7], [2, 3, 5]] as Shape[]) {
      const [cdy, gdy] = uploadBoth([cpu, gpu], shape, 230);
      for (const count of [1, 2, 3, 4]) {
        const numeric = [1, 0.3, -2.5, 0.01].slice(0, count);
        const weights = (b: 0 | 1) => numeric.map((w, k) => (k === 1 ? [cbeta, gbeta][b]! : w));
        const grads = [cpu.weightedSumGrad(cdy!, weights(0)), gpu.weightedSumGrad(gdy!, weights(1))] as const;
        for (let k = 0; k < count; k++) {
          const w = [weights(0)[k]!, weights(1)[k]!] as const;
          const separate = [
            typeof w[0] === 'number' ? cpu.unary('scale', cdy!, w[0]) : cpu.binary('mul', cdy!, w[0]),
            typeof w[1] === 'number' ? gpu.unary('scale', gdy!, w[1]) : gpu.binary('mul', gdy!, w[1]),
          ];
          const what = `${formatShape(shape)}, ${count} weights, term ${k}`;
          const cpuFused = await cpu.read(grads[0][k]!);
          const gpuFused = await gpu.read(grads[1][k]!);
          expectSameBits(cpuFused, await cpu.read(separate[0]!), `cpu ${what}`);
          expectSameBits(gpuFused, await gpu.read(separate[1]!), `webgpu ${what}`);
          expectClose(gpuFused, cpuFused, 1e-6, `webgpu vs cpu ${what}`);
          gpu.release(separate[1]!);
          gpu.release(grads[1][k]!);
        }
      }
      gpu.release(gdy!);
    }
    expect(() => gpu.weightedSumGrad(gbeta!, [])).toThrow(/weightedSumGrad: takes 1 to 4 weights, got 0/);
    gpu.release(gbeta!);
  });

  it('rejects bad terms and weights with one-line errors', () => {
    const a = gpu.fill([3], 1);
    const b = gpu.fill([4], 1);
    const pair = gpu.fill([2], 1);
    expect(() => gpu.weightedSum([], [])).toThrow(/weightedSum: takes 1 to 4 terms, got 0/);
    expect(() => gpu.weightedSum([a, a, a, a, a], [1, 1, 1, 1, 1])).toThrow(/takes 1 to 4 terms, got 5/);
    expect(() => gpu.weightedSum([a, b], [1, 1])).toThrow(/weightedSum: term 1 \[4\] differs from term 0 \[3\]/);
    expect(() => gpu.weightedSum([a], [Number.NaN])).toThrow(/weight 0 must be a finite number/);
    expect(() => gpu.weightedSum([a], [pair])).toThrow(/weight 0 must be a \[1\] tensor, got \[2\]/);
    expect(() => cpu.weightedSum([cpu.fill([3], 1)], [1, 2])).toThrow(/weightedSum: 1 terms but 2 weights/);
    for (const t of [a, b, pair]) gpu.release(t);
  });
});
