/** The splits of each cross-validation scheme for a dataset, and the schemes it supports. */
import type { Dataset } from '../data/dataset';
import {
  distanceDependentSplits, hemisphereSplits, leaveOneLobeOut, leaveOneRegionOut, repeatedKFold, type Split,
} from '../evaluation/splits';
import type { CvScheme, StudyOptions } from './options';

export const SCHEME_LABELS: Record<CvScheme, string> = {
  distance: 'distance-dependent (nearest regions held out)',
  loro: 'leave-one-region-out',
  kfold: 'repeated k-fold (random folds)',
  lobe: 'leave-one-lobe-out',
  hemisphere: 'hemisphere to hemisphere',
};

/** Why a scheme cannot run on this dataset, or null when it can. */
export function schemeUnavailable(scheme: CvScheme, dataset: Dataset): string | null {
  const sides = new Set(dataset.hemisphere);
  if (scheme === 'hemisphere' && sides.size < 2) return 'needs regions of both hemispheres (use --regions bilateral)';
  return null;
}

export function schemeSplits(scheme: CvScheme, dataset: Dataset, options: StudyOptions): Split[] {
  const n = dataset.regions.length;
  switch (scheme) {
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
