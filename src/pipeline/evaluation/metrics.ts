/**
 * Agreement between a target map y and a prediction ŷ. The functions do not know whether ŷ was
 * fitted on the same regions (in-sample) or predicted for held-out ones (out-of-sample): every
 * caller labels the figures it reports as one or the other.
 */
import { studentTTwoSidedP } from './special-functions';

/** A vector of numbers: a plain array or any typed array. */
export type Vector = ArrayLike<number>;

function checkSameLength(a: Vector, b: Vector, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: vectors differ in length (${a.length} vs ${b.length})`);
}

export function mean(v: Vector): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

/** Population variance Var(v) = Σ(vᵢ − v̄)² / n. */
function variance(v: Vector): number {
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return s / v.length;
}

/** Explained variance 1 − Var(y − ŷ)/Var(y): ignores a constant offset in ŷ (unlike R²). */
export function explainedVariance(y: Vector, yhat: Vector): number {
  checkSameLength(y, yhat, 'explainedVariance');
  const residual = Float64Array.from({ length: y.length }, (_, i) => y[i]! - yhat[i]!);
  return 1 - variance(residual) / variance(y);
}

/** Coefficient of determination R² = 1 − SS_res/SS_tot, SS_res = Σ(yᵢ − ŷᵢ)², SS_tot = Σ(yᵢ − ȳ)². Negative when ŷ is worse than ȳ. */
export function rSquared(y: Vector, yhat: Vector): number {
  checkSameLength(y, yhat, 'rSquared');
  const m = mean(y);
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i]! - yhat[i]!) ** 2;
    ssTot += (y[i]! - m) ** 2;
  }
  return 1 - ssRes / ssTot;
}

/** Pearson r = Σ(xᵢ−x̄)(yᵢ−ȳ) / √(Σ(xᵢ−x̄)² Σ(yᵢ−ȳ)²); NaN for n < 2 or a constant vector. */
export function pearson(x: Vector, y: Vector): number {
  checkSameLength(x, y, 'pearson');
  const n = x.length;
  if (n < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Ranks 1 … n; tied values share the average of the ranks they span. */
export function averageRanks(v: Vector): Float64Array {
  const order = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const ranks = new Float64Array(v.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && v[order[end + 1]!] === v[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = averageRank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman ρ = Pearson r of the average ranks (exact with ties). */
export function spearman(x: Vector, y: Vector): number {
  checkSameLength(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Two-sided parametric p of a Pearson r over n independent pairs: t = r√(n−2)/√(1−r²) with n−2 df.
 * Spatially autocorrelated maps violate the independence this assumes; report p_spin beside it.
 */
export function pearsonPValue(r: number, n: number): number {
  if (n < 3 || Number.isNaN(r)) return NaN;
  if (Math.abs(r) >= 1) return 0;
  const df = n - 2;
  return studentTTwoSidedP((r * Math.sqrt(df)) / Math.sqrt(1 - r * r), df);
}

/** Median, quartiles, mean, SD and count of a set of values. */
export interface Summary {
  median: number;
  q1: number;
  q3: number;
  mean: number;
  sd: number;
  n: number;
}

/** Linear-interpolation quantile of sorted values (type 7, numpy's default): position q·(n−1). */
function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Median, quartiles, mean and sample SD (n−1 denominator) of the finite values; NaN entries
 * (e.g. r over a one-region test set) are left out, and `n` says how many were used.
 */
export function summarize(values: Vector): Summary {
  const finite = Float64Array.from(Array.from(values).filter(Number.isFinite)).sort();
  const n = finite.length;
  if (n === 0) return { median: NaN, q1: NaN, q3: NaN, mean: NaN, sd: NaN, n: 0 };
  const m = mean(finite);
  let ss = 0;
  for (const v of finite) ss += (v - m) ** 2;
  return {
    median: quantileOfSorted(finite, 0.5),
    q1: quantileOfSorted(finite, 0.25),
    q3: quantileOfSorted(finite, 0.75),
    mean: m,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN,
    n,
  };
}

/** Agreement of a prediction with y: Pearson r and its parametric p, Spearman's ρ, R², explained variance, n. */
export interface FitMetrics {
  r: number;
  r2: number;
  explainedVariance: number;
  spearman: number;
  pParametric: number;
  n: number;
  /** mean(ŷ) − mean(y): a shift of the whole prediction (R² counts it, r and explained variance do not). */
  bias: number;
  /** SD(ŷ)/SD(y): above 1 the prediction is more spread out than the truth. */
  spreadRatio: number;
}

/** All agreement figures of one prediction; pParametric assumes independent regions (see pearsonPValue). */
export function metricsOf(y: Vector, yhat: Vector): FitMetrics {
  checkSameLength(y, yhat, 'metricsOf');
  const r = pearson(y, yhat);
  return {
    r,
    r2: rSquared(y, yhat),
    explainedVariance: explainedVariance(y, yhat),
    spearman: spearman(y, yhat),
    pParametric: pearsonPValue(r, y.length),
    n: y.length,
    bias: mean(yhat) - mean(y),
    spreadRatio: Math.sqrt(variance(yhat) / variance(y)),
  };
}
