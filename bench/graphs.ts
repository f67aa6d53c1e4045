/**
 * Graphs the Laplacian kernels are timed on: the 68-region DK cortical graph read by the data
 * pipeline (or, without the data folder, a deterministic substitute of the same size and degree),
 * and mesh-like triangulated grids of up to ~10⁵ vertices with their Laplacian built directly in
 * CSR (the pipeline's `laplacianCsr` goes through a dense N×N matrix, impossible at that size).
 */
import type { CsrMatrix } from '../src/engine/backend';
import { degrees, readAdjacency, type RegionGraph } from '../src/pipeline/data/graph';

export interface BenchGraph {
  graph: RegionGraph;
  /** Where it came from, for the result file. */
  source: string;
}

/** DK68 adjacency (fsa5 mesh, binary weights) from the shipped edge list. */
export function dk68Graph(dataDir: string): BenchGraph {
  try {
    const { graph, file } = readAdjacency(dataDir, 'fsa5', 'binary');
    return { graph, source: `${file} (fsa5, binary)` };
  } catch (error) {
    return {
      graph: ringLattice(68, 3),
      source: `substitute ring lattice N=68, degree 6 (DK68 edges unreadable: ${(error as Error).message})`,
    };
  }
}

/** Ring lattice: vertex i joined to i±1 … i±reach (mod n), degree 2·reach, a stand-in for DK68 (mean degree ≈ 5.5). */
export function ringLattice(n: number, reach: number): RegionGraph {
  const edges: RegionGraph['edges'] = [];
  for (let i = 0; i < n; i++) {
    for (let r = 1; r <= reach; r++) {
      const j = (i + r) % n;
      edges.push({ i: Math.min(i, j), j: Math.max(i, j), weight: 1 });
    }
  }
  return { n, edges };
}

/**
 * rows × cols grid with every square split by its down-right diagonal: interior vertices have 6
 * neighbours (7 stored entries per Laplacian row with the diagonal), as on a triangle mesh.
 */
export function triangulatedGrid(rows: number, cols: number): RegionGraph {
  const edges: RegionGraph['edges'] = [];
  const at = (r: number, c: number) => r * cols + c;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols) edges.push({ i: at(r, c), j: at(r, c + 1), weight: 1 });
      if (r + 1 < rows) edges.push({ i: at(r, c), j: at(r + 1, c), weight: 1 });
      if (r + 1 < rows && c + 1 < cols) edges.push({ i: at(r, c), j: at(r + 1, c + 1), weight: 1 });
    }
  }
  return { n: rows * cols, edges };
}

/**
 * Symmetric-normalised Laplacian L = I − D^{-1/2} A D^{-1/2} in CSR without a dense matrix:
 * L_ii = 1 (0 for an isolated vertex), L_ij = −w_ij / √(d_i d_j); columns ascending in each row.
 * Edges must be listed once per unordered pair.
 */
export function sparseNormalizedLaplacian(g: RegionGraph): CsrMatrix {
  const d = degrees(g);
  const neighbours: { j: number; v: number }[][] = Array.from({ length: g.n }, (_, i) => [
    { j: i, v: d[i]! > 0 ? 1 : 0 },
  ]);
  for (const e of g.edges) {
    const v = -e.weight / Math.sqrt(d[e.i]! * d[e.j]!);
    neighbours[e.i]!.push({ j: e.j, v });
    neighbours[e.j]!.push({ j: e.i, v });
  }
  const rowPtr = new Uint32Array(g.n + 1);
  let nnz = 0;
  neighbours.forEach((row, i) => {
    row.sort((a, b) => a.j - b.j);
    nnz += row.length;
    rowPtr[i + 1] = nnz;
  });
  const colIndex = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  let k = 0;
  for (const row of neighbours) {
    for (const { j, v } of row) {
      colIndex[k] = j;
      values[k++] = v;
    }
  }
  return { n: g.n, rowPtr, colIndex, values };
}
