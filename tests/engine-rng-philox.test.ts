/**
 * Philox4x32-10 against the published Random123 known-answer vectors, the element → (counter, word)
 * layout of the cpu sampling kernels, and the statistics of their output: moments within 4 standard
 * errors on 10⁶ draws, |correlation| < 4/√n between streams that must be independent.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { boxMuller, philox4x32, uniformFromBits } from '../src/engine/philox';

const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0'));

describe('philox4x32-10 known answers (Random123 kat_vectors)', () => {
  test('counter 0, key 0', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  });
  test('counter and key all ones', () => {
    const ones = 0xffffffff;
    expect(hex(philox4x32([ones, ones, ones, ones], [ones, ones]))).toEqual([
      '408f276d',
      '41c83b0e',
      'a20bc7c6',
      '6d5451fd',
    ]);
  });
  test('digits of pi', () => {
    const out = philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]);
    expect(hex(out)).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });
});

test('uniformFromBits maps the 24 high bits to cell centres; the top one is 1 in float32', () => {
  expect(uniformFromBits(0)).toBe(0.5 / 16777216);
  expect(uniformFromBits(0xffffffff)).toBe(1 - 0.5 / 16777216);
  expect(uniformFromBits(0x000000ff)).toBe(uniformFromBits(0)); // low 8 bits are dropped
  // above ½ every cell centre lies halfway between float32 neighbours and rounds to the even one:
  // 1 − 2⁻²⁵ → 1, and 1 − 1.5·2⁻²⁴ → 1 − 2⁻²³
  expect(Math.fround(uniformFromBits(0xffffffff))).toBe(1);
  expect(Math.fround(uniformFromBits(0xfffffeff))).toBe(1 - 2 ** -23);
  // which keeps Box–Muller finite: u1 = 1 gives ε = 0, the smallest u1 = 2⁻²⁵ gives |ε| ≤ 5.9
  expect(boxMuller(1, 0.3)).toBe(0);
  expect(Math.abs(boxMuller(Math.fround(uniformFromBits(0)), 0))).toBeLessThan(5.9);
});

describe('sampling kernel layout', () => {
  const backend = new CpuBackend();
  const key = { seeds: new Uint32Array([7, 0xdeadbeef, 0]), step: 42 };

  test('randomUniform element i of member b is word i & 3 of counter (i >> 2, step, 0xC0FFEE, 0)', async () => {
    const u = await backend.read(backend.randomUniform([3, 5, 3], key));
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 15; i++) {
        const words = philox4x32([i >> 2, 42, 0xc0ffee, 0], [key.seeds[b]!, 0x2545f491]);
        expect(u[b * 15 + i]).toBe(Math.fround(uniformFromBits(words[i & 3]!)));
      }
    }
  });

  test('reparameterize ε for element i uses words 2(i&1), 2(i&1)+1 of counter (i >> 1, step, 0xB0C5, 0)', async () => {
    const mu = Float32Array.from({ length: 3 * 7 * 1 }, (_, i) => i / 10);
    const logVar = Float32Array.from({ length: 21 }, (_, i) => -1 + i / 20);
    const { z, eps } = backend.reparameterize(backend.upload(mu, [3, 7, 1]), backend.upload(logVar, [3, 7, 1]), key);
    const zs = await backend.read(z);
    const es = await backend.read(eps);
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 7; i++) {
        const words = philox4x32([i >> 1, 42, 0xb0c5, 0], [key.seeds[b]!, 0x2545f491]);
        const w = 2 * (i & 1);
        const expected = boxMuller(uniformFromBits(words[w]!), uniformFromBits(words[w + 1]!));
        const at = b * 7 + i;
        expect(es[at]).toBeCloseTo(expected, 6);
        expect(zs[at]).toBeCloseTo(mu[at]! + Math.exp(0.5 * logVar[at]!) * es[at]!, 5);
      }
    }
  });

  test('the key must have one seed per batch member', () => {
    expect(() => backend.randomUniform([2, 3], key)).toThrow(
      'randomUniform: key has 3 seeds but the output [2,3] has 2 batch members',
    );
    expect(() => backend.randomUniform([3, 1], { ...key, step: -1 })).toThrow(
      'randomUniform: key.step must be an integer in 0..2^32−1, got -1',
    );
  });
});

function moments(x: Float32Array): { mean: number; variance: number; skew: number; excessKurtosis: number } {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const v of x) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= x.length;
  m3 /= x.length;
  m4 /= x.length;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, excessKurtosis: m4 / (m2 * m2) - 3 };
}

function correlation(x: Float32Array, y: Float32Array): number {
  const mx = moments(x).mean;
  const my = moments(y).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('statistics on 10⁶ draws', () => {
  const n = 1_000_000;
  const backend = new CpuBackend();

  test('uniform: mean 1/2, variance 1/12, all inside (0, 1]', async () => {
    const u = await backend.read(backend.randomUniform([1, n], { seeds: new Uint32Array([123]), step: 0 }));
    const m = moments(u);
    // SE(mean) = √(1/12 / n); SE(variance) = √((1/80 − 1/144) / n) (fourth central moment of U(0,1) is 1/80)
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n));
    expect(u.every((v) => v > 0 && v <= 1)).toBe(true);
  });

  test('normal ε: mean 0, variance 1, skew 0, excess kurtosis 0', async () => {
    const zero = backend.fill([1, 1000, 1000], 0);
    const { eps } = backend.reparameterize(zero, zero, { seeds: new Uint32Array([2024]), step: 3 });
    const m = moments(await backend.read(eps));
    // standard errors for N(0,1): mean 1/√n, variance √(2/n), skew √(6/n), excess kurtosis √(24/n)
    expect(Math.abs(m.mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m.variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m.skew)).toBeLessThan(4 * Math.sqrt(6 / n));
    expect(Math.abs(m.excessKurtosis)).toBeLessThan(4 * Math.sqrt(24 / n));
  });

  test('batch members, seeds, steps and neighbouring elements are uncorrelated', async () => {
    const half = n / 2;
    const zero = backend.fill([2, half, 1], 0);
    const draw = async (seeds: number[], step: number) =>
      backend.read(backend.reparameterize(zero, zero, { seeds: Uint32Array.from(seeds), step }).eps);
    const a = await draw([1, 2], 0);
    const memberCorrelation = correlation(a.subarray(0, half), a.subarray(half));
    const b = await draw([1, 2], 1);
    const stepCorrelation = correlation(a.subarray(0, half), b.subarray(0, half));
    const c = await draw([99, 2], 0);
    const seedCorrelation = correlation(a.subarray(0, half), c.subarray(0, half));
    // elements 2j and 2j+1 share a Philox block: check they are independent too
    const even = a.subarray(0, half).filter((_, i) => i % 2 === 0);
    const odd = a.subarray(0, half).filter((_, i) => i % 2 === 1);
    const bound = 4 / Math.sqrt(half);
    expect(Math.abs(memberCorrelation)).toBeLessThan(bound);
    expect(Math.abs(stepCorrelation)).toBeLessThan(bound);
    expect(Math.abs(seedCorrelation)).toBeLessThan(bound);
    expect(Math.abs(correlation(even, odd))).toBeLessThan(4 / Math.sqrt(even.length));
    // the same key reproduces the same numbers
    expect(Array.from((await draw([1, 2], 0)).subarray(0, 100))).toEqual(Array.from(a.subarray(0, 100)));
  });
});
