/**
 * End-to-end training time: `trainVae` as users call it, B models at once. Losses are read back
 * every `logEvery` epochs (which waits for the device); the time between two readbacks divided by
 * logEvery is one sample of the epoch time of all B models. The first interval (uploads, first
 * pipelines) is warm-up and dropped.
 */
import os from 'node:os';
import type { Engine } from '../src/engine/engine';
import { linearFit } from '../src/pipeline/report/summary-stats';
import { trainVae } from '../src/model';
import { summarize } from './timing';
import type { TrainData } from './train-data';
import type { CpuProjection, TimingStats, TrainingRow, TrainShape } from './types';

export interface TrainingPlan {
  /** Batch sizes timed on the backend under test. */
  batches: number[];
  /** Batch sizes timed on the cpu reference (the first two fix the straight-line projection). */
  cpuBatches: number[];
  /** Timed intervals per configuration (after the warm-up interval)… */
  samples: number;
  /** …cut down to this many (at one epoch each) before a configuration over budget is skipped. */
  minSamples: number;
  /** logEvery of the first (smallest) batch; later ones aim at intervalMs per interval. */
  firstLogEvery: number;
  maxLogEvery: number;
  intervalMs: number;
  /** A configuration projected to take longer than this (ms) is skipped. */
  budgetMs: number;
  /** Share of host memory a configuration may be estimated to need (lavapipe's memory is the host's). */
  memoryShare: number;
}

interface EpochTiming {
  epoch: TimingStats;
  runs: number;
  firstLoss: number;
}

/** Epoch time of `batch` models trained together on `engine`. */
export async function timeEpochs(
  engine: Engine,
  data: TrainData,
  batch: number,
  logEvery: number,
  samples: number,
): Promise<EpochTiming> {
  const { regions, genes } = data.shape;
  const trainMask = new Uint8Array(regions).fill(1);
  const tasks = Array.from({ length: batch }, (_, b) => ({ y: data.y, trainMask, seed: b + 1 }));
  const stamps = new Map<number, number[]>();
  let firstLoss = Number.NaN;
  await trainVae({
    engine,
    X: data.x,
    xShape: [1, regions, genes],
    laplacian: data.laplacian,
    edgeCount: data.shape.edges,
    tasks,
    config: { epochs: logEvery * (samples + 1), logEvery },
    keepWeights: false,
    onEpoch: (event) => {
      const now = performance.now();
      const times = stamps.get(event.firstTask) ?? [];
      times.push(now);
      stamps.set(event.firstTask, times);
      if (event.firstTask === 0 && Number.isNaN(firstLoss)) firstLoss = event.losses[0]!.total;
    },
  });
  // runs (chunks of the batch) train one after another: a sample is the sum over runs
  const perRun = [...stamps.values()].map((times) => times.slice(1).map((t, i) => (t - times[i]!) / logEvery));
  const sampleMs = perRun[0]!.map((_, j) => perRun.reduce((sum, run) => sum + run[j]!, 0));
  return { epoch: summarize(sampleMs, logEvery), runs: perRun.length, firstLoss };
}

/**
 * Bytes of one model's training state and activations, float32: parameters, gradients and the
 * two Adam moments (4·P), and forward + backward activations ≈ 2·N·(3H + 3G + 8K).
 */
export function trainingBytesPerModel(shape: TrainShape): number {
  const { regions: N, genes: G, hidden: H, latent: K } = shape;
  const parameters = G * H + H + 2 * (H * K + K) + K * H + H + H * G + G + K + 1;
  return 4 * (4 * parameters + 2 * N * (3 * H + 3 * G + 8 * K));
}

function emptyRow(shape: TrainShape, backend: 'webgpu' | 'cpu', batch: number): Omit<TrainingRow, 'status'> {
  return {
    shape: shape.name,
    backend,
    batch,
    epoch: null,
    modelsEpochsPerSecond: null,
    runs: null,
    logEvery: null,
    firstLoss: null,
  };
}

/**
 * Times each batch size in turn. The epoch time of B is projected from the last measured B′ as
 * t·B/B′ (an overestimate once batching pays); configurations over the memory share or the time
 * budget are skipped with the reason. A backend error makes the row "unavailable".
 */
