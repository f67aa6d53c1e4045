/**
 * Predictive intervals of a VAE seed ensemble for the held-out regions of each split, and their
 * coverage. Per split, with nothing from its held-out regions:
 *   - the members' predictions and posterior variances give each region a centre m and spread u
 *     (evaluation/intervals.ts); the generative interval is m ± z_α·u;
 *   - calibration: the same members (same seeds, same settings) are fitted again on spatial inner
 *     folds of the split's training regions; their inner held-out residuals give the conformal
 *     multipliers q_α, and the calibrated interval is m ± q_α·u.
 * Coverage is then counted on the held-out regions: does a 90 % interval hold about 90 % of them?
 */
import type { VaeConfig } from '../../model';
import type { Hemisphere } from '../atlas';
import type { GeneMatrix } from '../data/gene-matrix';
import { fitByConfig } from '../evaluation/config-groups';
import { spatialInnerSplits } from '../evaluation/inner-splits';
import { conformalMultipliers, coverage, gaussianMultiplier, mixtureSpread } from '../evaluation/intervals';
import type { Split } from '../evaluation/splits';
import type { VaeRegressorOptions } from '../evaluation/vae-regressor';
import type { IntervalOptions } from './options';

/** One held-out region of one split. */
export interface IntervalPoint {
  split: string;
  region: number;
  observed: number;
  /** m and u of the members' mixture */
  center: number;
  spread: number;
  /** Per level: [lower, upper] of m ± z_α·u */
  generative: [number, number][];
  /** Per level: [lower, upper] of m ± q_α·u, q_α from the split's inner folds */
  calibrated: [number, number][];
}

/**
 * At one level: how often held-out values fell inside the generative and the calibrated intervals, and their
 * widths.
 */
export interface IntervalCoverage {
  level: number;
  /** Share of held-out points inside their interval. */
  generative: number;
  calibrated: number;
  /** Mean full width of the intervals, target units. */
  generativeWidth: number;
  calibratedWidth: number;
}

/** Held-out predictive intervals of the headline VAE ensemble, per point and level, with their calibration. */
export interface PredictiveIntervals {
  model: string;
  seeds: number[];
  levels: number[];
  points: IntervalPoint[];
  perSplit: { split: string; calibrationPoints: number; multipliers: number[] }[];
  coverage: IntervalCoverage[];
}

export interface IntervalInputs {
  /** Shared options of the member fits (their settings come from memberConfig). */
  regressor: Omit<VaeRegressorOptions, 'config'>;
  expression: GeneMatrix;
  y: Float64Array;
  splits: readonly Split[];
  seeds: readonly number[];
  /** members[t][s]: split t's prediction by the member with seeds[s], and its Var(ŷ) under q(z|x). */
  members: readonly Float64Array[][];
  memberVariance: readonly Float64Array[][];
  /** The setting member s trained with on split t (the tuned VAE's choice, or the fixed setting). */
  memberConfig: (split: number, seed: number) => Partial<VaeConfig>;
  centroids: Float64Array;
  hemispheres: readonly Hemisphere[];
  options: IntervalOptions;
  model: string;
}

export async function predictiveIntervals(inputs: IntervalInputs): Promise<PredictiveIntervals> {
  const { y, splits, seeds, options } = inputs;
  const inner = splits.map((split) =>
    spatialInnerSplits(split.train, inputs.centroids, inputs.hemispheres, {
      folds: options.innerFolds,
      fraction: options.innerFraction,
    }),
  );
  // calibration fits: split t, inner fold f, seed s, in that order (the S members of a fold are adjacent)
  const jobs = splits.flatMap((_, t) =>
    inner[t]!.flatMap((fold, f) =>
      seeds.map((seed, s) => ({ t, f, s, task: { y, train: fold.train, test: fold.test, seed } })),
    ),
  );
  const fitted = await fitByConfig(
    { ...inputs.regressor, predictionVariance: true },
    inputs.expression,
    jobs.map((j) => j.task),
    jobs.map((j) => inputs.memberConfig(j.t, j.s)),
  );

  const points: IntervalPoint[] = [];
  const perSplit: PredictiveIntervals['perSplit'] = [];
  const z = options.levels.map(gaussianMultiplier);
  let job = 0;
  splits.forEach((split, t) => {
    const residuals: number[] = [];
    const spreads: number[] = [];
    for (const fold of inner[t]!) {
      const mixture = mixtureSpread(
        fitted.predictions.slice(job, job + seeds.length),
        fitted.variance!.slice(job, job + seeds.length),
      );
      job += seeds.length;
      for (const i of fold.test) {
        residuals.push(y[i]! - mixture.center[i]!);
        spreads.push(mixture.spread[i]!);
      }
    }
    const q = conformalMultipliers(residuals, spreads, options.levels);
    perSplit.push({ split: split.name, calibrationPoints: residuals.length, multipliers: q });
    const mixture = mixtureSpread(inputs.members[t]!, inputs.memberVariance[t]!);
    for (const i of split.test) {
      const m = mixture.center[i]!;
      const u = mixture.spread[i]!;
      points.push({
        split: split.name,
        region: i,
        observed: y[i]!,
        center: m,
        spread: u,
        generative: z.map((k) => [m - k * u, m + k * u]),
        calibrated: q.map((k) => [m - k * u, m + k * u]),
      });
    }
  });

  const observed = points.map((p) => p.observed);
  const meanWidth = (bounds: [number, number][]) => bounds.reduce((s, [lo, hi]) => s + (hi - lo), 0) / bounds.length;
  const coverageOf = options.levels.map((level, l): IntervalCoverage => {
    const generative = points.map((p) => p.generative[l]!);
    const calibrated = points.map((p) => p.calibrated[l]!);
    return {
      level,
      generative: coverage(
        observed,
        generative.map((b) => b[0]),
        generative.map((b) => b[1]),
      ),
      calibrated: coverage(
        observed,
        calibrated.map((b) => b[0]),
        calibrated.map((b) => b[1]),
      ),
      generativeWidth: meanWidth(generative),
      calibratedWidth: meanWidth(calibrated),
    };
  });
  return { model: inputs.model, seeds: [...seeds], levels: options.levels, points, perSplit, coverage: coverageOf };
}
