/**
 * The four terms of the loss as the explorer shows them: the weighted value that enters the total,
 * its formula (docs/math.md) and the code that computes it on each backend.
 */
import type { EpochLosses } from '../../src/model/train-run';

export interface LossTerm {
  key: 'reconstruction' | 'kl' | 'target' | 'smoothness';
  label: string;
  formula: string;
  webgpuKernel: string;
  cpuCode: string;
  /** The weighted term as it enters the total. */
  weighted(losses: EpochLosses, weights: { alpha: number; lambda: number }): number;
}

export const LOSS_TERMS: readonly LossTerm[] = [
  {
    key: 'reconstruction',
    label: 'reconstruction',
    formula: 'mse(X, X̂) = Σₙ,g (X̂ₙg − Xₙg)² / (N·G)',
    webgpuKernel: 'mse — kernels/losses.wgsl',
    cpuCode: 'mse — engine/cpu/losses.ts',
    weighted: (l) => l.reconstruction,
  },
  {
    key: 'kl',
    label: 'β·KL',
    formula: 'β_t · −½ meanₙ,k(1 + log σ² − μ² − σ²),  β_t = β·min(1, t/50)',
    webgpuKernel: 'kl — kernels/losses.wgsl',
    cpuCode: 'kl — engine/cpu/losses.ts',
    weighted: (l) => l.klWeight * l.kl,
  },
  {
    key: 'target',
    label: 'α·target',
    formula: 'α · Σₙ mₙ (ŷₙ − yₙ)² / Σₙ mₙ,  ŷ = μ w_y + b_y (m: training regions)',
    webgpuKernel: 'mse (masked) — kernels/losses.wgsl',
    cpuCode: 'mse — engine/cpu/losses.ts',
    weighted: (l, w) => w.alpha * l.target,
  },
  {
    key: 'smoothness',
    label: 'λ·smoothness',
    formula: 'λ · tr(μᵀ L μ) / (|E|·K),  L = I − D^−½ A D^−½',
    webgpuKernel: 'laplacian_smoothness — kernels/laplacian.wgsl',
    cpuCode: 'engine/cpu/laplacian.ts',
    weighted: (l, w) => w.lambda * l.smoothness,
  },
];

export const TOTAL_FORMULA = 'loss = reconstruction + β·KL + α·target + λ·smoothness';
export const TOTAL_WEBGPU_KERNEL = 'weighted_sum — kernels/weighted-sum.wgsl';
export const TOTAL_CPU_CODE = 'weightedSumCpu — engine/cpu/elementwise.ts';
