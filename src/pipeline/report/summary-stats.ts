/** The least-squares line a scatter plot draws through its points (float64). */
import { mean } from '../evaluation/metrics';

/** Least-squares line y = a + b·x: b = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)², a = ȳ − b·x̄. */
export function linearFit(x: readonly number[], y: readonly number[]): { intercept: number; slope: number } {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}
