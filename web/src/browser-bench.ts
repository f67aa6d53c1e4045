/**
 * The benchmark a reader runs on their own GPU: the VAE's two largest matrix products and one
 * training epoch at each shipped shape (66 regions × 75 and × 787 genes, H = 256, K = 16), on the
 * page's backend and on the CPU reference in the same page, every result checked against the
 * reference. The result keeps the fields of the Node bench's JSON (bench/types.ts) that apply here.
 */
import type { Backend } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/backend';
import { Engine } from '../../src/engine/engine';
import { WebGpuBackend } from '../../src/engine/webgpu/backend';
import { DEFAULT_VAE_CONFIG } from '../../src/model/config';
import type { EpochLosses } from '../../src/model/train-run';
import { trainVae } from '../../src/model/trainer';
import { compareOutputs } from '../../bench/accuracy';
import { matmulCase } from '../../bench/cases/matmul';
import { runKernelCase, type CasePlans } from '../../bench/kernel-case';
import { summarize } from '../../bench/timing';
import type { KernelRow, TimingStats } from '../../bench/types';
import type { BrowserBenchResult, BrowserTrainingRow, BrowserTrainShape, EpochAgreement } from './bench-result';
import { geneMatrix } from '../../src/pipeline/data/gene-matrix';
import { scaledExpression, trainTask } from '../../src/pipeline/evaluation/vae-regressor';
import type { GeneSetData } from './gene-set-data';

const HIDDEN = DEFAULT_VAE_CONFIG.hiddenSize;
const LATENT = DEFAULT_VAE_CONFIG.latentSize;
/** Loss terms of the same seeded epochs: |backend − cpu| / (1 + |cpu|) ≤ 1e-3 (as model-parity-webgpu.test.ts). */
const EPOCH_TOLERANCE = 1e-3;
const PLANS: CasePlans = {
  subject: { warmup: 2, minSamples: 5, maxSamples: 30, targetSampleMs: 20, budgetMs: 400, maxLaunches: 64 },
  reference: { warmup: 1, minSamples: 3, maxSamples: 10, targetSampleMs: 20, budgetMs: 400, maxLaunches: 16 },
};
/** Timed epochs after the first (which records and captures the step). */
const EPOCH_SAMPLES = { webgpu: 8, cpu: 3 };

export type BenchProgress = (line: string) => void;

function shapeOf(data: GeneSetData): BrowserTrainShape {
  const regions = data.regions.length;
  const genes = data.genes.length;
  return {
    name: `${regions}×${genes}`,
    regions,
    genes,
    hidden: HIDDEN,
    latent: LATENT,
    edges: data.edgeCount,
    source: `${data.label}, target 0 of the manifest (the page's assets)`,
  };
}

function matmulCases(shape: BrowserTrainShape) {
  const { regions: N, genes: G } = shape;
  const H = HIDDEN;
  return [
    matmulCase({ name: `X·W1 ${shape.name}`, a: [1, N, G], b: [1, G, H], bias: [1, 1, H], activation: 'relu' }),
    // the decoder's output layer as the trainer runs it: Wd2 held as Wd2ᵀ [G, H] (src/model/device-weights.ts)
    matmulCase({ name: `hd·Wd2 ${shape.name}`, a: [1, N, H], b: [1, G, H], transB: true, bias: [1, 1, G] }),
  ];
}

interface EpochRun {
  timing: TimingStats;
  history: EpochLosses[];
}

