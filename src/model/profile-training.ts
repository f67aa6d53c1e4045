/**
 * Where a training epoch's time goes: B graph VAEs trained as one batched job, first unprofiled
 * (wall and host time per epoch), then with every dispatch timed on the device (device time per
 * kernel and per kernel shape). Losses are read after every epoch in both runs, so an epoch's wall
 * time is host time (tape, encoding, submit) + the device's work + waiting, without overlap.
 */
import { EngineError, type CsrMatrix } from '../engine/backend';
import type { Engine } from '../engine/engine';
import { WebGpuBackend } from '../engine/webgpu/backend';
import type { KernelTiming, ProfileClock } from '../engine/webgpu/dispatch-profiler';
import type { VaeConfig } from './config';
import { trainVae } from './trainer';
import type { TrainTask } from './train-inputs';

export interface ProfileRequest {
  engine: Engine;
  /** X [1, N, G] shared by the B models */
  X: Float32Array;
  regions: number;
  genes: number;
  laplacian: CsrMatrix;
  edgeCount: number;
  /** One task per model (B = tasks.length) */
  tasks: readonly TrainTask[];
  config?: Partial<VaeConfig>;
  /** Epochs timed, after `warmupEpochs` untimed ones. */
  epochs: number;
  warmupEpochs: number;
  /** Force the synchronised wall-time clock even where timestamp queries exist. */
  clock?: ProfileClock;
}

/** One kernel (detail '') or one kernel at one shape, per epoch. */
export interface ProfileRow {
  kernel: string;
  detail: string;
  dispatchesPerEpoch: number;
  deviceMsPerEpoch: number;
  /** Share of the epoch's total device time. */
  share: number;
  /** Floating-point operations the kernel declares (matmuls), and bytes bound, per epoch. */
  flopsPerEpoch: number;
  bytesPerEpoch: number;
  /** Achieved rate where the kernel declares flops (matmuls), else null. */
  gflops: number | null;
  /** Bytes bound to the kernel (each tensor once) per second of its device time. */
  gbps: number;
}

export interface TrainingProfile {
  clock: ProfileClock;
  adapter: string;
  shape: { regions: number; genes: number; hidden: number; latent: number; batch: number };
  epochs: number;
  warmupEpochs: number;
  perEpoch: {
    /** Median wall time of an unprofiled epoch (losses read every epoch). */
    wallMs: number;
    /** Median host time of an unprofiled epoch: tape, encoding, submit. */
    hostMs: number;
    /** Device time of the profiled epochs' kernels, per epoch. */
    deviceMs: number;
    dispatches: number;
  };
  /** Per kernel, most device time first. */
  kernels: ProfileRow[];
  /** Per kernel and shape, most device time first. */
  shapes: ProfileRow[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function rows(timings: readonly KernelTiming[], epochs: number, totalMs: number): ProfileRow[] {
  return timings
    .map((t) => ({
      kernel: t.kernel,
      detail: t.detail,
      dispatchesPerEpoch: t.dispatches / epochs,
      deviceMsPerEpoch: t.deviceMs / epochs,
      share: totalMs > 0 ? t.deviceMs / totalMs : 0,
      flopsPerEpoch: t.flops / epochs,
      bytesPerEpoch: t.bytes / epochs,
      gflops: t.flops > 0 && t.deviceMs > 0 ? t.flops / t.deviceMs / 1e6 : null,
      gbps: t.deviceMs > 0 ? t.bytes / t.deviceMs / 1e6 : 0,
    }))
    .sort((a, b) => b.deviceMsPerEpoch - a.deviceMsPerEpoch);
}

export async function profileTraining(request: ProfileRequest): Promise<TrainingProfile> {
  const { engine, regions, genes, tasks, epochs, warmupEpochs } = request;
  const backend = engine.backend;
  if (!(backend instanceof WebGpuBackend)) throw new EngineError('profiling needs the webgpu backend');
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new EngineError(`profile: epochs must be a whole number ≥ 1, got ${epochs}`);
  if (!Number.isInteger(warmupEpochs) || warmupEpochs < 1)
    throw new EngineError(`profile: warm-up epochs must be a whole number ≥ 1, got ${warmupEpochs}`);
  const config = { ...request.config, epochs: warmupEpochs + epochs, logEvery: 1 };
  const train = (onEpoch: (epoch: number, hostMs: number) => void) =>
    trainVae({
      engine,
      X: request.X,
      xShape: [1, regions, genes],
      laplacian: request.laplacian,
      edgeCount: request.edgeCount,
      tasks,
      config,
      keepWeights: false,
      maxBatch: tasks.length,
      onEpoch: (e) => onEpoch(e.epoch, e.hostMs),
    });

  // unprofiled: wall and host time of each epoch after warm-up
  const stamps: number[] = [];
  const host: number[] = [];
  const resolved = await train((epoch, hostMs) => {
    if (epoch < warmupEpochs) return;
    stamps.push(performance.now());
    if (epoch > warmupEpochs) host.push(hostMs);
  });
  const wall = stamps.slice(1).map((t, i) => t - stamps[i]!);

  // profiled: device time of every dispatch of the epochs after warm-up (not the final evaluation)
  const clock = backend.startProfiling(request.clock);
  let stopped: ReturnType<WebGpuBackend['stopProfiling']> | null = null;
  try {
    await train((epoch) => {
      if (epoch === warmupEpochs) backend.resetProfile();
      if (epoch === warmupEpochs + epochs) stopped = backend.stopProfiling();
    });
  } finally {
    stopped ??= backend.stopProfiling();
  }
  const timings = await stopped.collect();
  const perKernel = timings.filter((t) => t.detail === '');
  const deviceMs = perKernel.reduce((sum, t) => sum + t.deviceMs, 0);
  const dispatches = perKernel.reduce((sum, t) => sum + t.dispatches, 0);
  return {
    clock,
    adapter: backend.describe(),
    shape: {
      regions,
      genes,
      hidden: resolved.config.hiddenSize,
      latent: resolved.config.latentSize,
      batch: tasks.length,
    },
    epochs,
    warmupEpochs,
    perEpoch: {
      wallMs: median(wall),
      hostMs: median(host),
      deviceMs: deviceMs / epochs,
      dispatches: dispatches / epochs,
    },
    kernels: rows(perKernel, epochs, deviceMs),
    shapes: rows(
      timings.filter((t) => t.detail !== ''),
      epochs,
      deviceMs,
    ),
  };
}
