/**
 * The cortical adjacency graph over DK regions and its Laplacians. Edges come from
 * `dk68_adjacency_edges.csv` (regions sharing a border on the fsaverage5 and/or Conte69 mesh;
 * `shared_edges_*` counts mesh edges along the border, a border-length proxy).
 */
import { join } from 'node:path';
import { DK68_REGIONS } from '../atlas';
import type { CsrMatrix } from '../../engine/backend';
import { InputError } from '../input-error';
import { columnIndex, parseNumberCell, readCsvFile } from './csv';

/** The region adjacency graph: n regions and weighted undirected edges (i < j). */
export interface RegionGraph { n: number; edges: { i: number; j: number; weight: number }[] }

/** The surface mesh(es) on which two regions count as adjacent: fsaverage5, Conte69, or either. */
export type AdjacencySource = 'fsa5' | 'conte69' | 'union';
/** Edge weights: 1 for every adjacent pair, or the relative length of their shared border. */
export type EdgeWeighting = 'binary' | 'border';
/** The graph Laplacian: normalized I − D^{-1/2} A D^{-1/2}, or combinatorial D − A. */
export type LaplacianKind = 'normalized' | 'combinatorial';

export const ADJACENCY_FILE = 'dk68_adjacency_edges.csv';

/**
 * The 68-region graph. `border` weights are shared mesh-edge counts; for `union` the two meshes'
 * counts (different resolutions) are each divided by their mean over the pairs in both meshes and
 * averaged over the meshes where the pair touches.
 */
export function readAdjacency(dataDir: string, source: AdjacencySource, weighting: EdgeWeighting): { graph: RegionGraph; file: string; sha256: string } {
  const table = readCsvFile(join(dataDir, ADJACENCY_FILE));
  const fix = `use the ${ADJACENCY_FILE} shipped in the data folder`;
  const col = (name: string) => columnIndex(table, name, fix);
  const [ci, cj, cri, crj, cf, cc] = ['i', 'j', 'region_i', 'region_j', 'shared_edges_fsa5', 'shared_edges_conte69'].map(col) as [number, number, number, number, number, number];
  const n = DK68_REGIONS.length;
  const parsed = table.rows.map((row, k) => {
    const line = table.lines[k]!;
    const num = (c: number, name: string) => parseNumberCell(row[c]!, table.file, line, name);
    const i = num(ci, 'i');
    const j = num(cj, 'j');
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= n || j >= n || i === j) {
      throw new InputError(`${table.file}: line ${line}: i=${row[ci]}, j=${row[cj]} is not a pair of distinct indices in 0..${n - 1}; fix: ${fix}`);
    }
    if (DK68_REGIONS[i] !== row[cri]!.trim() || DK68_REGIONS[j] !== row[crj]!.trim()) {
      throw new InputError(`${table.file}: line ${line}: indices ${i},${j} are ${DK68_REGIONS[i]}, ${DK68_REGIONS[j]} but the row names ${row[cri]}, ${row[crj]}; fix: ${fix}`);
    }
    const fsa5 = num(cf, 'shared_edges_fsa5');
    const conte69 = num(cc, 'shared_edges_conte69');
    if (!(fsa5 >= 0) || !(conte69 >= 0)) throw new InputError(`${table.file}: line ${line}: shared edge counts must be ≥ 0; fix: ${fix}`);
    return { i: Math.min(i, j), j: Math.max(i, j), fsa5, conte69, line };
  });
  const both = parsed.filter((e) => e.fsa5 > 0 && e.conte69 > 0);
  const meanFsa5 = both.reduce((s, e) => s + e.fsa5, 0) / Math.max(1, both.length);
  const meanConte69 = both.reduce((s, e) => s + e.conte69, 0) / Math.max(1, both.length);
  const seen = new Map<string, number>();
  const edges: RegionGraph['edges'] = [];
  for (const e of parsed) {
    const key = `${e.i},${e.j}`;
    if (seen.has(key)) throw new InputError(`${table.file}: line ${e.line}: pair ${DK68_REGIONS[e.i]}–${DK68_REGIONS[e.j]} repeats line ${seen.get(key)}; fix: ${fix}`);
    seen.set(key, e.line);
    const border = source === 'fsa5' ? e.fsa5 : source === 'conte69' ? e.conte69 : unionBorder(e.fsa5 / meanFsa5, e.conte69 / meanConte69);
    if (border > 0) edges.push({ i: e.i, j: e.j, weight: weighting === 'binary' ? 1 : border });
  }
  return { graph: { n, edges }, file: table.file, sha256: table.sha256 };
}

/** Mean of the relative border lengths over the meshes where the two regions touch. */
function unionBorder(fsa5: number, conte69: number): number {
  const present = [fsa5, conte69].filter((w) => w > 0);
  return present.length === 0 ? 0 : present.reduce((s, w) => s + w, 0) / present.length;
}

/** The subgraph on `keep` (indices into g), renumbered 0..keep.length−1 in the order given. */
export function restrictGraph(g: RegionGraph, keep: number[]): RegionGraph {
  const newIndex = new Map(keep.map((old, k) => [old, k]));
  const edges: RegionGraph['edges'] = [];
  for (const e of g.edges) {
    const i = newIndex.get(e.i);
    const j = newIndex.get(e.j);
    if (i !== undefined && j !== undefined) edges.push({ i: Math.min(i, j), j: Math.max(i, j), weight: e.weight });
  }
  return { n: keep.length, edges };
}

/** Weighted degree d_i = Σ_j A_ij. */
export function degrees(g: RegionGraph): Float64Array {
  const d = new Float64Array(g.n);
  for (const e of g.edges) { d[e.i]! += e.weight; d[e.j]! += e.weight; }
  return d;
}

/**
 * Dense N×N Laplacian, row-major.
 * combinatorial: L = D − A.  normalized: L = I − D^{-1/2} A D^{-1/2} (an isolated region gets L_ii = 0).
 */
export function laplacianDense(g: RegionGraph, kind: LaplacianKind = 'normalized'): Float64Array {
  const n = g.n;
  const L = new Float64Array(n * n);
  const d = degrees(g);
  for (let i = 0; i < n; i++) L[i * n + i] = kind === 'combinatorial' ? d[i]! : d[i]! > 0 ? 1 : 0;
  for (const e of g.edges) {
    const v = kind === 'combinatorial' ? -e.weight : -e.weight / Math.sqrt(d[e.i]! * d[e.j]!);
    L[e.i * n + e.j]! += v;
    L[e.j * n + e.i]! += v;
  }
  return L;
}

/** The same Laplacian in CSR (diagonal always stored, columns ascending within a row). */
export function laplacianCsr(g: RegionGraph, kind: LaplacianKind = 'normalized'): CsrMatrix {
  const n = g.n;
  const dense = laplacianDense(g, kind);
  const neighbours: number[][] = Array.from({ length: n }, (_, i) => [i]);
  for (const e of g.edges) { neighbours[e.i]!.push(e.j); neighbours[e.j]!.push(e.i); }
  const rowPtr = new Uint32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    cols.push(...[...new Set(neighbours[i])].sort((a, b) => a - b));
    rowPtr[i + 1] = cols.length;
  }
  const colIndex = Uint32Array.from(cols);
  const values = new Float32Array(cols.length);
  for (let i = 0; i < n; i++) for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) values[k] = dense[i * n + colIndex[k]!]!;
  return { n, rowPtr, colIndex, values };
}
