/**
 * Inner folds for tuning, drawn inside one outer split's training regions and spatially blocked the
 * way the outer schemes are: each inner fold holds out a patch of neighbouring training regions, so
 * the settings chosen must predict regions whose neighbours did not train (random inner folds would
 * favour settings that interpolate between neighbours). Only the training regions' indices and
 * centroids are read: never a target, never a held-out region.
 */
import type { Hemisphere } from '../atlas';
import { distanceDependentSplits, type Split } from './splits';

export interface InnerSplitSettings {
  /** Number of inner folds (patches), at most the number of training regions. */
  folds: number;
  /** Each patch: this fraction of the training regions of its seed's hemisphere, nearest to the seed. */
  fraction: number;
}

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
  const mean = [0, 1, 2].map((a) => Array.from({ length: m }, (_, i) => points[3 * i + a]!).reduce((s, v) => s + v, 0) / m);
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

/**
 * Spatially blocked inner splits of `train` (global region indices): `folds` seeds spread over the
 * training regions by farthest-point sampling on their surface centroids; each holds out itself and
 * its nearest training regions of the same hemisphere, round(fraction · m_h) in all (m_h: training
 * regions in that hemisphere), exactly as the outer distance-dependent scheme does over all regions.
 * Patches may overlap. Inner train/test hold global indices; split names are `inner-<region>`.
 */
export function spatialInnerSplits(
  train: readonly number[],
  centroids: Float64Array,
  hemispheres: readonly Hemisphere[],
  settings: InnerSplitSettings,
): Split[] {
  if (!(Number.isInteger(settings.folds) && settings.folds >= 2)) throw new RangeError(`inner folds must be an integer ≥ 2, got ${settings.folds}`);
  if (train.length < 3) throw new RangeError(`inner folds need at least 3 training regions, got ${train.length}`);
  const local = Float64Array.from(train.flatMap((i) => [centroids[3 * i]!, centroids[3 * i + 1]!, centroids[3 * i + 2]!]));
  const localSplits = distanceDependentSplits(local, settings.fraction, train.map((i) => hemispheres[i]!));
  return farthestPoints(local, settings.folds).map((seed) => {
    const split = localSplits[seed]!;
    if (split.train.length === 0) {
      throw new RangeError(`inner fold around region ${train[seed]} holds out all ${split.test.length} training regions of its hemisphere; lower the inner fraction`);
    }
    return { name: `inner-${train[seed]}`, train: split.train.map((i) => train[i]!), test: split.test.map((i) => train[i]!) };
  });
}
