/**
 * Repeated timing with warm-up. The caller's `run(launches)` must return only once the work is
 * complete (GPU work waited for, see `settle`), so a sample measures execution, not encoding.
 */
import type { Backend } from '../src/engine/backend';
import { WebGpuBackend } from '../src/engine/webgpu/backend';
import { quantile } from '../src/pipeline/data/scaling';
import type { TimingStats } from './types';

export interface RepPlan {
  /** Untimed runs before sampling (the first also calibrates launches per sample). */
  warmup: number;
  minSamples: number;
  maxSamples: number;
  /** Launches per sample are chosen so one sample lasts about this long (tiny kernels). */
  targetSampleMs: number;
  /** Sampling stops after minSamples once this much time was spent sampling. */
  budgetMs: number;
  maxLaunches: number;
}

export type Runner = (launches: number) => Promise<void>;

/** Submits recorded work and waits until the device has finished it (no-op wait on cpu). */
export async function settle(backend: Backend): Promise<void> {
  backend.flush();
  if (backend instanceof WebGpuBackend) await backend.device.queue.onSubmittedWorkDone();
}

async function elapsed(run: Runner, launches: number): Promise<number> {
  const start = performance.now();
  await run(launches);
  return performance.now() - start;
}

/** Median, extremes and quartiles of per-launch times in ms. */
export function summarize(perLaunchMs: readonly number[], launchesPerSample: number): TimingStats {
  if (perLaunchMs.length === 0) throw new Error('summarize: no samples');
  const sorted = [...perLaunchMs].sort((a, b) => a - b);
  return {
    medianMs: quantile(sorted, 0.5),
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    q1Ms: quantile(sorted, 0.25),
    q3Ms: quantile(sorted, 0.75),
    samples: sorted.length,
    launchesPerSample,
  };
}

/**
 * Warm-up (the first run, of one launch, sets launches per sample = targetSampleMs / its time),
 * then samples until minSamples are taken and either maxSamples or the budget is reached.
 * A launch slower than the budget gets no further warm-up and only minSamples samples.
 */
export async function measure(run: Runner, plan: RepPlan): Promise<TimingStats> {
  const first = await elapsed(run, 1);
  const launches = Math.max(1, Math.min(plan.maxLaunches, Math.round(plan.targetSampleMs / Math.max(first, 1e-3))));
  const slow = first >= plan.budgetMs;
  for (let i = 1; i < plan.warmup && !slow; i++) await run(launches);
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < plan.minSamples || (samples.length < plan.maxSamples && spent < plan.budgetMs && !slow)) {
    const ms = await elapsed(run, launches);
    spent += ms;
    samples.push(ms / launches);
  }
  return summarize(samples, launches);
}
