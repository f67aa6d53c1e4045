import { describe, expect, it } from 'vitest';
import { DK68_REGIONS } from '../src/pipeline/atlas';
import { readCentroids } from '../src/pipeline/data/centroids';
import {
  degrees,
  laplacianCsr,
  laplacianDense,
  readAdjacency,
  restrictGraph,
  type RegionGraph,
} from '../src/pipeline/data/graph';
import { DATA_DIR } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

/** Seeded uniform numbers in [−1, 1). */
function numbers(seed: number, n: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const quadratic = (L: Float64Array, n: number, x: Float64Array) => {
  let q = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q += x[i]! * L[i * n + j]! * x[j]!;
  return q;
};

/** Largest eigenvalue of a symmetric PSD matrix by power iteration (400 steps). */
function largestEigenvalue(L: Float64Array, n: number): number {
  let x = numbers(7, n);
  let lambda = 0;
  for (let it = 0; it < 400; it++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i]! += L[i * n + j]! * x[j]!;
    const norm = Math.hypot(...y);
    lambda = norm / Math.hypot(...x);
    x = y.map((v) => v / norm);
  }
  return lambda;
}

describe('adjacency from the shipped edge list', () => {
  it('fsa5 / conte69 have 175 pairs, the union 176, with no inter-hemispheric edges', () => {
    for (const [source, count] of [
      ['fsa5', 175],
      ['conte69', 175],
      ['union', 176],
    ] as const) {
      const { graph } = readAdjacency(DATA_DIR, source, 'binary');
      expect(graph.edges.length, source).toBe(count);
      for (const e of graph.edges) expect(e.i < 34 === e.j < 34).toBe(true);
    }
    const deg = degrees(readAdjacency(DATA_DIR, 'fsa5', 'binary').graph);
    expect(Math.min(...deg)).toBe(2);
    expect(Math.max(...deg)).toBe(9);
    expect(DK68_REGIONS[deg.indexOf(2)]).toBe('L_transversetemporal');
  });

  it('border weighting uses the shared mesh-edge counts', () => {
    const { graph } = readAdjacency(DATA_DIR, 'fsa5', 'border');
    const e = graph.edges.find((x) => x.i === 0 && x.j === 6)!;
    expect(e.weight).toBe(19); // L_bankssts–L_inferiorparietal, shared_edges_fsa5
    const u = readAdjacency(DATA_DIR, 'union', 'border').graph;
    expect(u.edges.every((x) => x.weight > 0 && Number.isFinite(x.weight))).toBe(true);
  });

  it('a corrupt edge list is an error naming the line', () => {
    const f = tempFolder();
    f.write(
      'dk68_adjacency_edges.csv',
      'i,j,region_i,region_j,shared_edges_fsa5,shared_edges_conte69,in_both\n0,6,L_bankssts,L_cuneus,19,43,1\n',
    );
    expect(() => readAdjacency(f.dir, 'fsa5', 'binary')).toThrow(
      /line 2: indices 0,6 are L_bankssts, L_inferiorparietal but the row names L_bankssts, L_cuneus/,
    );
  });
});

