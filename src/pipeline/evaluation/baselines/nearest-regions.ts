/** Nearest training regions by Euclidean distance between N×3 centroids (ties: the lower index). */
export function nearestTraining(coords: Float64Array, region: number, train: readonly number[], k: number): number[] {
  const squared = (t: number) =>
    (coords[3 * region]! - coords[3 * t]!) ** 2 +
    (coords[3 * region + 1]! - coords[3 * t + 1]!) ** 2 +
    (coords[3 * region + 2]! - coords[3 * t + 2]!) ** 2;
  return train
    .map((t) => ({ t, d: squared(t) }))
    .sort((a, b) => a.d - b.d || a.t - b.t)
    .slice(0, Math.min(k, train.length))
    .map(({ t }) => t);
}
