/**
 * Synthetic data for the model tests: a ring of regions (with a few chords, so degrees differ),
 * genes driven by a few smooth latent programs over that ring, and a target that is a fixed mix
 * of those programs. Everything is deterministic from its seed.
 */
import type { CsrMatrix } from '../src/engine/backend';
import { seededUniform } from '../src/model/seeded-random';

export interface Graph {
  laplacian: CsrMatrix;
  edgeCount: number;
}

/** Edges of a ring over N regions plus chords i — i+N/2 for every 5th i. */
export function ringWithChords(regions: number): [number, number][] {
  const edges: [number, number][] = [];
  for (let i = 0; i < regions; i++) edges.push([i, (i + 1) % regions]);
  for (let i = 0; i < regions / 2; i += 5) edges.push([i, i + Math.floor(regions / 2)]);
  return edges;
}

/** Symmetric-normalised Laplacian I − D^{-1/2} A D^{-1/2} in CSR. */
export function normalisedLaplacian(regions: number, edges: [number, number][]): Graph {
  const neighbours: number[][] = Array.from({ length: regions }, () => []);
  for (const [a, b] of edges) {
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  const rowPtr = new Uint32Array(regions + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < regions; i++) {
    const row = [i, ...neighbours[i]!].sort((x, y) => x - y);
    for (const j of row) {
      colIndex.push(j);
      values.push(i === j ? 1 : -1 / Math.sqrt(neighbours[i]!.length * neighbours[j]!.length));
    }
    rowPtr[i + 1] = colIndex.length;
  }
  return {
    laplacian: { n: regions, rowPtr, colIndex: Uint32Array.from(colIndex), values: Float32Array.from(values) },
    edgeCount: edges.length,
  };
}

export interface PlantedData extends Graph {
  regions: number;
  genes: number;
  /** row-major N×G, each gene z-scored over regions */
  x: Float32Array;
  /** z-scored target */
  y: Float32Array;
}

/**
 * Three smooth programs p_k(n) = sin(2π f_k n/N + φ_k) over the ring; gene g = Σ_k L[g,k] p_k + small
 * noise; y = p_0 − 0.7 p_1 + 0.4 p_2.
 */
export function plantedData(regions: number, genes: number, seed: number): PlantedData {
  const uniform = seededUniform(seed);
  const programs = [1, 2, 3].map((frequency, k) =>
    Array.from({ length: regions }, (_, n) => Math.sin((2 * Math.PI * frequency * n) / regions + k)),
  );
  const x = new Float32Array(regions * genes);
  for (let g = 0; g < genes; g++) {
    const loadings = programs.map(() => 2 * uniform() - 1);
    const column = Array.from(
      { length: regions },
      (_, n) => programs.reduce((sum, p, k) => sum + loadings[k]! * p[n]!, 0) + 0.05 * (2 * uniform() - 1),
    );
    zScore(column).forEach((v, n) => (x[n * genes + g] = v));
  }
  const target = Array.from(
    { length: regions },
    (_, n) => programs[0]![n]! - 0.7 * programs[1]![n]! + 0.4 * programs[2]![n]!,
  );
  return {
    regions,
    genes,
    x,
    y: Float32Array.from(zScore(target)),
    ...normalisedLaplacian(regions, ringWithChords(regions)),
  };
}

export function zScore(values: number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return values.map((v) => (v - mean) / sd);
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** tr(μᵀ L μ) / tr(μᵀ μ) for μ row-major N×K: how rough the latents are over the graph. */
export function roughness(mu: Float32Array, latents: number, laplacian: CsrMatrix): number {
  let quadratic = 0;
  let norm = 0;
  for (let i = 0; i < laplacian.n; i++) {
    for (let e = laplacian.rowPtr[i]!; e < laplacian.rowPtr[i + 1]!; e++) {
      const j = laplacian.colIndex[e]!;
      for (let k = 0; k < latents; k++) quadratic += mu[i * latents + k]! * laplacian.values[e]! * mu[j * latents + k]!;
    }
    for (let k = 0; k < latents; k++) norm += mu[i * latents + k]! ** 2;
  }
  return quadratic / norm;
}

/** 1 everywhere except the listed regions. */
export function maskWithout(regions: number, heldOut: number[]): Uint8Array {
  const mask = new Uint8Array(regions).fill(1);
  for (const i of heldOut) mask[i] = 0;
  return mask;
}

/** 1 only at the listed regions. */
export function maskOf(regions: number, chosen: number[]): Uint8Array {
  const mask = new Uint8Array(regions);
  for (const i of chosen) mask[i] = 1;
  return mask;
}
