/**
 * The two training workloads, both real data as `reproduce` loads it (66 regions after dropping
 * the two without expression, the ADNI-2 AD map, the DK graph):
 * - `shipped`: the 75 L1000 landmarks of the r ≥ 0.6 ENIGMA matrix (66 × 75), the small model;
 * - `paper`: the default, the 787 landmarks of the r ≥ 0.2 matrix (66 × 787), the paper's scale
 *   (it had 910 genes × 68 regions).
 * Without the data folder a shape falls back to seeded synthetic data of its size on a ring lattice.
 */
import type { CsrMatrix } from '../src/engine/backend';
import { DEFAULT_VAE_CONFIG } from '../src/model';
import { defaultRunConfig, type DataConfig } from '../src/pipeline/cli/config';
import { datasetFrom, laplacianOf } from '../src/pipeline/cli/context';
import { laplacianCsr, type RegionGraph } from '../src/pipeline/data/graph';
import { fitGeneScaler, zscore } from '../src/pipeline/data/scaling';
import { seededValues } from './accuracy';
import { ringLattice } from './graphs';
import type { TrainShape, TrainShapeName } from './types';

export interface TrainData {
  shape: TrainShape;
  /** X, row-major [1, N, G], each gene z-scored over regions. */
  x: Float32Array;
  /** y, z-scored, N values. */
  y: Float32Array;
  laplacian: CsrMatrix;
}

/** The expression file of each shape (in the data folder) and its size, for the fallback. */
const SHAPES: Record<TrainShapeName, { expressionFile: string | null; regions: number; genes: number }> = {
  shipped: { expressionFile: 'ahba_dk_enigma_stable_r0.6.csv.gz', regions: 66, genes: 75 },
  paper: { expressionFile: null, regions: 66, genes: 787 },
};

function sizes(): Pick<TrainShape, 'hidden' | 'latent'> {
  return { hidden: DEFAULT_VAE_CONFIG.hiddenSize, latent: DEFAULT_VAE_CONFIG.latentSize };
}

/** Seeded unit-variance expression (uniform on ±√3) and target for N regions, G genes. */
function syntheticData(regions: number, genes: number, seed: number): { x: Float32Array; y: Float32Array } {
  return {
    x: seededValues(regions * genes, seed, -Math.sqrt(3), Math.sqrt(3)),
    y: seededValues(regions, seed + 1, -Math.sqrt(3), Math.sqrt(3)),
  };
}

/** The `name` workload from the data folder (default: the package's), genes z-scored over regions. */
export function trainData(name: TrainShapeName, dataDir: string | undefined): TrainData {
  const defaults = defaultRunConfig().data;
  const spec = SHAPES[name];
  const folder = dataDir ?? defaults.dataDir;
  const data: DataConfig = {
    ...defaults,
    dataDir: folder,
    expressionFile: spec.expressionFile && `${folder}/${spec.expressionFile}`,
  };
  try {
    const d = datasetFrom(data);
    const n = d.regions.length;
    const g = d.genes.length;
    const everyRegion = Array.from({ length: n }, (_, i) => i);
    const x = fitGeneScaler(d.X, n, g, everyRegion, 'zscore').apply(d.X, n);
    return {
      shape: {
        name,
        regions: n,
        genes: g,
        ...sizes(),
        edges: d.graph.edges.length,
        source: `${d.provenance.expressionFile}, genes ${d.geneSet.name}, target ${d.target.name}, ${data.adjacency} ${data.weighting} graph, ${data.laplacian} Laplacian`,
      },
      x: Float32Array.from(x),
      y: Float32Array.from(zscore(d.y)),
      laplacian: laplacianOf(d, data),
    };
  } catch (error) {
    const graph: RegionGraph = ringLattice(spec.regions, 3);
    return {
      shape: {
        name,
        regions: spec.regions,
        genes: spec.genes,
        ...sizes(),
        edges: graph.edges.length,
        source: `seeded synthetic data of this size on a ring lattice (data unreadable: ${(error as Error).message})`,
      },
      ...syntheticData(spec.regions, spec.genes, spec.genes),
      laplacian: laplacianCsr(graph, 'normalized'),
    };
  }
}
