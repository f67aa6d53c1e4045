/**
 * Arrays in memory → the same Dataset that buildDataset makes from files, for a user whose
 * regional expression and target are already in hand (their own AHBA processing, another atlas
 * release, a simulated map). Regions must be Desikan–Killiany ids (`L_<name>` / `R_<name>`): the
 * adjacency graph (the Laplacian's), the sphere centroids (spin nulls) and the lobes and
 * hemispheres (cross-validation schemes) come from the shipped atlas files for those regions.
 */
import { DK68_REGIONS, hemisphereOf } from '../atlas';
import { InputError } from '../input-error';
import { readCentroids } from './centroids';
import { defaultDataDir } from './data-folder';
import type { Dataset } from './dataset';
import { readAdjacency, restrictGraph, type AdjacencySource, type EdgeWeighting } from './graph';

/** A regional expression matrix and a target map, as arrays. */
export interface DatasetArrays {
  /** One DK-68 region id per row of X and entry of y, e.g. 'L_entorhinal'; any order, no repeats. */
  regions: readonly string[];
  /** One name per column of X; no repeats. */
  genes: readonly string[];
  /** N×G expression, row-major (row = region, column = gene), not z-scored; finite. */
  X: ArrayLike<number>;
  /** N target values, oriented so positive = more vulnerable; finite. */
  y: ArrayLike<number>;
  /** What y is, for summaries and reports (default: 'user target'). */
  target?: { name?: string; description?: string };
  /** Folder with the atlas files (default: the package's data/, or $CORTEX_VAE_DATA). */
  dataDir?: string;
  /** Which meshes define adjacent regions (default 'fsa5') and how edges are weighted (default 'binary'). */
  adjacency?: AdjacencySource;
  weighting?: EdgeWeighting;
}

const SOURCE = 'datasetFromArrays';

/** Bad arrays: one line, as for a bad file, with the index in place of the row. */
function fail(problem: string): never {
  throw new InputError(`${SOURCE}: ${problem}`);
}

/**
 * A Dataset from arrays, checked as the file reader checks files: every region known, every value
 * finite, no gene constant over the regions. Rows come back in the atlas's order (left then right
 * hemisphere, `dataset.regions` names them), with y and X reordered alike.
 */
export function datasetFromArrays(arrays: DatasetArrays): Dataset {
  const { regions, genes } = arrays;
  const n = regions.length;
  const g = genes.length;
  if (n < 3) fail(`${n} region(s); fix: pass at least 3 regions`);
  if (g < 1) fail('no genes; fix: pass at least one gene name and its column of X');
  if (arrays.X.length !== n * g) {
    fail(`X has ${arrays.X.length} values, not regions × genes = ${n} × ${g}; ` +
      'fix: pass X row-major, one row per region');
  }
  if (arrays.y.length !== n) {
    fail(`y has ${arrays.y.length} values for ${n} regions; fix: pass one target value per region`);
  }
  const canonical = regions.map((region, row) => {
    const index = DK68_REGIONS.indexOf(region);
    if (index === -1) {
      fail(`regions[${row}] '${region}' is not a Desikan–Killiany region id; ` +
        'fix: use ids such as L_entorhinal, R_insula (listed in src/pipeline/atlas.ts)');
    }
    return index;
  });
  const seen = new Map<number, number>();
  canonical.forEach((index, row) => {
    const earlier = seen.get(index);
    if (earlier !== undefined) {
      fail(`regions[${row}] repeats regions[${earlier}] (${regions[row]}); fix: keep one row per region`);
    }
    seen.set(index, row);
  });
  const geneRows = new Map<string, number>();
  genes.forEach((gene, column) => {
    const earlier = geneRows.get(gene);
    if (earlier !== undefined) {
      fail(`genes[${column}] repeats genes[${earlier}] (${gene}); fix: keep one column per gene`);
    }
    geneRows.set(gene, column);
  });

  // rows in the atlas's order, as buildDataset returns them
  const order = canonical.map((index, row) => ({ index, row })).sort((a, b) => a.index - b.index);
  const X = new Float64Array(n * g);
  const y = new Float64Array(n);
  order.forEach(({ row }, r) => {
    for (let c = 0; c < g; c++) {
      const v = arrays.X[row * g + c]!;
      if (!Number.isFinite(v)) {
        fail(`X[${row}][${c}] (${regions[row]}, ${genes[c]}) is ${v}; fix: supply finite expression values`);
      }
      X[r * g + c] = v;
    }
    const t = arrays.y[row]!;
    if (!Number.isFinite(t)) {
      fail(`y[${row}] (${regions[row]}) is ${t}; fix: supply a finite target value for every region`);
    }
    y[r] = t;
  });
  for (let c = 0; c < g; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < n; r++) { lo = Math.min(lo, X[r * g + c]!); hi = Math.max(hi, X[r * g + c]!); }
    if (!(hi > lo)) fail(`gene ${genes[c]} (column ${c} of X) is constant over the ${n} regions; fix: leave it out`);
  }

  const dataDir = arrays.dataDir ?? defaultDataDir();
  const kept = order.map(({ index }) => index);
  const adjacency = readAdjacency(dataDir, arrays.adjacency ?? 'fsa5', arrays.weighting ?? 'binary');
  const centroids = readCentroids(dataDir, kept);
  const ordered = kept.map((i) => DK68_REGIONS[i]!);
  const name = arrays.target?.name ?? 'user target';
  return {
    regions: ordered,
    hemisphere: ordered.map(hemisphereOf),
    genes: [...genes],
    X, y,
    target: {
      name, file: SOURCE, column: name, sign: 1,
      description: arrays.target?.description ?? `${name} (arrays in memory)`,
    },
    graph: restrictGraph(adjacency.graph, kept),
    centroids: { sphere: centroids.sphere, surface: centroids.surface },
    dropped: [],
    mirrored: [],
    expression: { file: SOURCE, genes: g, stabilityThreshold: null },
    geneSet: { name: 'arrays', requested: g, found: g, missing: [] },
    constantGenes: [],
    provenance: {
      source: SOURCE,
      [`sha256:${adjacency.file}`]: adjacency.sha256,
      [`sha256:${centroids.file}`]: centroids.sha256,
    },
  };
}
