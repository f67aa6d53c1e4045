/**
 * PLS1 regression (NIPALS; Wold), computed in kernel form (Rosipal & Trejo 2001) because G ≫ N.
 * Primal NIPALS on train-scaled, centred X̃ and y_c, for a = 1 … A:
 *   w = X̃ₐᵀyₐ/‖X̃ₐᵀyₐ‖,  t = X̃ₐw,  X̃ₐ₊₁ = (I − ttᵀ/tᵀt) X̃ₐ,  yₐ₊₁ = yₐ − t tᵀyₐ/tᵀt.
 * Since t ∝ X̃ₐX̃ₐᵀyₐ = Kₐyₐ, the same scores come from the deflated kernel Kₐ₊₁ = (I − ttᵀ)Kₐ(I − ttᵀ)
 * (t normalised), and predictions for any rows are ŷ = ȳ_train + K_(·,train) U (TᵀKU)⁻¹ Tᵀ y_c with
 * U = [y₁ … y_A] (the deflated targets) and K the undeflated training kernel.
 * nComponents is fixed or chosen by inner k-fold CV on the training regions (least squared error).
 */
import type { GeneMatrix } from '../../data/gene-matrix';
import { checkTasks, trainMean, type BatchedRegressor, type BatchFit, type FitTask, type GridEdge } from '../models';
import {
  innerSplits as randomInnerSplits,
  KernelFoldCache,
  type GeneScaling,
  type InnerSplitter,
  type KernelFold,
} from '../kernel-fold';
import { dot, matVec, solve } from '../linalg';

/** PLS components (a number or inner-CV), their maximum, gene scaling, and inner folds and seed. */
export interface PlsOptions {
  /** Number of components, or 'inner-cv' (default) to choose 1 … maxComponents on the training regions. */
  nComponents?: number | 'inner-cv';
  maxComponents?: number;
  scaling?: GeneScaling;
  innerFolds?: number;
  innerSeed?: number;
  /** Inner splits of a training set; default: innerFolds-fold random CV seeded by innerSeed. */
  innerSplits?: InnerSplitter;
}

/** PLS's fit: the predictions and, per task, the components it used. */
export interface PlsFit extends BatchFit {
  /** Components used for each task, in task order (fewer than asked for when y is exhausted earlier). */
  components: number[];
  /** Whether each task's chosen count was 1 or maxComponents (null for a fixed count). */
  gridEdges: GridEdge[];
}

/** Predictions on the fold's rows for each a = 1 … A (fewer if y is exhausted earlier). */
export function plsPredictOnFold(fold: KernelFold, y: Float64Array, maxComponents: number): Float64Array[] {
  const m = fold.train.length;
  const offset = trainMean(y, fold.train);
  const yCentred = Float64Array.from(fold.train, (t) => y[t]! - offset);
  const deflated = Float64Array.from(fold.trainKernel);
  const yDeflated = Float64Array.from(yCentred);
  const scores: Float64Array[] = [];
  const targets: Float64Array[] = [];
  const scale = Math.sqrt(dot(yCentred, yCentred)) * Math.max(1, fold.eigen.values[0] ?? 1);
  for (let a = 0; a < Math.min(maxComponents, m - 1); a++) {
    const t = matVec(deflated, m, m, yDeflated); // t ∝ Kₐ yₐ
    const norm = Math.sqrt(dot(t, t));
    if (!(norm > 1e-10 * scale)) break; // nothing left to explain
    t.forEach((v, i) => (t[i] = v / norm));
    scores.push(t);
    targets.push(Float64Array.from(yDeflated));
    // Kₐ₊₁ = (I − ttᵀ) Kₐ (I − ttᵀ) = Kₐ − t(Kₐt)ᵀ − (Kₐt)tᵀ + (tᵀKₐt) ttᵀ
    const kt = matVec(deflated, m, m, t);
    const tkt = dot(t, kt);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) deflated[i * m + j]! += -t[i]! * kt[j]! - kt[i]! * t[j]! + tkt * t[i]! * t[j]!;
    }
    const ty = dot(t, yDeflated); // yₐ₊₁ = yₐ − t (tᵀyₐ)
    yDeflated.forEach((v, i) => (yDeflated[i] = v - t[i]! * ty));
  }
  const kernelTimesU = targets.map((u) => matVec(fold.trainKernel, m, m, u)); // K uⱼ
  const rowsTimesU = targets.map((u) => matVec(fold.kernel, fold.rows.length, m, u)); // K_(rows,train) uⱼ
  const tTy = scores.map((t) => dot(t, yCentred));
  return scores.map((_, a) => {
    const size = a + 1;
    // B = (TᵀKU) restricted to the first `size` components; coefficients c = B⁻¹ Tᵀy_c
    const b = new Float64Array(size * size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) b[i * size + j] = dot(scores[i]!, kernelTimesU[j]!);
    const c = solve(b, size, tTy.slice(0, size));
    return Float64Array.from(fold.rows, (_, r) => {
      let s = offset;
      for (let j = 0; j < size; j++) s += rowsTimesU[j]![r]! * c[j]!;
      return s;
    });
  });
}

