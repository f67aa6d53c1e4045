/**
 * The two training workloads: the shipped data exactly as `reproduce` loads it (66 regions × 75
 * L1000 genes after dropping regions without expression), and the paper's size (68 regions × 910
 * genes) with seeded synthetic expression on the DK68 graph, since the shipped gene file has no
 * 910-gene panel. Without the data folder the shipped shape falls back to seeded data of its size.
 */
import type { CsrMatrix } from '../src/engine/backend';
import { DEFAULT_VAE_CONFIG } from '../src/model';
import { defaultRunConfig } from '../src/pipeline/cli/config';
import { datasetFrom, laplacianOf } from '../src/pipeline/cli/context';
import { laplacianCsr, type RegionGraph } from '../src/pipeline/data/graph';
import { fitGeneScaler, zscore } from '../src/pipeline/data/scaling';
import { seededValues } from './accuracy';
import { ringLattice, type BenchGraph } from './graphs';
import type { TrainShape } from './types';

export interface TrainData {
  shape: TrainShape;
  /** X, row-major [1, N, G], each gene z-scored over regions. */
  x: Float32Array;
  /** y, z-scored, N values. */
  y: Float32Array;
  laplacian: CsrMatrix;
}

/** 66 × 75 in the shipped data; the fallback keeps those sizes. */
const SHIPPED_FALLBACK = { regions: 66, genes: 75 };
const PAPER_SIZE = { genes: 910 };

function sizes(): Pick<TrainShape, 'hidden' | 'latent'> {
  return { hidden: DEFAULT_VAE_CONFIG.hiddenSize, latent: DEFAULT_VAE_CONFIG.latentSize };
}

/** Seeded unit-variance expression (uniform on ±√3) and target for N regions, G genes. */
function syntheticData(regions: number, genes: number, seed: number): { x: Float32Array; y: Float32Array } {
  return { x: seededValues(regions * genes, seed, -Math.sqrt(3), Math.sqrt(3)), y: seededValues(regions, seed + 1, -Math.sqrt(3), Math.sqrt(3)) };
}

export function shippedTrainData(dataDir: string | undefined): TrainData {
  const defaults = defaultRunConfig().data;
  const data = { ...defaults, dataDir: dataDir ?? defaults.dataDir };
  try {
    const d = datasetFrom(data);
    const n = d.regions.length;
    const g = d.genes.length;
    const everyRegion = Array.from({ length: n }, (_, i) => i);
    const x = fitGeneScaler(d.X, n, g, everyRegion, 'zscore').apply(d.X, n);
    return {
      shape: {
        name: 'shipped', regions: n, genes: g, ...sizes(), edges: d.graph.edges.length,
        source: `reproduce's data: ${d.provenance.expressionFile}, genes ${d.geneSet.name}, target ${d.target.name}, ${data.adjacency} ${data.weighting} graph, ${data.laplacian} Laplacian`,
      },
      x: Float32Array.from(x),
      y: Float32Array.from(zscore(d.y)),
      laplacian: laplacianOf(d, data),
    };
  } catch (error) {
    const { regions, genes } = SHIPPED_FALLBACK;
    const graph: RegionGraph = ringLattice(regions, 3);
    return {
      shape: {
        name: 'shipped', regions, genes, ...sizes(), edges: graph.edges.length,
        source: `seeded synthetic data of the shipped size on a ring lattice (shipped data unreadable: ${(error as Error).message})`,
      },
      ...syntheticData(regions, genes, 66),
      laplacian: laplacianCsr(graph, 'normalized'),
    };
  }
}

export function paperTrainData(dk: BenchGraph): TrainData {
  const regions = dk.graph.n;
  return {
    shape: {
      name: 'paper', regions, genes: PAPER_SIZE.genes, ...sizes(), edges: dk.graph.edges.length,
      source: `seeded synthetic expression and target at the paper's size; graph ${dk.source}`,
    },
    ...syntheticData(regions, PAPER_SIZE.genes, 910),
    laplacian: laplacianCsr(dk.graph, 'normalized'),
  };
}
