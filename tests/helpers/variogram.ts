/**
 * An empirical variogram over surface centroids, within each hemisphere: γ(h) = mean of (yᵢ − yⱼ)²/2
 * over region pairs of one hemisphere whose centroid distance falls in the bin of h.
 */
export const VARIOGRAM_BINS: readonly [number, number][] = [
  [0, 25],
  [25, 45],
  [45, 65],
  [65, 90],
  [90, 200],
];

export function variogram(y: Float64Array, surface: Float64Array, hemisphere: readonly string[]): number[] {
  const sum = VARIOGRAM_BINS.map(() => 0);
  const count = VARIOGRAM_BINS.map(() => 0);
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) {
      if (hemisphere[i] !== hemisphere[j]) continue;
      const d = Math.hypot(
        surface[3 * i]! - surface[3 * j]!,
        surface[3 * i + 1]! - surface[3 * j + 1]!,
        surface[3 * i + 2]! - surface[3 * j + 2]!,
      );
      const b = VARIOGRAM_BINS.findIndex(([lo, hi]) => d >= lo && d < hi);
      if (b < 0) continue;
      sum[b]! += (y[i]! - y[j]!) ** 2 / 2;
      count[b]!++;
    }
  }
  return sum.map((s, b) => s / count[b]!);
}
