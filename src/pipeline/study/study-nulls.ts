/**
 * The nulls of a study that retrain a model — the expensive part of a study. Each is a list of
 * items (spins or random gene sets) whose statistics can be computed for any range of items, by
 * any process, with the same result, so the work can be split into chunks and shards
 * (null-runner.ts) and joined again. Their p-values are computed once every item is in.
 */
import type { BatchedRegressor } from '../evaluation/models';
import { geneSetStatistics, randomGeneSets } from '../evaluation/random-gene-null';
import { spinPValue } from '../evaluation/spin';
import { crossValidatedStatistics, inSampleStatistics, spunTargets } from '../evaluation/spin-null';
import type { Split } from '../evaluation/splits';
import type { NullEntry, StudyResult } from './run-study';

/** The nulls that retrain models: in-sample refits to spun maps, cross-validated retraining, random gene sets. */
export type RetrainedNullKind = 'in-sample refit' | 'retrained' | 'random genes';

/** What a null is, as data: enough to check, join and report it without the model. */
export interface NullJobInfo {
  /** Unique within a study: kind and model. */
  id: string;
  kind: RetrainedNullKind;
  model: string;
  /** The null's title in reports. */
  name: string;
  /** Number of null draws: spins or gene sets. */
  items: number;
  itemLabel: 'spins' | 'gene sets';
  /** Model fits per item (the headline splits; 1 for an in-sample refit). */
  fitsPerItem: number;
}

export interface NullJob {
  info: NullJobInfo;
  /** The statistic of items start … end−1, in item order; each item's value depends on that item alone. */
  run(start: number, end: number, onProgress?: (done: number, total: number) => void): Promise<Float64Array>;
}

export interface StudyNullInputs {
  X: Float64Array;
  n: number;
  g: number;
  y: Float64Array;
  /** The headline scheme's splits and label: the retrained nulls rerun this cross-validation. */
  splits: readonly Split[];
  schemeLabel: string;
  /** Spin permutations; a null over m spins uses the first m. */
  spins: readonly Int32Array[];
  /** Every gene of the expression file, for random gene sets (absent: no random-gene nulls). */
  pool?: { X: Float64Array; genes: string[] };
  /** Seeds the random gene sets. */
  seed: number;
}

/** The three kinds of retrained null over a study's data; each call is one model's null. */
export function studyNulls(inputs: StudyNullInputs) {
  const { X, n, g, y, splits, spins, schemeLabel } = inputs;
  const job = (model: BatchedRegressor, kind: RetrainedNullKind, name: string, items: number, run: NullJob['run']): NullJob => ({
    info: {
      id: `${kind}: ${model.name}`, kind, model: model.name, name, items,
      itemLabel: kind === 'random genes' ? 'gene sets' : 'spins',
      fitsPerItem: kind === 'in-sample refit' ? 1 : splits.length,
    },
    run,
  });
  return {
    /** The model fitted on every region of each spun target yₖ = y∘Pₖ; in-sample rₖ = r(yₖ, ŷₖ). */
    inSampleRefit: (model: BatchedRegressor, spinCount: number): NullJob =>
      job(model, 'in-sample refit', `${model.name}: in-sample fit refitted on each spun target`, spinCount, (start, end, onProgress) =>
        inSampleStatistics(model, X, n, g, spunTargets(y, spins.slice(start, end)), { onProgress })),

    /** The headline cross-validation rerun on each spun target (scaling and fitting redone per fold). */
    retrainedSpins: (model: BatchedRegressor, spinCount: number): NullJob =>
      job(model, 'retrained', `${model.name}: ${schemeLabel} CV rerun on each spun target`, spinCount, (start, end, onProgress) =>
        crossValidatedStatistics(model, X, n, g, spunTargets(y, spins.slice(start, end)), splits, { onProgress })),

    /** The headline cross-validation with `count` random g-gene sets from the pool; null without a larger pool or sets. */
    randomGenes: (model: BatchedRegressor, count: number): NullJob | null => {
      const pool = inputs.pool;
      if (!pool || pool.genes.length <= g || count < 1) return null;
      let sets: Int32Array[] | undefined;
      return job(model, 'random genes', `${model.name}: ${schemeLabel} CV with ${count} random ${g}-gene sets from ${pool.genes.length}`, count, (start, end, onProgress) => {
        sets ??= randomGeneSets(pool.genes.length, g, count, inputs.seed);
        return geneSetStatistics(model, pool.X, n, pool.genes.length, sets.slice(start, end), y, splits, { onProgress });
      });
    },
  };
}

/**
 * A null's entry in the study: its observed statistic comes from the observed study (the model's
 * in-sample fit, or its headline cross-validation), p = (1 + #null ≥ observed)/(1 + draws).
 */
export function nullEntry(info: NullJobInfo, study: StudyResult, nulls: Float64Array): NullEntry {
  const observed = info.kind === 'in-sample refit'
    ? study.inSample.find((m) => m.model === info.model)?.metrics.r
    : study.crossValidation.find((c) => c.scheme === study.headline && c.model === info.model)?.result.pooled.r;
  if (observed === undefined) throw new Error(`${info.name}: the study has no observed ${info.kind === 'in-sample refit' ? 'in-sample fit' : 'headline cross-validation'} of ${info.model}`);
  return {
    name: info.name,
    model: info.model,
    kind: info.kind,
    basis: info.kind === 'in-sample refit' ? 'in-sample' : 'out-of-sample',
    statistic: 'r',
    observed,
    nulls,
    p: spinPValue(observed, nulls, 'greater'),
    pLabel: info.kind === 'random genes' ? 'p_genes' : 'p_spin',
  };
}
