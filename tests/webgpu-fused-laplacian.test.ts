/**
 * Fused Laplacian smoothness on the webgpu backend against the cpu reference (float64 sums):
 * value[b] = tr(Z[b]ᵀ L Z[b]) and grad = 2 L Z, for N = 1…1000 (normalised Laplacians of random
 * graphs), B = 1, 3, 64, 1024, K = 1, 16, a 10⁵-vertex random graph with ~7 nnz per row, and more
 * than 65535 workgroups (2D grid). Tolerances: value |Δ| ≤ 1e-5·(1 + |cpu|) (float32 partial sums
 * over up to 1.6·10⁶ products); grad |Δ| ≤ 2e-6·(1 + |cpu|) (a float32 sum of ≤ ~15 terms).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type CsrMatrix, type DeviceCsr } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { laplacianCsr, type RegionGraph } from '../src/pipeline/data/graph';
import { expectClose, openGpu, seededValues, uploadBoth } from './helpers/gpu';

const VALUE_TOLERANCE = 1e-5;
const GRAD_TOLERANCE = 2e-6;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

/** A random graph on n vertices: each vertex linked to `links` others, weights in [0.5, 1.5). */
function randomGraph(n: number, links: number, seed: number): RegionGraph {
  const draws = seededValues(2 * n * links, seed, 0, 1);
  const seen = new Set<number>();
  const edges: RegionGraph['edges'] = [];
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < links; l++) {
      const j = Math.floor(draws[2 * (i * links + l)]! * n);
      const [a, b] = [Math.min(i, j), Math.max(i, j)];
      if (a === b || seen.has(a * n + b)) continue;
      seen.add(a * n + b);
      edges.push({ i: a, j: b, weight: 0.5 + draws[2 * (i * links + l) + 1]! });
    }
  }
  return { n, edges };
}

