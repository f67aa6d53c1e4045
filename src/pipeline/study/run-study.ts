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
import { geneMatrix } from '../data/gene-matrix';
import { summarize } from '../evaluation/metrics';
import { tunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import { vaeRegressor } from '../evaluation/vae-regressor';
import type { StudyContext, StudyInputs, Tracked } from './context';
import { geneContributions, withContributionPs } from './gene-contributions';
import { nullMaps } from './null-maps';
import { joinSlices, runNullJobs, WHOLE_STUDY, type NullSlice, type Shard } from './null-runner';
import { schemeSplits, schemeUnavailable } from './scheme-splits';
import { crossValidationStage } from './stage-cross-validation';
import { diagnosticsStage } from './stage-diagnostics';
import { inSampleStage } from './stage-in-sample';
import { intervalsStage } from './stage-intervals';
import { latentsStage } from './stage-latents';
import { sensitivityStage } from './stage-sensitivity';
import { TUNED_NAME, VAE_NAME, VAE_NO_LAPLACIAN, baselineModels } from './study-models';
import { nullEntry, studyNulls, type NullJob, type NullJobInfo } from './study-nulls';
import type { CvScheme } from './options';
import type { StageProgress, StudyResult } from './types';

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

const noProgress: StageProgress = { update() {}, done() {} };

/**
 * The whole study on one dataset: in-sample fit, cross-validation of the VAE and baselines, spin and
 * random-gene nulls, tuning, intervals, diagnostics.
 */
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

/** The models, null maps, headline splits and retrained nulls of a study: cheap, and the same in every shard. */
function planStudy(inputs: StudyInputs): StudyContext {
  const { dataset, engine, options, laplacian } = inputs;
  const stage = inputs.stage ?? (() => noProgress);
  const expression = geneMatrix(dataset.X, dataset.regions.length, dataset.genes.length);
  const vaeOptions = {
    engine,
    laplacian,
    edgeCount: dataset.graph.edges.length,
    seed: options.seed,
    scaling: options.scaling,
    maxBatch: options.maxBatch,
  };
  const vae = vaeRegressor({ ...vaeOptions, config: options.model, name: VAE_NAME });
  const noLaplacian = { ...options.model, lambda: 0 };
  const vaeNoLaplacian = vaeRegressor({ ...vaeOptions, config: noLaplacian, name: VAE_NO_LAPLACIAN });
  const baselines = baselineModels(dataset, options);
  const tunedFor = (predictionVariance: boolean) =>
    options.tuning &&
    tunedVaeRegressor({
      ...vaeOptions,
      config: options.model,
      tuning: options.tuning,
      centroids: dataset.centroids.surface,
      hemispheres: dataset.hemisphere,
      name: TUNED_NAME,
      predictionVariance,
    });
  const tuned = tunedFor(false);
  const intervalsOn = options.intervals !== null;
  const vaeMember = vaeRegressor({
    ...vaeOptions,
    config: options.model,
    name: VAE_NAME,
    predictionVariance: intervalsOn && !tuned,
  });
  const tunedMember = tunedFor(intervalsOn);
  const tracked: Tracked = async (label, work) => {
    const progress = stage(label);
    const result = await work((done, total) => progress.update(Math.floor(done), total));
    progress.done();
    return result;
  };

  const maps = nullMaps(dataset, options);
  const headline = options.schemes.find((s) => !schemeUnavailable(s, dataset));
  if (!headline) throw new Error('no cross-validation scheme can run on this dataset');
  const splitCache = new Map<CvScheme, ReturnType<typeof schemeSplits>>();
  const splitsOf = (scheme: CvScheme) => {
    if (!splitCache.has(scheme)) splitCache.set(scheme, schemeSplits(scheme, dataset, options));
    return splitCache.get(scheme)!;
  };

  // the retrained nulls: the VAEs' on the headline, the baselines' on the headline and every null scheme,
  // each under both families (spins, Moran surrogates)
  const nullsOf = studyNulls({
    expression,
    y: dataset.y,
    headline,
    splitsOf,
    maps,
    pool: inputs.allGenes,
    seed: options.seed,
  });
  const bothFamilies = (
    model: Parameters<typeof nullsOf.retrained>[0],
    scheme: CvScheme,
    spins: number,
    surrogates = Math.min(spins, options.moranMaps),
  ) => [nullsOf.retrained(model, scheme, 'spin', spins), nullsOf.retrained(model, scheme, 'moran', surrogates)];
  const runs = (s: CvScheme) => s !== headline && options.schemes.includes(s) && !schemeUnavailable(s, dataset);
  const nullSchemes = [headline, ...options.nullSchemes.filter(runs)];
  const nullJobs = [
    nullsOf.inSampleRefit(vae, options.vaeSpins),
    ...bothFamilies(vae, headline, options.vaeSpins),
    // λ = 0 beside λ > 0: does the Laplacian term help out of sample? Each gets its own retrained nulls
    ...bothFamilies(vaeNoLaplacian, headline, options.vaeSpins),
    ...(tuned && options.tuning!.spins > 0 ? bothFamilies(tuned, headline, options.tuning!.spins) : []),
    ...nullSchemes.flatMap((scheme) =>
      baselines.flatMap((model) => bothFamilies(model, scheme, options.spins, options.moranMaps)),
    ),
    nullsOf.randomGenes(baselines[0]!, options.randomGeneSets),
    nullsOf.randomGenes(vae, options.vaeRandomGeneSets),
  ].filter((job): job is NullJob => job !== null);

  return {
    inputs,
    stage,
    tracked,
    expression,
    vaeOptions,
    vae,
    vaeNoLaplacian,
    baselines,
    tuned,
    vaeMember,
    tunedMember,
    maps,
    headline,
    headlineSplits: splitsOf(headline),
    splitsOf,
    nullJobs,
  };
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
