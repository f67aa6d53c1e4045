/**
 * Files → one validated Dataset: expression of the chosen genes in the chosen regions, the
 * vulnerability target oriented positive = more vulnerable, the adjacency graph and centroids of
 * the same regions in the same order. Everything is checked before anything is returned.
 */
import { join } from 'node:path';
import { DK68_REGIONS, DK_REGION_NAMES, hemisphereOf } from '../atlas';
import { InputError } from '../input-error';
import { readAtlasTable } from './atlas-table';
import { readCentroids } from './centroids';
import { readExpressionTable, stabilityThresholdInName, type ExpressionTable } from './expression';
import { selectAllGenes, selectGenesFromFile, selectL1000Genes, type GeneSelection } from './gene-sets';
import { readAdjacency, restrictGraph, type AdjacencySource, type EdgeWeighting, type RegionGraph } from './graph';
import { resolveTarget } from './targets';
import { mapValuesAt, readVulnerabilityMap } from './vulnerability-map';

export { laplacianCsr, laplacianDense, type RegionGraph } from './graph';
export { formatDatasetSummary } from './summary';
export { listTargets } from './targets';

/** Expression, target, graph and centroids of the same regions in the same order, with what was left out and why. */
export interface Dataset {
  regions: string[];
  hemisphere: ('L' | 'R')[];
  genes: string[];
  /** N×G row-major, expression as read (not z-scored: scaling is fitted per split). */
  X: Float64Array;
  /** N, oriented so positive = more vulnerable (not z-scored). */
  y: Float64Array;
  target: { name: string; file: string; column: string; sign: 1 | -1; description: string };
  graph: RegionGraph;
  centroids: { sphere: Float64Array; surface: Float64Array };
  dropped: { region: string; reason: string }[];
  /** Regions whose expression row was copied from the other hemisphere (`mirror`). */
  mirrored: { region: string; from: string }[];
  /** The expression file read: its path, how many genes it holds, and the stability filter its name states. */
  expression: { file: string; genes: number; stabilityThreshold: number | null };
  geneSet: { name: string; requested: number; found: number; missing: string[] };
  /** Genes of the set left out because they are constant over the regions used. */
  constantGenes: string[];
  provenance: Record<string, string>;
}

/**
 * Which files and choices buildDataset reads: data folder, expression file, hemispheres, gene set, target,
 * adjacency.
 */
export interface DatasetOptions {
  dataDir: string;
  expressionFile?: string;
  regions: 'left' | 'bilateral';
  mirror?: boolean;
  genes: 'all' | 'l1000' | { file: string };
  target: string;
  targetSign?: 1 | -1;
  adjacency: AdjacencySource;
  weighting: EdgeWeighting;
}

/** ENIGMA Toolbox's DK matrix of the 12,668 genes with donor stability r ≥ 0.2 (data/SOURCES.md). */
export const DEFAULT_EXPRESSION_FILE = 'ahba_dk_enigma_stable_r0.2.csv.gz';
const HEMISPHERE_SIZE = DK_REGION_NAMES.length;

/**
 * Reads and checks the expression, target, adjacency and centroid files into one Dataset (bad input: an
 * InputError naming file, row and fix). For arrays in memory, see datasetFromArrays.
 */
export function buildDataset(opts: DatasetOptions): Dataset {
  const atlas = readAtlasTable(opts.dataDir);
  const expressionFile = opts.expressionFile ?? join(opts.dataDir, DEFAULT_EXPRESSION_FILE);
  const expression = readExpressionTable(expressionFile, atlas);
  const selection = selectGenes(opts, expression);
  const { kept, sourceRow, dropped, mirrored } = chooseRegions(opts, expression, selection.columns);
  checkFiniteCells(expression, kept.map((_, k) => sourceRow[k]!), selection.columns);
  const { columns, constantGenes } = dropConstantGenes(expression, sourceRow, selection, opts.genes !== 'all' && opts.genes !== 'l1000');

  const g = columns.length;
  const X = new Float64Array(kept.length * g);
  sourceRow.forEach((row, r) => { for (let c = 0; c < g; c++) X[r * g + c] = expression.values[row * expression.genes.length + columns[c]!]!; });

  const target = resolveTarget(opts.target, opts.dataDir, opts.targetSign);
  const map = readVulnerabilityMap(target.file, target.column, atlas);
  const y = mapValuesAt(map, kept, target.sign);
  const adjacency = readAdjacency(opts.dataDir, opts.adjacency, opts.weighting);
  const centroids = readCentroids(opts.dataDir, kept);

  const regions = kept.map((i) => DK68_REGIONS[i]!);
  return {
    regions,
    hemisphere: regions.map(hemisphereOf),
    genes: columns.map((c) => expression.genes[c]!),
    X, y, target,
    graph: restrictGraph(adjacency.graph, kept),
    centroids: { sphere: centroids.sphere, surface: centroids.surface },
    dropped, mirrored,
    expression: { file: expression.file, genes: expression.genes.length, stabilityThreshold: stabilityThresholdInName(expression.file) },
    geneSet: { name: selection.name, requested: selection.requested, found: selection.found, missing: selection.missing },
    constantGenes,
    provenance: {
      [`sha256:${atlas.file}`]: atlas.sha256,
      [`sha256:${expression.file}`]: expression.sha256,
      ...Object.fromEntries(Object.entries(selection.files).map(([f, h]) => [`sha256:${f}`, h])),
      [`sha256:${map.file}`]: map.sha256,
      [`sha256:${adjacency.file}`]: adjacency.sha256,
      [`sha256:${centroids.file}`]: centroids.sha256,
      expressionFile: expression.file,
      subcorticalRowsIgnored: expression.subcorticalIgnored.join(' '),
      options: JSON.stringify({ ...opts, expressionFile }),
    },
  };
}

