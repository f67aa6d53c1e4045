/**
 * Predictive intervals for held-out regions, and how often they hold.
 *
 * A seed ensemble of VAEs gives each region a predictive distribution: member s predicts
 * ŷ ~ N(ŷ_s, v_s) with v_s = Var(ŷ) under z ~ q(z|x) (prediction-variance.ts), and the ensemble is
 * their equal-weight mixture. Its spread alone ("generative" intervals) knows nothing of how far off
 * a model is on unseen regions, so it is calibrated — on inner folds of the training regions only —
 * by split conformal prediction with the spread as the local scale (normalised scores).
 */
import { normalQuantile } from './special-functions';

/** The mixture's centre and spread per region. */
export interface MixtureSpread {
  /** m = (1/S) Σ_s ŷ_s */
  center: Float64Array;
  /** u = √((1/S) Σ_s v_s + (1/S) Σ_s (ŷ_s − m)²): the law of total variance for an equal-weight mixture */
  spread: Float64Array;
}

/** Centre and spread of the members' predictive mixture (variances null: the members' disagreement alone). */
export function mixtureSpread(
  members: readonly Float64Array[],
  variances: readonly Float64Array[] | null,
): MixtureSpread {
  const s = members.length;
  if (s === 0) throw new RangeError('mixtureSpread needs at least one member');
  const n = members[0]!.length;
  const center = new Float64Array(n);
  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (const m of members) mean += m[i]! / s;
    let variance = 0;
    members.forEach((m, k) => {
      variance += ((variances ? variances[k]![i]! : 0) + (m[i]! - mean) ** 2) / s;
    });
    center[i] = mean;
    spread[i] = Math.sqrt(variance);
  }
  return { center, spread };
}

/** z such that a central N(0, 1) interval ±z holds `level` of the mass: Φ⁻¹((1 + level)/2). */
export function gaussianMultiplier(level: number): number {
  checkLevel(level);
  return normalQuantile((1 + level) / 2);
}

/**
 * Split-conformal multipliers with normalised scores sⱼ = |yⱼ − mⱼ| / uⱼ over m calibration points:
 * for each level α, q_α = the ⌈(m + 1)·α⌉-th smallest sⱼ, so that a new point exchangeable with them
 * has P(|y − m| ≤ q_α·u) ≥ α. Infinity when m is too small for that level.
 */
export function conformalMultipliers(
  residuals: ArrayLike<number>,
  spreads: ArrayLike<number>,
  levels: readonly number[],
): number[] {
  if (residuals.length !== spreads.length)
    throw new RangeError(`residuals (${residuals.length}) and spreads (${spreads.length}) differ in length`);
  const scores = Array.from({ length: residuals.length }, (_, j) => Math.abs(residuals[j]!) / spreads[j]!).sort(
    (a, b) => a - b,
  );
  if (scores.some((v) => Number.isNaN(v)))
    throw new RangeError('conformal scores need finite residuals and positive spreads');
  return levels.map((level) => {
    checkLevel(level);
    const rank = Math.ceil((scores.length + 1) * level);
    return rank <= scores.length ? scores[rank - 1]! : Infinity;
  });
}

/** Share of the points with lower ≤ y ≤ upper. */
export function coverage(observed: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  let inside = 0;
  for (let i = 0; i < observed.length; i++) if (observed[i]! >= lower[i]! && observed[i]! <= upper[i]!) inside++;
  return inside / observed.length;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must lie in (0, 1), got ${level}`);
}
