/**
 * Stage: where over-fitting starts. Each headline split's training and held-out error over epochs,
 * for the configured VAE and (with tuning) for the first seed's chosen setting, trained on to the
 * largest epoch count of the grid to show what comes after the chosen one.
 */
import { learningCurves } from '../evaluation/learning-curves';
import type { StudyContext } from './context';
import { TUNED_NAME, VAE_NAME } from './study-models';
import type { ModelDiagnostics, TuningRecord } from './types';

export async function diagnosticsStage(
  ctx: StudyContext,
  tuning: readonly TuningRecord[],
  epochs: number,
): Promise<ModelDiagnostics[]> {
  const { inputs, tracked, expression, vaeOptions, tunedMember, headline, headlineSplits } = ctx;
  const { dataset, options } = inputs;
  if (!options.diagnostics) return [];
  const { y } = dataset;
  const tasks = headlineSplits.map((s) => ({ y, train: s.train, test: s.test }));
  const splitNames = headlineSplits.map((s) => s.name);
  const diagnostics: ModelDiagnostics[] = [];
  const vaeCurves = await tracked(`learning curves, ${VAE_NAME}`, async () =>
    learningCurves(
      vaeOptions,
      expression,
      tasks,
      tasks.map(() => options.model),
    ),
  );
  diagnostics.push({ model: VAE_NAME, splits: splitNames, curves: vaeCurves, usedEpochs: tasks.map(() => epochs) });
  if (tunedMember && options.tuning) {
    const chosen = headlineSplits.map((split) =>
      tuning.find((r) => r.scheme === headline && r.split === split.name && r.seed === options.seed)!,
    );
    const longest = options.tuning.epochs[options.tuning.epochs.length - 1]!;
    const curves = await tracked(`learning curves, ${TUNED_NAME}`, async () =>
      learningCurves(
        vaeOptions,
        expression,
        tasks,
        chosen.map((c) => ({ ...tunedMember.configOf(c), epochs: longest })),
      ),
    );
    diagnostics.push({ model: TUNED_NAME, splits: splitNames, curves, usedEpochs: chosen.map((c) => c.epochs) });
  }
  return diagnostics;
}
