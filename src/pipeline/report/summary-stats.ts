/** The few statistics the figures print about the points they draw (float64 throughout). */

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Pearson r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²); NaN when either side is constant. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Coefficient of determination of predictions ŷ for observations y: R² = 1 − Σ(y−ŷ)² / Σ(y−ȳ)². */
export function rSquared(observed: readonly number[], predicted: readonly number[]): number {
  const my = mean(observed);
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < observed.length; i++) {
    ssRes += (observed[i]! - predicted[i]!) ** 2;
    ssTot += (observed[i]! - my) ** 2;
  }
  return 1 - ssRes / ssTot;
}

/** Least-squares line y = a + b·x: b = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)², a = ȳ − b·x̄. */
export function linearFit(x: readonly number[], y: readonly number[]): { intercept: number; slope: number } {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0, sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}
