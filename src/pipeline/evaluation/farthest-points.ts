/** Farthest-point sampling over N×3 points: deterministic seeds spread over a set of regions. */

/** Squared Euclidean distance between points i and j of an N×3 array. */
function squaredDistance(points: Float64Array, i: number, j: number): number {
  let s = 0;
  for (let a = 0; a < 3; a++) s += (points[3 * i + a]! - points[3 * j + a]!) ** 2;
  return s;
}

/**
 * `count` points spread over the set by farthest-point sampling: the first is the point farthest from
 * the set's mean, each next one maximises its distance to the nearest point already chosen (ties: the
 * lower index). Deterministic, so the folds of a training set never depend on a seed.
 */
export function farthestPoints(points: Float64Array, count: number): number[] {
  const m = points.length / 3;
  const mean = [0, 1, 2].map(
    (a) => Array.from({ length: m }, (_, i) => points[3 * i + a]!).reduce((s, v) => s + v, 0) / m,
  );
  const withMean = Float64Array.from([...points, ...mean]);
  const farthest = (distance: number[]): number => distance.reduce((best, d, i) => (d > distance[best]! ? i : best), 0);
  const chosen = [farthest(Array.from({ length: m }, (_, i) => squaredDistance(withMean, i, m)))];
  const nearestChosen = Array.from({ length: m }, (_, i) => squaredDistance(points, i, chosen[0]!));
  while (chosen.length < Math.min(count, m)) {
    const next = farthest(nearestChosen);
    chosen.push(next);
    for (let i = 0; i < m; i++) nearestChosen[i] = Math.min(nearestChosen[i]!, squaredDistance(points, i, next));
  }
  return chosen;
}
