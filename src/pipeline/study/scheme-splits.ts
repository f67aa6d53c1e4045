/** The splits of each cross-validation scheme for a dataset, and the schemes it supports. */
import type { Dataset } from '../data/dataset';
import { counterpartIndex, mirroredCentroids } from '../evaluation/counterparts';
import {
  counterpartPatchSplits,
  distanceDependentSplits,
  hemisphereSplits,
  holdOutCounterparts,
  leaveOneLobeOut,
  leaveOneRegionOut,
  repeatedKFold,
  type Split,
} from '../evaluation/splits';
import type { CvScheme, StudyOptions } from './options';

export const SCHEME_LABELS: Record<CvScheme, string> = {
  patches: 'spatial patches with counterparts held out',
  left: 'left hemisphere only, spatial patches',
  'distance-pairs': 'distance-dependent with counterparts held out',
  pair: 'leave-one-pair-out',
  distance: 'distance-dependent (nearest regions held out)',
  loro: 'leave-one-region-out',
  kfold: 'repeated k-fold (random folds)',
  lobe: 'leave-one-lobe-out',
  hemisphere: 'hemisphere to hemisphere (counterparts train)',
};

/** Schemes that may train on a test region's counterpart: their figures include left–right copying. */
export const COUNTERPART_IN_TRAINING: ReadonlySet<CvScheme> = new Set(['hemisphere', 'distance', 'loro', 'kfold']);

/** Why a scheme cannot run on this dataset, or null when it can. */
export function schemeUnavailable(scheme: CvScheme, dataset: Dataset): string | null {
  const sides = new Set(dataset.hemisphere);
  if (scheme === 'hemisphere' && sides.size < 2) return 'needs regions of both hemispheres (use --regions bilateral)';
  if (scheme === 'left' && !sides.has('L')) return 'needs left-hemisphere regions';
  if (scheme === 'left' && sides.size < 2) return 'the data are left-only already: `patches` is the same analysis';
  return null;
}

export function schemeSplits(scheme: CvScheme, dataset: Dataset, options: StudyOptions): Split[] {
  const n = dataset.regions.length;
  const counterpart = counterpartIndex(dataset.regions);
  const mirrored = mirroredCentroids(dataset.centroids.surface);
  switch (scheme) {
    case 'patches':
      return counterpartPatchSplits(mirrored, counterpart, dataset.hemisphere, options.patches);
    case 'left': {
      const left = dataset.hemisphere.flatMap((side, i) => (side === 'L' ? [i] : []));
      return counterpartPatchSplits(mirrored, counterpart, dataset.hemisphere, options.patches, left);
    }
    case 'distance-pairs':
      return holdOutCounterparts(
        distanceDependentSplits(dataset.centroids.surface, options.distanceFraction, dataset.hemisphere),
        counterpart,
      );
    case 'pair':
      return holdOutCounterparts(leaveOneRegionOut(n), counterpart);
    case 'distance':
      return distanceDependentSplits(dataset.centroids.surface, options.distanceFraction, dataset.hemisphere);
    case 'loro':
      return leaveOneRegionOut(n);
    case 'kfold':
      return repeatedKFold(n, options.kFolds, options.kFoldRepeats, options.seed);
    case 'lobe':
      return leaveOneLobeOut(dataset.regions);
    case 'hemisphere':
      return hemisphereSplits(dataset.regions);
  }
}