/** Combinatorial L = D − A in CSR without a dense matrix (for 10⁵ vertices). */
function sparseLaplacian(g: RegionGraph): CsrMatrix {
  const rows = Array.from({ length: g.n }, (_, i) => new Map<number, number>([[i, 0]]));
  for (const { i, j, weight } of g.edges) {
    rows[i]!.set(j, -weight);
    rows[j]!.set(i, -weight);
    rows[i]!.set(i, rows[i]!.get(i)! + weight);
    rows[j]!.set(j, rows[j]!.get(j)! + weight);
  }
  const rowPtr = new Uint32Array(g.n + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  rows.forEach((row, i) => {
    for (const [j, v] of [...row].sort((x, y) => x[0] - y[0])) {
      colIndex.push(j);
      values.push(v);
    }
    rowPtr[i + 1] = colIndex.length;
  });
  return { n: g.n, rowPtr, colIndex: Uint32Array.from(colIndex), values: Float32Array.from(values) };
}

const uploaded = new Map<CsrMatrix, [DeviceCsr, DeviceCsr]>();
function onBoth(matrix: CsrMatrix): [DeviceCsr, DeviceCsr] {
  let pair = uploaded.get(matrix);
  if (!pair) {
    pair = [cpu.uploadCsr(matrix), gpu.uploadCsr(matrix)];
    uploaded.set(matrix, pair);
  }
  return pair;
}

/** Runs both backends on seeded Z [B, N, K] in [−1, 1); returns the webgpu dispatches it took. */
async function check(matrix: CsrMatrix, batch: number, k: number): Promise<number> {
  const what = `N=${matrix.n} B=${batch} K=${k}`;
  const [cl, gl] = onBoth(matrix);
  const [cz, gz] = uploadBoth([cpu, gpu], [batch, matrix.n, k], matrix.n + 31 * batch + k);
  const live = gpu.liveTensors;
  const before = gpu.dispatchCount;
  const expected = cpu.laplacianSmoothness(cz!, cl);
  const actual = gpu.laplacianSmoothness(gz!, gl);
  const dispatches = gpu.dispatchCount - before;
  expect(actual.value.shape, what).toEqual([batch]);
  expect(actual.grad.shape, what).toEqual([batch, matrix.n, k]);
  expectClose(await gpu.read(actual.value), await cpu.read(expected.value), VALUE_TOLERANCE, `${what} value`);
  expectClose(await gpu.read(actual.grad), await cpu.read(expected.grad), GRAD_TOLERANCE, `${what} grad`);
  expect(gpu.liveTensors, `${what}: value and grad are the only new tensors`).toBe(live + 2);
  for (const t of [actual.value, actual.grad, gz!]) gpu.release(t);
  return dispatches;
}

describe('laplacianSmoothness on webgpu vs cpu', () => {
  const graphs = [1, 3, 17, 68, 1000].map((n) => laplacianCsr(randomGraph(n, 3, n), 'normalized'));

  it('matches on N = 1, 3, 17, 68, 1000 with B = 1, 3, 64 and K = 1, 16', async () => {
    for (const matrix of graphs) {
      for (const batch of [1, 3, 64]) for (const k of [1, 16]) await check(matrix, batch, k);
    }
  });

  it('serves B = 1024 models at N = 68, K = 16 in one dispatch', async () => {
    expect(await check(graphs[3]!, 1024, 16)).toBe(1);
  });

  it('spreads more than 65535 workgroups over a 2D grid', async () => {
    expect(gpu.maxWorkgroupsPerDimension).toBeLessThan(70_000);
    await check(graphs[0]!, 70_000, 1);
  });

  it('matches on a 10⁵-vertex random graph with ~7 nnz per row (partial sums, then a reduce)', async () => {
    const matrix = sparseLaplacian(randomGraph(100_000, 3, 7));
    const perRow = matrix.values.length / matrix.n;
    expect(perRow).toBeGreaterThan(6.5);
    expect(perRow).toBeLessThan(7.5);
    expect(await check(matrix, 1, 16)).toBe(2);
    await check(matrix, 3, 1);
  });

  it('gives zero for a constant Z under a combinatorial Laplacian (rows sum to 0)', async () => {
    const matrix = sparseLaplacian(randomGraph(68, 3, 4));
    const [, gl] = onBoth(matrix);
    const z = gpu.fill([2, 68, 5], 0.75);
    const { value, grad } = gpu.laplacianSmoothness(z, gl);
    for (const v of await gpu.read(value)) expect(Math.abs(v)).toBeLessThan(1e-4);
    for (const g of await gpu.read(grad)) expect(Math.abs(g)).toBeLessThan(1e-5);
    for (const t of [value, grad, z]) gpu.release(t);
  });

  it('gives zeros for K = 0 and an empty value for B = 0', async () => {
    const [, gl] = onBoth(graphs[2]!);
    for (const shape of [
      [2, 17, 0],
      [0, 17, 4],
    ]) {
      const z = gpu.fill(shape, 1);
      const { value, grad } = gpu.laplacianSmoothness(z, gl);
      expect(value.shape).toEqual([shape[0]]);
      expect(Array.from(await gpu.read(value))).toEqual(new Array(shape[0]).fill(0));
      expect(grad.size).toBe(0);
      for (const t of [value, grad, z]) gpu.release(t);
    }
  });
});

describe('laplacianSmoothness errors', () => {
  it('rejects a Z whose rows do not match N, and a Laplacian from another backend', () => {
    const matrix = laplacianCsr(randomGraph(17, 3, 1), 'normalized');
    const [cl, gl] = onBoth(matrix);
    const z = gpu.fill([2, 16, 3], 1);
    expect(() => gpu.laplacianSmoothness(z, gl)).toThrow(EngineError);
    expect(() => gpu.laplacianSmoothness(z, gl)).toThrow(/must be \[B,17,K\]/);
    const right = gpu.fill([2, 17, 3], 1);
    expect(() => gpu.laplacianSmoothness(right, cl)).toThrow(/not uploaded to this webgpu backend/);
    gpu.release(z);
    gpu.release(right);
  });

  it('validates the CSR matrix on upload (symmetry, column range)', () => {
    const asymmetric: CsrMatrix = {
      n: 2,
      rowPtr: Uint32Array.from([0, 2, 3]),
      colIndex: Uint32Array.from([0, 1, 1]),
      values: Float32Array.from([1, -1, 1]),
    };
    expect(() => gpu.uploadCsr(asymmetric)).toThrow(/not symmetric/);
    const outside: CsrMatrix = {
      n: 1,
      rowPtr: Uint32Array.from([0, 1]),
      colIndex: Uint32Array.from([3]),
      values: Float32Array.from([1]),
    };
    expect(() => gpu.uploadCsr(outside)).toThrow(EngineError);
  });
});
