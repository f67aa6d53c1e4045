/**
 * The models a study compares, built for one dataset: the baselines, and the VAE variants of the
 * sensitivity table. Names are shared by the tables, the nulls and the report.
 */
import type { Dataset } from '../data/dataset';
import { genePc1 } from '../evaluation/baselines/gene-pc1';
import { pls } from '../evaluation/baselines/pls';
import { ridge } from '../evaluation/baselines/ridge';
import { counterpartCopy } from '../evaluation/baselines/counterpart-copy';
import { mirroredKnn } from '../evaluation/baselines/mirrored-knn';
import { spatialOnly } from '../evaluation/baselines/spatial-only';
import { counterpartIndex, mirroredCentroids } from '../evaluation/counterparts';
import { spatialInnerSplits } from '../evaluation/inner-splits';
import { DEFAULT_TUNING } from './options';
import { configKey } from '../evaluation/config-groups';
import type { BatchedRegressor } from '../evaluation/models';
import { tunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import { vaeRegressor, type VaeRegressorOptions } from '../evaluation/vae-regressor';
import type { StudyOptions } from './options';
import type { GeneSetData } from './sensitivity';

export const VAE_NAME = 'graph VAE (λ as configured)';
export const VAE_NO_LAPLACIAN = 'graph VAE without Laplacian (λ = 0)';
export const TUNED_NAME = 'graph VAE, tuned by nested spatial CV';
export const TUNED_NO_LAPLACIAN = 'graph VAE, tuned, λ = 0';

export const ensembleName = (model: string, seeds: number): string => `${model}, ${seeds}-seed ensemble`;

/** Models that read no gene: a gene model is interesting only if it beats the best of them on the same splits. */
export const isNoGeneModel = (model: string): boolean =>
  model.startsWith('no genes') || model.startsWith('spatial-only');

/** Ridge first (the random-gene null's model), then PLS, gene PC1 and the no-gene baselines. */
export function baselineModels(dataset: Dataset, options: StudyOptions): BatchedRegressor[] {
  // |x|: homologous regions share coordinates, so what is learnt on one hemisphere applies to the other
  const mirrored = mirroredCentroids(dataset.centroids.surface);
  // λ and components on the tuned VAE's spatial inner folds: deterministic, no seed
  const inner = {
    folds: (options.tuning ?? DEFAULT_TUNING).innerFolds,
    fraction: (options.tuning ?? DEFAULT_TUNING).innerFraction,
  };
  const innerSplits = (train: readonly number[]) =>
    spatialInnerSplits(train, dataset.centroids.surface, dataset.hemisphere, inner);
  return [
    ridge({ scaling: options.scaling, innerSplits }),
    pls({ scaling: options.scaling, innerSplits }),
    genePc1({ scaling: options.scaling }),
    spatialOnly({ coords: mirrored }),
    counterpartCopy({ counterpart: counterpartIndex(dataset.regions), mirrored }),
    mirroredKnn({ mirrored, innerFolds: inner.folds, innerFraction: inner.fraction }),
  ];
}

/**
 * The sensitivity table's models for one gene set: ridge, and the VAE with and without the Laplacian
 * term — tuned (every candidate's λ set to 0 for the second) when tuning is on, else as configured.
 */
export function sensitivityModels(
  set: GeneSetData,
  options: StudyOptions,
  vaeOptions: Omit<VaeRegressorOptions, 'config'>,
): BatchedRegressor[] {
  const { dataset } = set;
  const ridgeModel = baselineModels(dataset, options)[0]!;
  if (!options.tuning) {
    return [
      ridgeModel,
      vaeRegressor({ ...vaeOptions, config: options.model, name: VAE_NAME }),
      vaeRegressor({ ...vaeOptions, config: { ...options.model, lambda: 0 }, name: VAE_NO_LAPLACIAN }),
    ];
  }
  const spatial = { centroids: dataset.centroids.surface, hemispheres: dataset.hemisphere };
  const withoutLaplacian = options.tuning.candidates
    .map((c) => ({ ...c, lambda: 0 }))
    .filter((c, i, list) => list.findIndex((d) => configKey(d) === configKey(c)) === i);
  return [
    ridgeModel,
    tunedVaeRegressor({ ...vaeOptions, ...spatial, config: options.model, tuning: options.tuning, name: TUNED_NAME }),
    tunedVaeRegressor({
      ...vaeOptions,
      ...spatial,
      config: { ...options.model, lambda: 0 },
      tuning: { ...options.tuning, candidates: withoutLaplacian },
      name: TUNED_NO_LAPLACIAN,
    }),
  ];
}
