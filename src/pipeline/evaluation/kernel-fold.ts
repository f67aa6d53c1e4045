/**
 * What a linear gene model needs from one training set, computed once and shared by every task
 * (fold, spin, seed) with the same training regions: X scaled by a scaler fitted on the training
 * regions only, centred on the training mean, and its linear kernels. Since G ≫ N, every linear
 * model here works in the N×N kernel space (the "kernel trick"): ŵ = X̃ᵀα, so ŷ = X̃ ŵ = K α.
 */
import type { GeneMatrix } from '../data/gene-matrix';
import { fitGeneScaler, type GeneScalingKind } from '../data/scaling';
import { symmetricEigen, type SymmetricEigen } from './linalg';
import { repeatedKFold, type Split } from './splits';

/** The per-gene scalings of data/scaling.ts. */
export type GeneScaling = GeneScalingKind;

export interface KernelFold {
  train: number[];
  /** Regions whose kernel rows against the training regions were computed (prediction targets). */
  rows: number[];
  /** rows.length × m, K_rt = (x̃_r − m̄)·(x̃_t − m̄), x̃ = train-scaled X, m̄ = mean of x̃ over train. */
  kernel: Float64Array;
  /** m × m kernel among the training regions and its eigendecomposition K_tt = U Λ Uᵀ. */
  trainKernel: Float64Array;
  eigen: SymmetricEigen;
}

export function prepareKernelFold(
  expression: GeneMatrix,
  train: number[],
  rows: number[],
  scaling: GeneScaling,
): KernelFold {
  const { values: X, regions: n, genes: g } = expression;
  const scaled = fitGeneScaler(X, n, g, train, scaling).apply(X, n);
  const centre = new Float64Array(g);
  for (const t of train) for (let c = 0; c < g; c++) centre[c]! += scaled[t * g + c]! / train.length;
  const centredRow = (i: number): Float64Array =>
    Float64Array.from({ length: g }, (_, c) => scaled[i * g + c]! - centre[c]!);
  const trainRows = train.map(centredRow);
  const innerProducts = (targets: number[]): Float64Array => {
    const k = new Float64Array(targets.length * train.length);
    targets.forEach((r, a) => {
      const xr = centredRow(r);
      trainRows.forEach((xt, b) => {
        let s = 0;
        for (let c = 0; c < g; c++) s += xr[c]! * xt[c]!;
        k[a * train.length + b] = s;
      });
    });
    return k;
  };
  const trainKernel = innerProducts(train);
  return { train, rows, kernel: innerProducts(rows), trainKernel, eigen: symmetricEigen(trainKernel, train.length) };
}

/** Inner splits of a training set (global indices): what tuning scores each setting on. */
export type InnerSplitter = (train: readonly number[]) => Split[];

/** Inner k-fold splits of the training regions (global indices), seeded: used for tuning only. */
export function innerSplits(train: readonly number[], k: number, seed: number): Split[] {
  const folds = Math.min(k, train.length);
  return repeatedKFold(train.length, folds, 1, seed).map((s) => ({
    name: s.name,
    train: s.train.map((i) => train[i]!),
    test: s.test.map((i) => train[i]!),
  }));
}

/**
 * Outer and inner kernel folds per distinct training set, built on first use: a spin null of 1,000
 * targets over 68 splits prepares 68 folds (plus their inner folds), not 68,000.
 */
export class KernelFoldCache {
  private readonly outer = new Map<string, KernelFold>();
  private readonly inner = new Map<string, KernelFold[]>();

  constructor(
    private readonly expression: GeneMatrix,
    private readonly scaling: GeneScaling,
    private readonly innerSplitsOf: InnerSplitter,
  ) {}

  /** The fold for `train`, with kernel rows for all N regions. */
  outerFold(train: number[]): KernelFold {
    const key = train.join(',');
    let fold = this.outer.get(key);
    if (!fold) {
      fold = prepareKernelFold(
        this.expression,
        train,
        Array.from({ length: this.expression.regions }, (_, i) => i),
        this.scaling,
      );
      this.outer.set(key, fold);
    }
    return fold;
  }

  /** Inner folds of `train`: each rescales X on its inner training regions and has kernel rows for its inner test regions only. */
  innerFoldsOf(train: number[]): KernelFold[] {
    const key = train.join(',');
    let folds = this.inner.get(key);
    if (!folds) {
      folds = this.innerSplitsOf(train).map((s) => prepareKernelFold(this.expression, s.train, s.test, this.scaling));
      this.inner.set(key, folds);
    }
    return folds;
  }
}