/** The component count with the least inner-CV squared error (the smaller count on ties). */
function tuneComponents(innerFolds: KernelFold[], y: Float64Array, maxComponents: number): number {
  const error = new Float64Array(maxComponents);
  for (const fold of innerFolds) {
    const predictions = plsPredictOnFold(fold, y, maxComponents);
    const fallback = new Float64Array(fold.rows.length).fill(trainMean(y, fold.train));
    for (let a = 0; a < maxComponents; a++) {
      // once y is exhausted further components change nothing: reuse the last model (or ȳ if none)
      const p = predictions[Math.min(a, predictions.length - 1)] ?? fallback;
      fold.rows.forEach((r, i) => (error[a]! += (y[r]! - p[i]!) ** 2));
    }
  }
  let best = 1;
  for (let a = 2; a <= maxComponents; a++) if (error[a - 1]! < error[best - 1]!) best = a;
  return best;
}

/** Partial least squares regression on the genes (components fixed, or chosen by inner CV). */
export function pls(options: PlsOptions = {}): BatchedRegressor<PlsFit> {
  const { nComponents = 'inner-cv', maxComponents = 8, scaling = 'zscore', innerFolds = 5, innerSeed = 0 } = options;
  const innerSplitsOf =
    options.innerSplits ?? ((train: readonly number[]) => randomInnerSplits(train, innerFolds, innerSeed));
  return {
    name:
      nComponents === 'inner-cv'
        ? `PLS (1–${maxComponents} components by inner CV)`
        : `PLS (${nComponents} components)`,
    async fitPredict(X: GeneMatrix, tasks: FitTask[], onProgress?: (done: number, total: number) => void) {
      const n = X.regions;
      checkTasks(n, tasks);
      const cache = new KernelFoldCache(X, scaling, innerSplitsOf);
      const fit: PlsFit = { predictions: [], components: [], gridEdges: [] };
      tasks.forEach((task, t) => {
        const wanted =
          nComponents === 'inner-cv'
            ? tuneComponents(cache.innerFoldsOf(task.train), task.y, maxComponents)
            : nComponents;
        const predictions = plsPredictOnFold(cache.outerFold(task.train), task.y, wanted);
        fit.components.push(predictions.length);
        fit.gridEdges.push(
          nComponents !== 'inner-cv' ? null : wanted === 1 ? 'lower' : wanted === maxComponents ? 'upper' : null,
        );
        onProgress?.(t + 1, tasks.length);
        fit.predictions.push(
          predictions[predictions.length - 1] ?? new Float64Array(n).fill(trainMean(task.y, task.train)),
        );
      });
      return fit;
    },
  };
}
