/**
 * Sensitivity of the headline cross-validation to the genes: the same splits scheme, the same models
 * and settings, rerun for other gene sets (another expression file, the landmarks or every gene).
 */
import type { CsrMatrix } from '../../engine/backend';
import type { Dataset } from '../data/dataset';
import { geneMatrix } from '../data/gene-matrix';
import { crossValidate } from '../evaluation/cross-validate';
import type { FitMetrics } from '../evaluation/metrics';
import type { BatchedRegressor } from '../evaluation/models';
import type { CrossValidationResult } from '../evaluation/cross-validate';
import type { CvScheme, GeneSetSpec, StudyOptions } from './options';
import { schemeSplits, schemeUnavailable } from './scheme-splits';

/** One gene set, built by the caller into a dataset with its own Laplacian (its regions may differ). */
export interface GeneSetData {
  spec: GeneSetSpec;
  dataset: Dataset;
  laplacian: CsrMatrix;
}

/** The headline cross-validation for one gene set: expression file, gene selection, and the figures. */
export interface SensitivityRow {
  /** The expression file and gene selection, as given. */
  expression: string;
  genes: string;
  geneCount: number;
  regions: number;
  model: string;
  /** Pooled held-out figures of the scheme's cross-validation. */
  pooled: FitMetrics;
}

export async function runSensitivity(
  sets: readonly GeneSetData[],
  scheme: CvScheme,
  options: StudyOptions,
  modelsFor: (set: GeneSetData) => BatchedRegressor[],
  tracked: <T>(label: string, work: (update: (done: number, total: number) => void) => Promise<T>) => Promise<T>,
  /** The study's own result for this gene set and model, when the set is the study's dataset: used, not recomputed. */
  known: (set: GeneSetData, model: string) => CrossValidationResult | undefined = () => undefined,
): Promise<SensitivityRow[]> {
  const rows: SensitivityRow[] = [];
  for (const set of sets) {
    const { dataset } = set;
    const reason = schemeUnavailable(scheme, dataset);
    if (reason)
      throw new Error(
        `sensitivity: ${set.spec.expression ?? 'the expression file'}: the headline scheme cannot run (${reason})`,
      );
    const splits = schemeSplits(scheme, dataset, options);
    const expression = geneMatrix(dataset.X, dataset.regions.length, dataset.genes.length);
    const { regions: n, genes: g } = expression;
    for (const model of modelsFor(set)) {
      const result =
        known(set, model.name) ??
        (await tracked(`sensitivity, ${g} genes (${set.spec.genes}), ${model.name}`, (update) =>
          crossValidate(model, expression, dataset.y, splits, { onProgress: update }),
        ));
      rows.push({
        expression: dataset.provenance.expressionFile ?? String(set.spec.expression),
        genes: set.spec.genes,
        geneCount: g,
        regions: n,
        model: model.name,
        pooled: result.pooled,
      });
    }
  }
  return rows;
}
