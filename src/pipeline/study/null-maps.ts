/**
 * The null maps of a study: for each scheme, the spun maps and the Moran surrogates its retrained
 * nulls rerun the cross-validation on. Schemes that use both hemispheres get the symmetric families
 * (spins that carry each left region's permutation to its counterpart; Moran surrogates of pair means
 * and half-differences), so every null map keeps the real map's left–right symmetry; the left-only
 * scheme gets plain left-hemisphere spins and Moran surrogates over the left regions.
 */
import type { Dataset } from '../data/dataset';
import { counterpartIndex, mirroredCentroids } from '../evaluation/counterparts';
import { moranSurrogates } from '../evaluation/moran';
import { spinPermutations } from '../evaluation/spin';
import { spunTargets } from '../evaluation/spin-null';
import type { CvScheme, StudyOptions } from './options';

export interface NullMaps {
  /** Symmetric spins (both hemispheres) and plain ones (the left-only scheme), options.spins each. */
  spins: { symmetric: Int32Array[]; plain: Int32Array[] };
  /** The first `count` null maps of y for a scheme and family. */
  maps(scheme: CvScheme, family: 'spin' | 'moran', count: number): Float64Array[];
}

export function nullMaps(dataset: Dataset, options: StudyOptions): NullMaps {
  const { y, hemisphere } = dataset;
  const counterpart = counterpartIndex(dataset.regions);
  const mirrored = mirroredCentroids(dataset.centroids.surface);
  const spin = (withPairs: boolean) =>
    spinPermutations({
      sphere: dataset.centroids.sphere,
      hemisphere,
      n: options.spins,
      seed: options.seed,
      method: options.spinMethod,
      ...(withPairs ? { counterpart } : {}),
    });
  const spins = { symmetric: spin(true), plain: spin(false) };
  const left = hemisphere.flatMap((side, i) => (side === 'L' ? [i] : []));
  const moran = (only?: number[]) =>
    moranSurrogates(y, {
      mirrored,
      counterpart,
      hemisphere,
      count: options.moranMaps,
      seed: options.seed,
      ...(only ? { only } : {}),
    });
  let moranSymmetric: Float64Array[] | undefined;
  let moranLeft: Float64Array[] | undefined;
  return {
    spins,
    maps(scheme, family, count) {
      if (family === 'spin') return spunTargets(y, (scheme === 'left' ? spins.plain : spins.symmetric).slice(0, count));
      if (scheme === 'left') return (moranLeft ??= moran(left)).slice(0, count);
      return (moranSymmetric ??= moran()).slice(0, count);
    },
  };
}