/** Epoch times of one model: the gaps between per-epoch loss readbacks after the first epoch. */
async function timeEpochs(backend: Backend, data: GeneSetData, samples: number): Promise<EpochRun> {
  const n = data.regions.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const stamps: number[] = [];
  const history: EpochLosses[] = [];
  await trainVae({
    engine: new Engine(backend),
    X: scaledExpression(geneMatrix(data.expression, n, data.genes.length), all, 'zscore'),
    xShape: [1, n, data.genes.length],
    laplacian: data.laplacian,
    edgeCount: data.edgeCount,
    tasks: [trainTask(data.targets[0]!, all, 1).task],
    config: { hiddenSize: HIDDEN, latentSize: LATENT, epochs: samples + 1, logEvery: 1 },
    keepWeights: false,
    onEpoch: (event) => {
      stamps.push(performance.now());
      history.push(event.losses[0]!);
    },
  });
  return {
    timing: summarize(
      stamps.slice(1).map((t, i) => t - stamps[i]!),
      1,
    ),
    history,
  };
}

function lossVector(history: readonly EpochLosses[]): Float32Array {
  return Float32Array.from(history.flatMap((l) => [l.total, l.reconstruction, l.kl, l.target, l.smoothness]));
}

function trainingRow(shape: string, kind: 'webgpu' | 'cpu', run: EpochRun): BrowserTrainingRow {
  return {
    shape,
    backend: kind,
    batch: 1,
    status: 'ok',
    epoch: run.timing,
    modelsEpochsPerSecond: 1000 / run.timing.medianMs,
    runs: 1,
    logEvery: 1,
    firstLoss: run.history[0]!.total,
  };
}

export async function runBrowserBench(
  subject: Backend,
  geneSets: readonly GeneSetData[],
  progress: BenchProgress,
): Promise<BrowserBenchResult> {
  const started = new Date();
  const reference = new CpuBackend();
  const onGpu = subject instanceof WebGpuBackend ? subject : null;
  const shapes = geneSets.map(shapeOf);
  const kernels: KernelRow[] = [];
  const rows: BrowserTrainingRow[] = [];
  const agreement: EpochAgreement[] = [];
  for (const [s, shape] of shapes.entries()) {
    for (const c of matmulCases(shape)) {
      progress(`matmul ${c.name} ${c.shape}…`);
      kernels.push(await runKernelCase(c, onGpu, reference, PLANS));
    }
    progress(`VAE epoch ${shape.name} on the CPU reference…`);
    const cpu = await timeEpochs(reference, geneSets[s]!, EPOCH_SAMPLES.cpu);
    rows.push(trainingRow(shape.name, 'cpu', cpu));
    if (!onGpu) continue;
    progress(`VAE epoch ${shape.name} on WebGPU…`);
    const gpu = await timeEpochs(onGpu, geneSets[s]!, EPOCH_SAMPLES.webgpu);
    rows.push(trainingRow(shape.name, 'webgpu', gpu));
    const epochs = Math.min(cpu.history.length, gpu.history.length);
    const { maxScaledError } = compareOutputs(
      [lossVector(gpu.history.slice(0, epochs))],
      [lossVector(cpu.history.slice(0, epochs))],
    );
    const withinTolerance = maxScaledError <= EPOCH_TOLERANCE;
    agreement.push({ shape: shape.name, epochs, maxScaledError, tolerance: EPOCH_TOLERANCE, withinTolerance });
  }
  const finished = new Date();
  return {
    version: 1,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: (finished.getTime() - started.getTime()) / 1000,
    backend: onGpu ? 'webgpu' : 'cpu',
    machine: {
      // the engine's own description, which names Dawn: Chromium's WebGPU; userAgent says which browser ran it
      subjectBackend: subject.describe(),
      referenceBackend: reference.describe(),
      adapter: onGpu ? { ...onGpu.adapter } : null,
      userAgent: navigator.userAgent,
      logicalCores: navigator.hardwareConcurrency,
    },
    kernels,
    training: { shapes, rows, agreement },
    notes: [
      'Run in a browser page by the cortex-vae explorer (web/src/browser-bench.ts); ' +
        "times include the page's own overheads.",
      'Epoch times: gaps between per-epoch loss readbacks after the first epoch, ' +
        `batch 1, H = ${HIDDEN}, K = ${LATENT}.`,
    ],
  };
}
