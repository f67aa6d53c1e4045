/** Sizes and repetitions of a full run and of a --quick smoke run. */
import type { ModelDims } from './cases/matmul';
import type { RepPlan } from './timing';
import type { TrainingPlan } from './training';
import type { TrainShapeName } from './types';

export interface BenchPlan {
  kernelRep: { subject: RepPlan; reference: RepPlan };
  /** The model at the paper's scale on the default data: N = 66 regions, G = 787 genes, H = 256, K = 16. */
  model: ModelDims;
  matmulBatches: number[];
  cube: number;
  elementwiseBatches: number[];
  laplacianBatches: number[];
  /** Triangulated grid the fused Laplacian is timed on (~10⁵ vertices in a full run). */
  mesh: { rows: number; cols: number; batches: number[] };
  /** Grid small enough for the dense chain, to compare fused with unfused off DK68 too. */
  denseGrid: { rows: number; cols: number; batch: number };
  /** Largest dense Laplacian the unfused chain may upload. */
  maxDenseBytes: number;
  samplingBatches: number[];
  adamBatches: number[];
  overheads: { rep: RepPlan; dispatchesPerBatch: number; compileSamples: number };
  training: TrainingPlan;
  /** Batches of the paper-scale shape (G = 787) on the backend under test and on the cpu. */
  paperBatches: number[];
  paperCpuBatches: number[];
  /**
   * What the peers run (bench/peers/peer-plan.ts): the cube, X·W1 of modelBatch models, VAE epochs
   * (under training's time budget); vaeSkipped: peers whose VAE rows are skipped, with the reason.
   */
  peer: {
    cube: number;
    modelBatch: number;
    vaes: { shape: TrainShapeName; batch: number }[];
    vaeSkipped: Record<string, string>;
  };
  /** Training profiles (per-kernel device time) of these shapes and batch sizes. */
  profiles: { shape: 'shipped' | 'paper'; batch: number; epochs: number; warmupEpochs: number }[];
}

const FULL_SUBJECT_REP: RepPlan = {
  warmup: 2,
  minSamples: 5,
  maxSamples: 20,
  targetSampleMs: 20,
  budgetMs: 1000,
  maxLaunches: 64,
};
const FULL_REFERENCE_REP: RepPlan = {
  warmup: 1,
  minSamples: 3,
  maxSamples: 10,
  targetSampleMs: 20,
  budgetMs: 1000,
  maxLaunches: 64,
};
const QUICK_REP: RepPlan = { warmup: 1, minSamples: 1, maxSamples: 2, targetSampleMs: 2, budgetMs: 30, maxLaunches: 8 };

export const FULL_PLAN: BenchPlan = {
  kernelRep: { subject: FULL_SUBJECT_REP, reference: FULL_REFERENCE_REP },
  model: { regions: 66, genes: 787, hidden: 256, latent: 16 },
  matmulBatches: [1, 64],
  cube: 1024,
  elementwiseBatches: [1, 64],
  laplacianBatches: [1, 64],
  mesh: { rows: 317, cols: 316, batches: [1, 4] },
  denseGrid: { rows: 45, cols: 45, batch: 4 },
  maxDenseBytes: 256 * 2 ** 20,
  samplingBatches: [1, 64, 1024],
  adamBatches: [1, 64],
  overheads: { rep: { ...FULL_SUBJECT_REP, maxLaunches: 200 }, dispatchesPerBatch: 500, compileSamples: 5 },
  training: {
    batches: [1, 16, 64, 256, 1024],
    cpuBatches: [1, 16],
    samples: 4,
    minSamples: 2,
    firstLogEvery: 5,
    maxLogEvery: 10,
    intervalMs: 1000,
    budgetMs: 150_000,
    memoryShare: 0.4,
  },
  paperBatches: [1, 16, 64, 256, 1024],
  paperCpuBatches: [1, 16],
  peer: {
    cube: 1024,
    modelBatch: 64,
    vaeSkipped: {},
    vaes: [
      { shape: 'shipped', batch: 1 },
      { shape: 'shipped', batch: 64 },
      { shape: 'paper', batch: 1 },
      { shape: 'paper', batch: 64 },
    ],
  },
  profiles: [
    { shape: 'shipped', batch: 1, epochs: 10, warmupEpochs: 3 },
    { shape: 'shipped', batch: 64, epochs: 5, warmupEpochs: 2 },
    { shape: 'paper', batch: 64, epochs: 3, warmupEpochs: 1 },
  ],
};

export const QUICK_PLAN: BenchPlan = {
  kernelRep: { subject: QUICK_REP, reference: QUICK_REP },
  model: { regions: 66, genes: 787, hidden: 256, latent: 16 },
  matmulBatches: [1],
  cube: 128,
  elementwiseBatches: [2],
  laplacianBatches: [2],
  mesh: { rows: 50, cols: 50, batches: [1] },
  denseGrid: { rows: 20, cols: 20, batch: 2 },
  maxDenseBytes: 16 * 2 ** 20,
  samplingBatches: [2],
  adamBatches: [1],
  overheads: { rep: QUICK_REP, dispatchesPerBatch: 50, compileSamples: 1 },
  training: {
    batches: [1, 4],
    cpuBatches: [1, 4],
    samples: 1,
    minSamples: 1,
    firstLogEvery: 2,
    maxLogEvery: 2,
    intervalMs: 100,
    budgetMs: 30_000,
    memoryShare: 0.4,
  },
  paperBatches: [1],
  paperCpuBatches: [1],
  peer: {
    cube: 128,
    modelBatch: 1,
    vaes: [
      { shape: 'shipped', batch: 1 },
      { shape: 'shipped', batch: 4 },
    ],
    vaeSkipped: {
      'jax-webgpu':
        'skipped in --quick: its jit-fused training step compiles to shaders that take minutes on lavapipe with a cold shader cache (the full run times it)',
    },
  },
  profiles: [{ shape: 'shipped', batch: 1, epochs: 2, warmupEpochs: 1 }],
};

/**
 * For a real GPU (`bench --gpu`): the matmul at 4096³, training at the paper's scale for B = 1 …
 * 4,096 (the cpu reference at B = 1 only), profiles at B = 1 and 1,024; the rest as in a full run.
 */
export const GPU_PLAN: BenchPlan = {
  ...FULL_PLAN,
  cube: 4096,
  samplingBatches: [1, 64, 1024, 4096],
  training: { ...FULL_PLAN.training, batches: [1, 64], cpuBatches: [1, 16], budgetMs: 60_000 },
  paperBatches: [1, 16, 64, 256, 1024, 4096],
  paperCpuBatches: [1],
  profiles: [
    { shape: 'paper', batch: 1, epochs: 20, warmupEpochs: 3 },
    { shape: 'paper', batch: 1024, epochs: 5, warmupEpochs: 2 },
  ],
};
