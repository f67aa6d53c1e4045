/**
 * Stage: the headline cross-validation for other gene sets. A gene set that is the study's own
 * dataset reuses the headline results of the models it shares.
 */
import type { Dataset } from '../data/dataset';
import type { StudyContext } from './context';
import { runSensitivity, type GeneSetData, type SensitivityRow } from './sensitivity';
import { sensitivityModels } from './study-models';
import type { CvEntry } from './types';

export async function sensitivityStage(
  ctx: StudyContext,
  crossValidation: readonly CvEntry[],
): Promise<SensitivityRow[] | null> {
  const { inputs, tracked, vaeOptions, headline } = ctx;
  const { dataset, options } = inputs;
  if (!inputs.sensitivity?.length) return null;
  const isStudyData = (d: Dataset) =>
    d.genes.join('\n') === dataset.genes.join('\n') &&
    d.regions.join() === dataset.regions.join() &&
    d.X.every((v, i) => v === dataset.X[i]) &&
    d.y.every((v, i) => v === dataset.y[i]);
  const known = (set: GeneSetData, model: string) =>
    isStudyData(set.dataset)
      ? crossValidation.find((c) => c.scheme === headline && c.model === model)?.result
      : undefined;
  const modelsOf = (set: GeneSetData) =>
    sensitivityModels(set, options, {
      ...vaeOptions,
      laplacian: set.laplacian,
      edgeCount: set.dataset.graph.edges.length,
    });
  return runSensitivity(inputs.sensitivity, headline, options, modelsOf, tracked, known);
}