describe('Laplacians', () => {
  const graphs: [string, RegionGraph][] = [
    ['fsa5 binary', readAdjacency(DATA_DIR, 'fsa5', 'binary').graph],
    ['union border', readAdjacency(DATA_DIR, 'union', 'border').graph],
  ];

  for (const [label, g] of graphs) {
    it(`${label}: symmetric; combinatorial rows sum to 0; x'Lx ≥ 0; normalised spectrum within [0, 2]`, () => {
      const n = g.n;
      for (const kind of ['normalized', 'combinatorial'] as const) {
        const L = laplacianDense(g, kind);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(L[i * n + j]).toBe(L[j * n + i]);
        for (let t = 0; t < 20; t++) expect(quadratic(L, n, numbers(100 + t, n))).toBeGreaterThanOrEqual(-1e-12);
      }
      const C = laplacianDense(g, 'combinatorial');
      for (let i = 0; i < n; i++)
        expect(Math.abs(C.subarray(i * n, i * n + n).reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
      const N = laplacianDense(g, 'normalized');
      for (let i = 0; i < n; i++) expect(N[i * n + i]).toBe(1);
      const top = largestEigenvalue(N, n);
      expect(top).toBeGreaterThan(1);
      expect(top).toBeLessThanOrEqual(2 + 1e-9);
      // D^{1/2}·1 is in the null space of the normalised Laplacian
      const d = degrees(g);
      const s = d.map(Math.sqrt);
      for (let i = 0; i < n; i++)
        expect(Math.abs(N.subarray(i * n, i * n + n).reduce((a, v, j) => a + v * s[j]!, 0))).toBeLessThan(1e-12);
    });
  }

  it('CSR holds the same matrix as the dense form (float32), diagonal stored, columns ascending', () => {
    const g = readAdjacency(DATA_DIR, 'fsa5', 'border').graph;
    for (const kind of ['normalized', 'combinatorial'] as const) {
      const dense = laplacianDense(g, kind);
      const csr = laplacianCsr(g, kind);
      expect(csr.rowPtr[g.n]).toBe(g.n + 2 * g.edges.length);
      const rebuilt = new Float64Array(g.n * g.n);
      for (let i = 0; i < g.n; i++) {
        const cols = Array.from(csr.colIndex.subarray(csr.rowPtr[i], csr.rowPtr[i + 1]));
        expect(cols).toContain(i);
        expect(cols).toEqual([...cols].sort((a, b) => a - b));
        for (let k = csr.rowPtr[i]!; k < csr.rowPtr[i + 1]!; k++) rebuilt[i * g.n + csr.colIndex[k]!] = csr.values[k]!;
      }
      rebuilt.forEach((v, k) => expect(Math.abs(v - dense[k]!)).toBeLessThanOrEqual(Math.abs(dense[k]!) * 1e-7));
    }
  });

  it('restriction after dropping regions remaps indices consistently and isolates nothing here', () => {
    const full = readAdjacency(DATA_DIR, 'fsa5', 'border').graph;
    const keep = DK68_REGIONS.map((_, i) => i).filter(
      (i) => !['R_frontalpole', 'R_temporalpole'].includes(DK68_REGIONS[i]!),
    );
    const g = restrictGraph(full, keep);
    expect(g.n).toBe(66);
    const removed = full.edges.filter((e) => !keep.includes(e.i) || !keep.includes(e.j)).length;
    expect(g.edges.length).toBe(full.edges.length - removed);
    for (const e of g.edges) {
      const original = full.edges.find((x) => x.i === keep[e.i] && x.j === keep[e.j]);
      expect(original?.weight).toBe(e.weight);
    }
    expect(degrees(g).every((d) => d > 0)).toBe(true);
  });

  it('an isolated region (after restriction) gets a zero row in both Laplacians', () => {
    const g = restrictGraph(
      {
        n: 4,
        edges: [
          { i: 0, j: 1, weight: 2 },
          { i: 2, j: 3, weight: 1 },
        ],
      },
      [3, 0, 1],
    );
    expect(g.edges).toEqual([{ i: 1, j: 2, weight: 2 }]);
    const N = laplacianDense(g, 'normalized');
    expect(Array.from(N.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(N.subarray(3, 6))).toEqual([0, 1, -1]);
    expect(Array.from(laplacianDense(g, 'combinatorial').subarray(6, 9))).toEqual([0, -2, 2]);
  });
});

describe('centroids', () => {
  it('sphere centroids lie on radius 100; order follows the requested indices', () => {
    const c = readCentroids(DATA_DIR, [67, 0]);
    for (let r = 0; r < 2; r++) expect(Math.hypot(...c.sphere.subarray(r * 3, r * 3 + 3))).toBeCloseTo(100, 2);
    expect(Array.from(c.surface.subarray(3, 6))).toEqual([-54.1852, -44.896, 4.5053]); // L_bankssts surf_x/y/z
  });
});
