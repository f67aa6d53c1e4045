/**
 * Writes the explorer's assets from data/ with the project's own loaders (buildDataset,
 * laplacianCsr, loadDkOutlines): for each landmark gene set, the expression matrix, every shipped
 * target map, the graph Laplacian and the sphere centroids over the regions that set keeps, as
 * float32/uint32 files listed with shapes and SHA-256 in manifest.json (web/src/manifest.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DK68_REGIONS } from '../../src/pipeline/atlas';
import { readAtlasTable } from '../../src/pipeline/data/atlas-table';
import { buildDataset, laplacianCsr, listTargets, type Dataset } from '../../src/pipeline/data/dataset';
import { resolveTarget } from '../../src/pipeline/data/targets';
import { mapValuesAt, readVulnerabilityMap } from '../../src/pipeline/data/vulnerability-map';
import { loadDkOutlines } from '../../src/pipeline/report/dk-outlines';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type ArrayAsset,
  type GeneSetAsset,
  type JsonAsset,
  type Manifest,
} from '../src/manifest';

/** The two landmark gene sets the project ships matrices for (data/SOURCES.md). */
const GENE_SETS = [
  { id: '75', label: '75 landmark genes (AHBA r ≥ 0.6)', expressionFile: 'ahba_dk_enigma_stable_r0.6.csv.gz' },
  { id: '787', label: '787 landmark genes (AHBA r ≥ 0.2)', expressionFile: 'ahba_dk_enigma_stable_r0.2.csv.gz' },
];

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function writeArray(dir: string, file: string, values: Float32Array | Uint32Array, shape: number[]): ArrayAsset {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  writeFileSync(join(dir, file), bytes);
  return { file, dtype: values instanceof Float32Array ? 'float32' : 'uint32', shape, sha256: sha256(bytes) };
}

/** The shipped outline file, checked by the report's loader, copied byte for byte. */
function copyOutlines(dataDir: string, dir: string): JsonAsset {
  const source = join(dataDir, 'dk_ggseg_polygons.json');
  loadDkOutlines(source);
  const bytes = readFileSync(source);
  writeFileSync(join(dir, 'dk-outlines.json'), bytes);
  return { file: 'dk-outlines.json', sha256: sha256(bytes) };
}

function dataset(dataDir: string, expressionFile: string, target: string): Dataset {
  return buildDataset({
    dataDir,
    expressionFile: join(dataDir, expressionFile),
    regions: 'bilateral',
    genes: 'l1000',
    target,
    adjacency: 'fsa5',
    weighting: 'binary',
  });
}

function geneSetAsset(dataDir: string, dir: string, set: (typeof GENE_SETS)[number], targets: string[]): GeneSetAsset {
  const base = dataset(dataDir, set.expressionFile, targets[0]!);
  const n = base.regions.length;
  // every other map read as buildDataset reads its target, at the regions this gene set keeps
  const atlas = readAtlasTable(dataDir);
  const kept = base.regions.map((region) => DK68_REGIONS.indexOf(region));
  const maps = new Float32Array(targets.length * n);
  targets.forEach((name, t) => {
    const target = resolveTarget(name, dataDir);
    const map = readVulnerabilityMap(target.file, target.column, atlas);
    maps.set(Float32Array.from(mapValuesAt(map, kept, target.sign)), t * n);
  });
  const csr = laplacianCsr(base.graph, 'normalized');
  const prefix = `genes-${set.id}`;
  return {
    id: set.id,
    label: set.label,
    expressionFile: set.expressionFile,
    regions: base.regions,
    genes: base.genes,
    expression: writeArray(dir, `${prefix}-expression.f32`, Float32Array.from(base.X), [n, base.genes.length]),
    targets: writeArray(dir, `${prefix}-targets.f32`, maps, [targets.length, n]),
    laplacian: {
      rowPtr: writeArray(dir, `${prefix}-laplacian-rows.u32`, csr.rowPtr, [n + 1]),
      colIndex: writeArray(dir, `${prefix}-laplacian-cols.u32`, csr.colIndex, [csr.colIndex.length]),
      values: writeArray(dir, `${prefix}-laplacian-values.f32`, csr.values, [csr.values.length]),
      edgeCount: base.graph.edges.length,
    },
    sphere: writeArray(dir, `${prefix}-sphere.f32`, Float32Array.from(base.centroids.sphere), [n, 3]),
  };
}

/** Writes every asset and the manifest into `dir`; returns the manifest. */
export function writeExplorerAssets(dataDir: string, dir: string): Manifest {
  mkdirSync(dir, { recursive: true });
  const targets = listTargets();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    generatedBy: 'npm run web:build (web/build/write-assets.ts)',
    targets: targets.map((t) => ({ name: t.name, description: t.description })),
    geneSets: GENE_SETS.map((set) =>
      geneSetAsset(
        dataDir,
        dir,
        set,
        targets.map((t) => t.name),
      ),
    ),
    outlines: copyOutlines(dataDir, dir),
  };
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
  return manifest;
}
