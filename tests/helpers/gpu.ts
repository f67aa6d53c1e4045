/**
 * Shared by the webgpu suites: one backend per test file (Dawn on lavapipe here; set
 * XDG_RUNTIME_DIR), seeded test data, and the comparison every kernel test uses.
 */
import { expect } from 'vitest';
import type { Backend, RawTensor, Shape } from '../../src/engine/backend';
import { shapeSize } from '../../src/engine/backend';
import { WebGpuBackend, type WebGpuOptions } from '../../src/engine/webgpu/backend';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

/** A backend on the real adapter; the GPU suites must run (not skip) wherever CI runs them. */
export function openGpu(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
  return WebGpuBackend.create(options);
}

/** Deterministic values in [lo, hi) from a small LCG, so failures reproduce. */
export function seededValues(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * state) / 2 ** 32;
  }
  return out;
}

/** Uploads seeded values of `shape` to each backend (same values on both). */
export function uploadBoth(backends: readonly Backend[], shape: Shape, seed: number, lo = -1, hi = 1): RawTensor[] {
  const values = seededValues(shapeSize(shape), seed, lo, hi);
  return backends.map((b) => b.upload(values, shape));
}

/**
 * Asserts |actual − expected| ≤ tolerance · (1 + |expected|) elementwise (NaN must match NaN,
 * ±Infinity must match exactly); reports the worst element.
 */
export function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(e) && Number.isNaN(a))) {
        worst = i;
        worstExcess = Infinity;
      }
      continue;
    }
    const excess = Math.abs(a - e) - tolerance * (1 + Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (tolerance ${tolerance}·(1+|expected|))`,
    );
  }
}

/** Bitwise equality of two float32 arrays (reports the first differing element). */
export function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  expect(a.length, what).toBe(e.length);
  const first = a.findIndex((bits, i) => bits !== e[i]);
  if (first >= 0) expect.fail(`${what}: element ${first} is ${actual[first]}, expected ${expected[first]}`);
}
