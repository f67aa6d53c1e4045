/**
 * The cases the peers run, taken from the run's own plan and results so they are cortex-vae's:
 * the square matmul, the model's first-layer product X·W1 of B models, and the VAE epoch at each
 * training shape and batch, sampled as cortex-vae's kernels and training are.
 */
import type { BenchPlan } from '../plan';
import type { TrainData } from '../train-data';
import type { KernelRow } from '../types';
import type { PeerMatmul, PeerPlan } from './peer-harness';

export type PeerRunPlan = PeerPlan & { matmuls: (PeerMatmul & { kernelRow: string })[] };

export function peerPlanOf(plan: BenchPlan, shapes: readonly TrainData[], kernels: readonly KernelRow[]): PeerRunPlan {
  const { cube, modelBatch } = plan.peer;
  const { regions: N, genes: G, hidden: H } = plan.model;
  const cubeRow = kernels.find((k) => k.group === 'matmul' && k.name.startsWith(`matmul ${cube}³`));
  const t = plan.training;
  return {
    matmuls: [
      // the backend's own variant comes first among the cube rows
      {
        case: `matmul ${cube}³`,
        a: [1, cube, cube],
        b: [1, cube, cube],
        kernelRow: cubeRow?.name ?? `matmul ${cube}³`,
      },
      {
        case: `X·W1 B=${modelBatch}`,
        a: [1, N, G],
        b: [modelBatch, G, H],
        kernelRow: `X·W1 B=${modelBatch}`,
        note: 'cortex-vae also adds the bias and applies relu in the same kernel',
      },
    ],
    vaes: plan.peer.vaes.map(({ shape, batch }) => {
      const data = shapes.find((s) => s.shape.name === shape)!;
      return { case: `VAE epoch ${shape} B=${batch}`, data, batch };
    }),
    matmulRep: plan.kernelRep.subject,
    // as timeEpochs: one warm-up interval, then `samples` intervals of up to maxLogEvery epochs (~intervalMs each)
    vaeRep: {
      warmup: 2,
      minSamples: t.samples,
      maxSamples: t.samples,
      targetSampleMs: t.intervalMs,
      budgetMs: Infinity,
      maxLaunches: t.maxLogEvery,
    },
    vaeBudgetMs: t.budgetMs,
    vaeSkipped: plan.peer.vaeSkipped,
  };
}