function selectGenes(opts: DatasetOptions, expression: ExpressionTable): GeneSelection {
  if (opts.genes === 'all') return selectAllGenes(expression.genes);
  if (opts.genes === 'l1000') return selectL1000Genes(expression.genes, opts.dataDir);
  return selectGenesFromFile(expression.genes, opts.genes.file, expression.file);
}

/**
 * Canonical regions of the chosen hemispheres, each with the expression row it reads. A region
 * whose row is absent or all-NaN over the chosen genes is filled from its homologue under `mirror`;
 * otherwise an all-NaN region is dropped (and named) and an absent region is an error.
 */
function chooseRegions(opts: DatasetOptions, expression: ExpressionTable, columns: number[]) {
  const wanted = Array.from({ length: opts.regions === 'left' ? HEMISPHERE_SIZE : 2 * HEMISPHERE_SIZE }, (_, i) => i);
  const G = expression.genes.length;
  const usable = (i: number): boolean => {
    const row = expression.rowOfRegion[i]!;
    return row !== -1 && columns.some((c) => !Number.isNaN(expression.values[row * G + c]!));
  };
  const kept: number[] = [];
  const sourceRow: number[] = [];
  const dropped: Dataset['dropped'] = [];
  const mirrored: Dataset['mirrored'] = [];
  const absent: string[] = [];
  for (const i of wanted) {
    if (usable(i)) { kept.push(i); sourceRow.push(expression.rowOfRegion[i]!); continue; }
    const homologue = (i + HEMISPHERE_SIZE) % (2 * HEMISPHERE_SIZE);
    if (opts.mirror && usable(homologue)) {
      kept.push(i);
      sourceRow.push(expression.rowOfRegion[homologue]!);
      mirrored.push({ region: DK68_REGIONS[i]!, from: DK68_REGIONS[homologue]! });
    } else if (expression.rowOfRegion[i] === -1) {
      absent.push(DK68_REGIONS[i]!);
    } else {
      dropped.push({ region: DK68_REGIONS[i]!, reason: `all expression values are NaN in ${expression.file} (line ${expression.lines[expression.rowOfRegion[i]!]})` });
    }
  }
  if (absent.length > 0) {
    throw new InputError(
      `${expression.file}: missing ${absent.length} region row(s): ${absent.slice(0, 6).join(', ')}${absent.length > 6 ? ', …' : ''}; fix: add the rows, pass --mirror to copy the other hemisphere's value${opts.regions === 'bilateral' && absent.every((r) => hemisphereOf(r) === 'R') ? ', or use --regions left' : ''}`,
    );
  }
  if (kept.length < 3) throw new InputError(`${expression.file}: only ${kept.length} usable region(s); fix: supply expression for at least 3 regions`);
  return { kept, sourceRow, dropped, mirrored };
}

/** Any NaN/Inf left in the regions and genes in use is an error naming the first few cells. */
function checkFiniteCells(expression: ExpressionTable, rows: number[], columns: number[]): void {
  const G = expression.genes.length;
  const bad: string[] = [];
  let count = 0;
  for (const row of rows) {
    for (const c of columns) {
      const v = expression.values[row * G + c]!;
      if (!Number.isFinite(v)) {
        if (bad.length < 3) bad.push(`line ${expression.lines[row]}, column '${expression.genes[c]}' = ${v}`);
        count++;
      }
    }
  }
  if (count > 0) {
    throw new InputError(`${expression.file}: ${count} missing or infinite value(s) in the regions and genes used (${bad.join('; ')}); fix: impute them, or drop those genes with a --genes list`);
  }
}

/** Genes with max = min over the regions used carry no information: dropped, or an error when the user listed them. */
function dropConstantGenes(expression: ExpressionTable, rows: number[], selection: GeneSelection, explicit: boolean) {
  const G = expression.genes.length;
  const columns: number[] = [];
  const constantGenes: string[] = [];
  for (const c of selection.columns) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of rows) { const v = expression.values[row * G + c]!; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (hi > lo) columns.push(c);
    else constantGenes.push(expression.genes[c]!);
  }
  if (explicit && constantGenes.length > 0) {
    throw new InputError(
      `${expression.file}: requested gene(s) ${constantGenes.slice(0, 5).join(', ')} are constant over the ${rows.length} regions used (column '${constantGenes[0]}'); fix: remove them from ${selection.name.slice('file:'.length)}`,
    );
  }
  if (columns.length === 0) throw new InputError(`${expression.file}: every selected gene is constant over the regions used; fix: check the file holds regional expression values`);
  return { columns, constantGenes };
}
