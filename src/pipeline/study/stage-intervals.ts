/**
 * Stage: predictive intervals of the headline ensemble (the tuned one when tuning is on), calibrated
 * on inner folds of each split's training regions (predictive-intervals.ts).
 */
import type { StudyContext } from './context';
import { predictiveIntervals, type PredictiveIntervals } from './predictive-intervals';
import type { HeadlineEnsemble } from './stage-cross-validation';
import { ensembleName } from './study-models';
import type { TuningRecord } from './types';

export async function intervalsStage(
  ctx: StudyContext,
  headlineRuns: readonly HeadlineEnsemble[],
  tuning: readonly TuningRecord[],
): Promise<PredictiveIntervals | null> {
  const { inputs, tracked, expression, vaeOptions, tunedMember, headline, headlineSplits } = ctx;
  const { dataset, options } = inputs;
  const run = headlineRuns[headlineRuns.length - 1];
  if (!options.intervals || !run?.memberVariance) return null;
  const memberConfig = (t: number, s: number) => {
    if (!tunedMember) return options.model;
    const split = headlineSplits[t]!.name;
    const record = tuning.find((r) => r.scheme === headline && r.split === split && r.seed === run.seeds[s])!;
    return tunedMember.configOf(record);
  };
  const label = `predictive intervals, ${run.name} (${run.seeds.length} seeds, calibrated on inner folds)`;
  return tracked(label, async () =>
    predictiveIntervals({
      regressor: vaeOptions,
      expression,
      y: dataset.y,
      splits: headlineSplits,
      seeds: run.seeds,
      members: run.members,
      memberVariance: run.memberVariance!,
      memberConfig,
      centroids: dataset.centroids.surface,
      hemispheres: dataset.hemisphere,
      options: options.intervals!,
      model: ensembleName(run.name, run.seeds.length),
    }),
  );
}
