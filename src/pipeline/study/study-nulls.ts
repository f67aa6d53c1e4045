/**
 * The nulls of a study that retrain a model — the expensive part of a study. Each is a list of
 * items (spins, Moran surrogates or random gene sets) whose statistics can be computed for any range
 * of items, by any process, with the same result, so the work can be split into chunks and shards
 * (null-runner.ts) and joined again. Their p-values are computed once every item is in.
 */
import { geneMatrix, type GeneMatrix } from '../data/gene-matrix';
import type { BatchedRegressor } from '../evaluation/models';
import { geneSetStatistics, randomGeneSets } from '../evaluation/random-gene-null';
import { spinPValue } from '../evaluation/spin';
import { crossValidatedStatistics, inSampleStatistics } from '../evaluation/spin-null';
import type { Split } from '../evaluation/splits';
import type { NullMaps } from './null-maps';
import type { CvScheme } from './options';
import { SCHEME_LABELS } from './scheme-splits';
import { P_LABELS, type NullEntry, type NullFamily, type StudyResult } from './types';

/** The nulls that retrain models: in-sample refits to spun maps, cross-validated retraining, random gene sets. */
export type RetrainedNullKind = 'in-sample refit' | 'retrained' | 'random genes';

const FAMILY_NAMES: Record<NullFamily, string> = {
  spin: 'spun target',
  moran: 'Moran surrogate',
  genes: 'random gene set',
};

/** What a null is, as data: enough to check, join and report it without the model. */
export interface NullJobInfo {
  /** Unique within a study: kind, model, scheme and family. */
  id: string;
  kind: RetrainedNullKind;
  model: string;
  scheme: CvScheme;
  family: NullFamily;
  /** The null's title in reports. */
  name: string;
  /** Number of null draws: spins, surrogates or gene sets. */
  items: number;
  itemLabel: 'spins' | 'surrogates' | 'gene sets';
  /** Model fits per item (the scheme's splits; 1 for an in-sample refit). */
  fitsPerItem: number;
}

export interface NullJob {
  info: NullJobInfo;
  /** The statistic of items start … end−1, in item order; each item's value depends on that item alone. */
  run(start: number, end: number, onProgress?: (done: number, total: number) => void): Promise<Float64Array>;
}

export interface StudyNullInputs {
  expression: GeneMatrix;
  y: Float64Array;
  /** The headline scheme: in-sample refits and random gene sets belong to it. */
  headline: CvScheme;
  splitsOf(scheme: CvScheme): readonly Split[];
  maps: NullMaps;
  /** Every gene of the expression file, for random gene sets (absent: no random-gene nulls). */
  pool?: { X: Float64Array; genes: string[] };
  /** Seeds the random gene sets. */
  seed: number;
}

/** The kinds of retrained null over a study's data; each call is one model's null. */
export function studyNulls(inputs: StudyNullInputs) {
  const { expression, y, headline, maps } = inputs;
  const { regions: n, genes: g } = expression;
  const job = (
    model: BatchedRegressor,
    kind: RetrainedNullKind,
    scheme: CvScheme,
    family: NullFamily,
    name: string,
    items: number,
    run: NullJob['run'],
  ): NullJob => ({
    info: {
      id: `${kind}: ${model.name} [${scheme}, ${family}]`,
      kind,
      model: model.name,
      scheme,
      family,
      name,
      items,
      itemLabel: family === 'genes' ? 'gene sets' : family === 'moran' ? 'surrogates' : 'spins',
      fitsPerItem: kind === 'in-sample refit' ? 1 : inputs.splitsOf(scheme).length,
    },
    run,
  });
  return {
    /** The model fitted on every region of each symmetric spun target yₖ = y∘Pₖ; in-sample rₖ = r(yₖ, ŷₖ). */
    inSampleRefit: (model: BatchedRegressor, spinCount: number): NullJob =>
      job(
        model,
        'in-sample refit',
        headline,
        'spin',
        `${model.name}: in-sample fit refitted on each spun target`,
        spinCount,
        (start, end, onProgress) =>
          inSampleStatistics(model, expression, maps.maps(headline, 'spin', end).slice(start), { onProgress }),
      ),

    /** A scheme's cross-validation rerun on each null map of a family (scaling and fitting redone per fold); null for no maps. */
    retrained: (model: BatchedRegressor, scheme: CvScheme, family: 'spin' | 'moran', count: number): NullJob | null => {
      if (count < 1) return null;
      const splits = inputs.splitsOf(scheme);
      return job(
        model,
        'retrained',
        scheme,
        family,
        `${model.name}: ${SCHEME_LABELS[scheme]} CV rerun on each ${FAMILY_NAMES[family]}`,
        count,
        (start, end, onProgress) =>
          crossValidatedStatistics(model, expression, maps.maps(scheme, family, end).slice(start), splits, {
            onProgress,
          }),
      );
    },

    /** The headline cross-validation with `count` random g-gene sets from the pool; null without a larger pool or sets. */
    randomGenes: (model: BatchedRegressor, count: number): NullJob | null => {
      const pool = inputs.pool;
      if (!pool || pool.genes.length <= g || count < 1) return null;
      let sets: Int32Array[] | undefined;
      let all: GeneMatrix | undefined;
      const splits = inputs.splitsOf(headline);
      return job(
        model,
        'random genes',
        headline,
        'genes',
        `${model.name}: ${SCHEME_LABELS[headline]} CV with ${count} random ${g}-gene sets from ${pool.genes.length}`,
        count,
        (start, end, onProgress) => {
          sets ??= randomGeneSets(pool.genes.length, g, count, inputs.seed);
          all ??= geneMatrix(pool.X, n, pool.genes.length);
          return geneSetStatistics(model, all, sets.slice(start, end), y, splits, {
            onProgress,
          });
        },
      );
    },
  };
}

/**
 * A null's entry in the study: its observed statistic comes from the observed study (the model's
 * in-sample fit, or its cross-validation on the null's scheme), p = (1 + #null ≥ observed)/(1 + draws).
 */
export function nullEntry(info: NullJobInfo, study: StudyResult, nulls: Float64Array): NullEntry {
  const observed =
    info.kind === 'in-sample refit'
      ? study.inSample.find((m) => m.model === info.model)?.metrics.r
      : study.crossValidation.find((c) => c.scheme === info.scheme && c.model === info.model)?.result.pooled.r;
  if (observed === undefined)
    throw new Error(
      `${info.name}: the study has no observed ${info.kind === 'in-sample refit' ? 'in-sample fit' : `${info.scheme} cross-validation`} of ${info.model}`,
    );
  return {
    name: info.name,
    model: info.model,
    kind: info.kind,
    family: info.family,
    scheme: info.scheme,
    basis: info.kind === 'in-sample refit' ? 'in-sample' : 'out-of-sample',
    statistic: 'r',
    observed,
    nulls,
    p: spinPValue(observed, nulls, 'greater'),
    pLabel: P_LABELS[info.family],
  };
}
