/**
 * Inner folds for tuning, drawn inside one outer split's training regions and spatially blocked the
 * way the outer schemes are: each inner fold holds out a patch of neighbouring training regions, so
 * the settings chosen must predict regions whose neighbours did not train (random inner folds would
 * favour settings that interpolate between neighbours). Only the training regions' indices and
 * centroids are read: never a target, never a held-out region.
 */
import type { Hemisphere } from '../atlas';
import { farthestPoints } from './farthest-points';
import { distanceDependentSplits, type Split } from './splits';

export { farthestPoints } from './farthest-points';

export interface InnerSplitSettings {
  /** Number of inner folds (patches), at most the number of training regions. */
  folds: number;
  /** Each patch: this fraction of the training regions of its seed's hemisphere, nearest to the seed. */
  fraction: number;
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
  if (!(Number.isInteger(settings.folds) && settings.folds >= 2))
    throw new RangeError(`inner folds must be an integer ≥ 2, got ${settings.folds}`);
  if (train.length < 3) throw new RangeError(`inner folds need at least 3 training regions, got ${train.length}`);
  const local = Float64Array.from(
    train.flatMap((i) => [centroids[3 * i]!, centroids[3 * i + 1]!, centroids[3 * i + 2]!]),
  );
  const localSplits = distanceDependentSplits(
    local,
    settings.fraction,
    train.map((i) => hemispheres[i]!),
  );
  return farthestPoints(local, settings.folds).map((seed) => {
    const split = localSplits[seed]!;
    if (split.train.length === 0) {
      throw new RangeError(
        `inner fold around region ${train[seed]} holds out all ${split.test.length} training regions of its hemisphere; lower the inner fraction`,
      );
    }
    return {
      name: `inner-${train[seed]}`,
      train: split.train.map((i) => train[i]!),
      test: split.test.map((i) => train[i]!),
    };
  });
}