export async function timeBatches(
  engine: Engine,
  backend: 'webgpu' | 'cpu',
  data: TrainData,
  batches: readonly number[],
  plan: TrainingPlan,
  log: (line: string) => void,
): Promise<TrainingRow[]> {
  const rows: TrainingRow[] = [];
  const memoryLimit = plan.memoryShare * os.totalmem();
  let last: { batch: number; epochMs: number } | null = null;
  for (const batch of batches) {
    const row = emptyRow(data.shape, backend, batch);
    const bytes = trainingBytesPerModel(data.shape) * batch;
    if (bytes > memoryLimit) {
      rows.push({
        ...row,
        status: 'skipped',
        reason: `needs ~${(bytes / 2 ** 30).toFixed(1)} GiB (params, grads, 2 Adam moments, activations) > ${(memoryLimit / 2 ** 30).toFixed(1)} GiB (${plan.memoryShare * 100}% of host memory)`,
      });
      continue;
    }
    const projectedMs = last ? (last.epochMs * batch) / last.batch : null;
    let logEvery =
      projectedMs === null
        ? plan.firstLogEvery
        : Math.max(1, Math.min(plan.maxLogEvery, Math.round(plan.intervalMs / projectedMs)));
    let samples = plan.samples;
    const projectedTotal = () => (projectedMs === null ? 0 : projectedMs * logEvery * (samples + 1));
    while (projectedTotal() > plan.budgetMs && (logEvery > 1 || samples > plan.minSamples)) {
      if (logEvery > 1) logEvery = 1;
      else samples--;
    }
    if (projectedTotal() > plan.budgetMs) {
      rows.push({
        ...row,
        status: 'skipped',
        reason: `projected ${(projectedTotal() / 1000).toFixed(0)} s for ${samples + 1} epochs (${(projectedMs! / 1000).toFixed(2)} s/epoch from B=${last!.batch}) > budget ${(plan.budgetMs / 1000).toFixed(0)} s`,
      });
      continue;
    }
    log(
      `training ${data.shape.name} ${data.shape.regions}×${data.shape.genes} on ${backend}, B=${batch}, ${logEvery * (samples + 1)} epochs`,
    );
    try {
      const timing = await timeEpochs(engine, data, batch, logEvery, samples);
      last = { batch, epochMs: timing.epoch.medianMs };
      rows.push({
        ...row,
        status: 'ok',
        epoch: timing.epoch,
        modelsEpochsPerSecond: batch / (timing.epoch.medianMs / 1000),
        runs: timing.runs,
        logEvery,
        firstLoss: timing.firstLoss,
      });
    } catch (error) {
      rows.push({ ...row, status: 'unavailable', reason: `unavailable: ${(error as Error).message}` });
    }
  }
  return rows;
}

/**
 * CPU seconds per epoch of B models: measured where the cpu reference ran, elsewhere the straight
 * line t(B) = a + b·B through the two smallest measured batches (B = 1 and 16 by default).
 */
export function projectCpu(
  shape: TrainShape,
  cpuRows: readonly TrainingRow[],
  batches: readonly number[],
): CpuProjection[] {
  const measured = cpuRows.filter((r) => r.shape === shape.name && r.status === 'ok' && r.epoch);
  if (measured.length < 2) return [];
  const points = measured.slice(0, 2);
  const line = linearFit(
    points.map((r) => r.batch),
    points.map((r) => r.epoch!.medianMs / 1000),
  );
  const all = [...new Set([...measured.map((r) => r.batch), ...batches])].sort((a, b) => a - b);
  return all.map((batch) => {
    const row = measured.find((r) => r.batch === batch);
    const secondsPerEpoch = row ? row.epoch!.medianMs / 1000 : line.intercept + line.slope * batch;
    return {
      shape: shape.name,
      batch,
      secondsPerEpoch,
      modelsEpochsPerSecond: batch / secondsPerEpoch,
      basis: row ? 'measured' : 'extrapolated',
    };
  });
}
