/**
 * The whole evaluation of docs/evaluation.md on one dataset, as a composition of typed stages: the VAE
 * fitted in-sample (over several seeds), every cross-validation scheme for the VAE and the baselines
 * on the same splits, diagnostics, predictive intervals, the sensitivity table, latent programs, the
 * retrained nulls (spin and Moran families, random genes) and the genes' contribution over the best
 * no-gene baseline. Every VAE job is one batched training run.
 *
 * It is computed in two parts that may run in different processes: the observed study (everything
 * but the nulls that retrain a model) and those retrained nulls, in chunks that shards share out
 * (null-runner.ts). `withNulls` joins the two into the result one run gives.
 */
import { summarize } from '../evaluation/metrics';
import type { StudyContext, StudyInputs } from './context';
import { geneContributions, withContributionPs } from './gene-contributions';
import { joinSlices, runNullJobs, WHOLE_STUDY, type NullSlice, type Shard } from './null-runner';
import { planStudy } from './plan-study';
import { crossValidationStage } from './stage-cross-validation';
import { diagnosticsStage } from './stage-diagnostics';
import { inSampleStage } from './stage-in-sample';
import { intervalsStage } from './stage-intervals';
import { latentsStage } from './stage-latents';
import { sensitivityStage } from './stage-sensitivity';
import { nullEntry, type NullJobInfo } from './study-nulls';
import type { CvScheme } from './options';
import type { StudyResult } from './types';

export type { StudyCheckpoints, StudyInputs } from './context';
export type {
  CvEntry,
  ModelDiagnostics,
  ModelMetrics,
  NullEntry,
  StageProgress,
  StudyResult,
  TuningRecord,
} from './types';
export { TUNED_NAME, VAE_NAME, VAE_NO_LAPLACIAN } from './study-models';

/** What one process computes of a study: the observed study (shard 1 only) and its shard of the retrained nulls. */
export interface StudyPart {
  observed: StudyResult | null;
  nulls: NullSlice[];
}

/** p of `model`'s CV on `scheme` (default: the headline) against its retrained null of a family, if it has one. */
export function retrainedP(
  study: StudyResult,
  model: string,
  family: 'spin' | 'moran',
  scheme: CvScheme = study.headline,
) {
  const entry = study.nulls.find(
    (n) => n.kind === 'retrained' && n.model === model && n.family === family && n.scheme === scheme,
  );
  return entry ? { p: entry.p, draws: entry.nulls.length } : undefined;
}

/** p_spin of `model`'s headline cross-validation against its retrained spin null, if it has one. */
export function retrainedSpinP(study: StudyResult, model: string): number | undefined {
  return retrainedP(study, model, 'spin')?.p;
}

/**
 * The whole study on one dataset: in-sample fits, every scheme's cross-validation, tuning, intervals,
 * diagnostics, latents, the retrained nulls and the genes' contribution.
 */
export async function runStudy(inputs: StudyInputs): Promise<StudyResult> {
  const { observed, nulls } = await runStudyPart(inputs, WHOLE_STUDY);
  return withNulls(
    observed!,
    nulls.map((slice) => ({ job: slice.job, values: joinSlices(slice.job, [slice]) })),
  );
}

/** Shard k of n of a study: its chunks of every retrained null and, in shard 1, the observed study. */
export async function runStudyPart(inputs: StudyInputs, shard: Shard): Promise<StudyPart> {
  const ctx = planStudy(inputs);
  let observed: StudyResult | null = null;
  if (shard.index === 1) {
    observed = inputs.resume?.loadObserved() ?? null;
    if (!observed) {
      observed = await observedStudy(ctx);
      inputs.resume?.saveObserved(observed);
    }
  }
  const nulls = await runNullJobs(ctx.nullJobs, {
    shard,
    chunkFits: inputs.options.nullChunk,
    checkpoints: inputs.resume,
    stage: ctx.stage,
  });
  return { observed, nulls };
}

/** The observed study with each retrained null's values added, in order, and the genes' contribution's p over them. */
export function withNulls(
  observed: StudyResult,
  nulls: readonly { job: NullJobInfo; values: Float64Array }[],
): StudyResult {
  const added = nulls.map(({ job, values }) => nullEntry(job, observed, values));
  const joined = { ...observed, nulls: [...observed.nulls, ...added] };
  return { ...joined, geneContributions: withContributionPs(joined) };
}

/** Everything but the retrained nulls, stage by stage. */
async function observedStudy(ctx: StudyContext): Promise<StudyResult> {
  const fit = await inSampleStage(ctx);
  const cv = await crossValidationStage(ctx, fit.seeds);
  const diagnostics = await diagnosticsStage(ctx, cv.tuning, fit.epochs);
  const intervals = await intervalsStage(ctx, cv.headlineRuns, cv.tuning);
  const sensitivity = await sensitivityStage(ctx, cv.crossValidation);
  const latents = await latentsStage(ctx, fit.seeds);
  const [vaeRun, tunedRun] = cv.headlineRuns;
  const observed: StudyResult = {
    main: fit.main,
    inSample: fit.inSample,
    overSeeds: {
      seeds: fit.seeds,
      inSampleR: summarize(fit.bySeed.map((m) => m.r)),
      inSampleR2: summarize(fit.bySeed.map((m) => m.r2)),
      cvR: summarize(vaeRun!.bySeed.map((c) => c.pooled.r)),
      cvR2: summarize(vaeRun!.bySeed.map((c) => c.pooled.r2)),
    },
    tunedOverSeeds: tunedRun
      ? {
          seeds: tunedRun.seeds,
          cvR: summarize(tunedRun.bySeed.map((c) => c.pooled.r)),
          cvR2: summarize(tunedRun.bySeed.map((c) => c.pooled.r2)),
        }
      : null,
    crossValidation: cv.crossValidation,
    tuning: cv.tuning,
    gridEdges: cv.gridEdges,
    diagnostics,
    intervals,
    sensitivity,
    skippedSchemes: cv.skippedSchemes,
    nulls: fit.fixedNulls,
    geneContributions: [],
    latents,
    headline: ctx.headline,
  };
  return { ...observed, geneContributions: geneContributions(observed, ctx.inputs.dataset.y, ctx.inputs.options.seed) };
}
