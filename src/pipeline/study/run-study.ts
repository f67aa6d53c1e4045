/**
 * The whole evaluation of docs/evaluation.md on one dataset: the VAE fitted in-sample (over several
 * seeds), every cross-validation scheme for the VAE and the baselines on the same splits, spin and
 * random-gene nulls, and the latent programs. Every VAE job is one batched training run.
 *
 * It is computed in two parts that may run in different processes: the observed study (everything
 * but the nulls that retrain a model) and those retrained nulls, in chunks that shards share out
 * (null-runner.ts). `withNulls` joins the two into the result one run gives.
 */
import type { CsrMatrix } from '../../engine/backend';
import type { Engine } from '../../engine/engine';
import { selectModels, trainVae, type EpochLosses, type VaeModel } from '../../model';
import { decoderLoadings } from '../../model/decoder-loadings';
import type { Dataset } from '../data/dataset';
import { crossValidate, scoreSplits, type CrossValidationResult } from '../evaluation/cross-validate';
import { metricsOf, summarize, type FitMetrics, type Summary } from '../evaluation/metrics';
import type { BatchedRegressor } from '../evaluation/models';
import { spinPermutations } from '../evaluation/spin';
import { spinNullFixed } from '../evaluation/spin-null';
import { scaledExpression, trainTask, vaeRegressor } from '../evaluation/vae-regressor';
import { tunedVaeRegressor, type TunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import { learningCurves, type LearningCurve } from '../evaluation/learning-curves';
import { memberMean, seedEnsemble, type MemberModel } from '../evaluation/seed-ensemble';
import type { Split } from '../evaluation/splits';
import { latentPrograms, type LatentProgramSummary } from './latent-programs';
import { joinSlices, runNullJobs, WHOLE_STUDY, type NullCheckpoints, type NullSlice, type Shard } from './null-runner';
import { TUNED_NAME, VAE_NAME, VAE_NO_LAPLACIAN, baselineModels, ensembleName, sensitivityModels } from './study-models';
import type { CvScheme, StudyOptions } from './options';
import { predictiveIntervals, type PredictiveIntervals } from './predictive-intervals';
import { SCHEME_LABELS, schemeSplits, schemeUnavailable } from './scheme-splits';
import { nullEntry, studyNulls, type NullJob, type NullJobInfo } from './study-nulls';
import { runSensitivity, type GeneSetData, type SensitivityRow } from './sensitivity';

/** Reports progress of one stage; `done` closes it. */
export interface StageProgress {
  update(done: number, total: number): void;
  done(): void;
}

export interface StudyInputs {
  dataset: Dataset;
  laplacian: CsrMatrix;
  /** Every gene of the expression file over the dataset's regions, for the random-gene null. */
  allGenes?: { X: Float64Array; genes: string[] };
  engine: Engine;
  options: StudyOptions;
  /** The gene sets of options.sensitivity, built into datasets by the caller. */
  sensitivity?: GeneSetData[];
  stage?: (label: string) => StageProgress;
  /** Work an earlier, interrupted run with the same inputs finished: loaded, not redone. */
  resume?: StudyCheckpoints;
}

/** Finished parts of a study kept between runs: the observed study and null chunks. */
export interface StudyCheckpoints extends NullCheckpoints {
  loadObserved(): StudyResult | undefined;
  saveObserved(study: StudyResult): void;
}

/** What one process computes of a study: the observed study (shard 1 only) and its shard of the retrained nulls. */
export interface StudyPart {
  observed: StudyResult | null;
  nulls: NullSlice[];
}

export interface ModelMetrics {
  model: string;
  metrics: FitMetrics;
}

export interface CvEntry {
  scheme: CvScheme;
  model: string;
  result: CrossValidationResult;
}

export interface NullEntry {
  name: string;
  /** The model refitted under the null (none for the fixed-prediction null). */
  model?: string;
  /** retrained: the headline CV rerun per spun target; the others are named by `name`. */
  kind: 'fixed' | NullJobInfo['kind'];
  basis: 'in-sample' | 'out-of-sample';
  statistic: 'r';
  observed: number;
  nulls: Float64Array;
  p: number;
  pLabel: 'p_spin' | 'p_genes';
}

/** The setting the tuned VAE chose for one split (and seed), with the inner-CV error of every candidate. */
export interface TuningRecord {
  scheme: CvScheme;
  split: string;
  seed: number;
  candidate: number;
  epochs: number;
  /** innerError[c][e]: mean squared error on the inner held-out regions, candidate c after epochs[e] epochs. */
  innerError: number[][];
}

/** Where over-fitting starts: each headline split's training and held-out error over epochs. */
export interface ModelDiagnostics {
  model: string;
  splits: string[];
  curves: LearningCurve[];
  /** The epoch count the model's predictions use, per split. */
  usedEpochs: number[];
}

export interface StudyResult {
  /** The VAE with λ as configured, seed = options.seed: predictions, μ, loss history, weights. */
  main: { prediction: Float64Array; mu: Float32Array; history: EpochLosses[]; model: VaeModel; scaledX: Float64Array };
  inSample: ModelMetrics[];
  /** In-sample figures of the VAE over `stabilitySeeds` seeds, and the headline CV figures too. */
  overSeeds: { seeds: number[]; inSampleR: Summary; inSampleR2: Summary; cvR: Summary; cvR2: Summary };
  /** The tuned VAE's headline CV figures over its seeds (null without tuning). */
  tunedOverSeeds: { seeds: number[]; cvR: Summary; cvR2: Summary } | null;
  crossValidation: CvEntry[];
  /** The tuned VAE's choice on every split it was cross-validated on. */
  tuning: TuningRecord[];
  diagnostics: ModelDiagnostics[];
  intervals: PredictiveIntervals | null;
  sensitivity: SensitivityRow[] | null;
  skippedSchemes: { scheme: CvScheme; reason: string }[];
  nulls: NullEntry[];
  latents: LatentProgramSummary[];
  /** Headline: the first scheme; its splits carry the retrained nulls. */
  headline: CvScheme;
}

export { TUNED_NAME, VAE_NAME, VAE_NO_LAPLACIAN } from './study-models';

/** p_spin of `model`'s headline cross-validation against its retrained spin null, if it has one. */
export function retrainedSpinP(study: StudyResult, model: string): number | undefined {
  return study.nulls.find((n) => n.kind === 'retrained' && n.model === model)?.p;
}

const noProgress: StageProgress = { update() {}, done() {} };

export async function runStudy(inputs: StudyInputs): Promise<StudyResult> {
  const { observed, nulls } = await runStudyPart(inputs, WHOLE_STUDY);
  return withNulls(observed!, nulls.map((slice) => ({ job: slice.job, values: joinSlices(slice.job, [slice]) })));
}

/** Shard k of n of a study: its chunks of every retrained null and, in shard 1, the observed study. */
export async function runStudyPart(inputs: StudyInputs, shard: Shard): Promise<StudyPart> {
  const plan = await planStudy(inputs);
  let observed: StudyResult | null = null;
  if (shard.index === 1) {
    observed = inputs.resume?.loadObserved() ?? null;
    if (!observed) {
      observed = await observedStudy(plan);
      inputs.resume?.saveObserved(observed);
    }
  }
  const nulls = await runNullJobs(plan.nullJobs, { shard, chunkFits: inputs.options.nullChunk, checkpoints: inputs.resume, stage: plan.stage });
  return { observed, nulls };
}

/** The observed study with each retrained null's values (over all its items) added, in the study's order. */
export function withNulls(observed: StudyResult, nulls: readonly { job: NullJobInfo; values: Float64Array }[]): StudyResult {
  return { ...observed, nulls: [...observed.nulls, ...nulls.map(({ job, values }) => nullEntry(job, observed, values))] };
}

type StudyPlan = Awaited<ReturnType<typeof planStudy>>;

/** The models, spins, headline splits and retrained nulls of a study: cheap, and the same in every shard. */
async function planStudy(inputs: StudyInputs) {
  const { dataset, engine, options, laplacian } = inputs;
  const stage = inputs.stage ?? (() => noProgress);
  const { X, y } = dataset;
  const n = dataset.regions.length;
  const g = dataset.genes.length;
  const edgeCount = dataset.graph.edges.length;
  const vaeOptions = { engine, laplacian, edgeCount, seed: options.seed, scaling: options.scaling, maxBatch: options.maxBatch };
  const vae = vaeRegressor({ ...vaeOptions, config: options.model, name: VAE_NAME });
  const vaeNoLaplacian = vaeRegressor({ ...vaeOptions, config: { ...options.model, lambda: 0 }, name: VAE_NO_LAPLACIAN });
  const baselines = baselineModels(dataset, options);
  const tunedFor = (predictionVariance: boolean) => options.tuning && tunedVaeRegressor({
    ...vaeOptions, config: options.model, tuning: options.tuning, centroids: dataset.centroids.surface, hemispheres: dataset.hemisphere,
    name: TUNED_NAME, predictionVariance,
  });
  const tuned = tunedFor(false);
  // the headline ensembles' members also report Var(ŷ) under q(z|x) when they carry the intervals
  const intervalsOn = options.intervals !== null;
  const vaeMember = vaeRegressor({ ...vaeOptions, config: options.model, name: VAE_NAME, predictionVariance: intervalsOn && !tuned });
  const tunedMember = tunedFor(intervalsOn);
  const tracked = async <T>(label: string, work: (update: (done: number, total: number) => void) => Promise<T>): Promise<T> => {
    const progress = stage(label);
    const result = await work((done, total) => progress.update(Math.floor(done), total));
    progress.done();
    return result;
  };

  // ---- spins: one set for every spin null --------------------------------------------------------
  const spins = await tracked(`spin permutations (${options.spins}, ${options.spinMethod})`, async () =>
    spinPermutations({ sphere: dataset.centroids.sphere, hemisphere: dataset.hemisphere, n: options.spins, seed: options.seed, method: options.spinMethod }),
  );
  const headline = options.schemes.find((s) => !schemeUnavailable(s, dataset));
  if (!headline) throw new Error('no cross-validation scheme can run on this dataset');
  const headlineSplits = schemeSplits(headline, dataset, options);

  // ---- nulls that retrain a model on the headline splits: one line per model's null ----------------
  const nullsOf = studyNulls({ X, n, g, y, splits: headlineSplits, schemeLabel: SCHEME_LABELS[headline], spins, pool: inputs.allGenes, seed: options.seed });
  const nullJobs = [
    nullsOf.inSampleRefit(vae, options.vaeSpins),
    nullsOf.retrainedSpins(vae, options.vaeSpins),
    // λ = 0 beside λ > 0: does the Laplacian term help out of sample? Each gets its own retrained null
    nullsOf.retrainedSpins(vaeNoLaplacian, options.vaeSpins),
    tuned && options.tuning!.spins > 0 ? nullsOf.retrainedSpins(tuned, options.tuning!.spins) : null,
    ...baselines.map((model) => nullsOf.retrainedSpins(model, options.spins)),
    nullsOf.randomGenes(baselines[0]!, options.randomGeneSets),
    nullsOf.randomGenes(vae, options.vaeRandomGeneSets),
  ].filter((job): job is NullJob => job !== null);

  return { inputs, stage, tracked, n, g, vaeOptions, vae, vaeNoLaplacian, baselines, tuned, vaeMember, tunedMember, spins, headline, headlineSplits, nullJobs };
}

/** Everything but the retrained nulls: in-sample fits over seeds, every CV scheme, the fixed spin null, latent programs. */
async function observedStudy(plan: StudyPlan): Promise<StudyResult> {
  const { inputs, tracked, n, g, vaeOptions, vae, vaeNoLaplacian, baselines, tuned, vaeMember, tunedMember, spins, headline, headlineSplits } = plan;
  const { dataset, engine, options, laplacian } = inputs;
  const { X, y } = dataset;
  const all = Array.from({ length: n }, (_, i) => i);
  const edgeCount = dataset.graph.edges.length;

  // ---- in-sample: the paper's figures, over seeds ------------------------------------------------
  const seeds = Array.from({ length: options.stabilitySeeds }, (_, s) => options.seed + s);
  const tunedSeeds = Array.from({ length: options.tuning?.seeds ?? 0 }, (_, s) => options.seed + s);
  const scaledX32 = scaledExpression(X, n, g, all, options.scaling);
  const scaledX = Float64Array.from(scaledX32);
  const target = trainTask(y, all, 0);
  const fits = await tracked(`in-sample VAE fits (${seeds.length} seeds)`, (update) =>
    trainVae({
      engine, laplacian, edgeCount,
      X: scaledX32, xShape: [1, n, g],
      tasks: seeds.map((seed) => ({ ...target.task, seed })),
      config: options.model, maxBatch: options.maxBatch,
      onEpoch: (e) => update(e.firstTask + (e.losses.length * e.epoch) / e.epochs, seeds.length),
    }),
  );
  const unscale = (p: Float32Array): Float64Array => Float64Array.from(p, (v) => target.mean + target.sd * v);
  const seedPredictions = fits.predictions.map(unscale);
  const main = {
    prediction: seedPredictions[0]!,
    mu: fits.mu[0]!,
    history: fits.history[0]!,
    model: { config: fits.config, weights: selectModels(fits.weights!, [0]) },
    scaledX,
  };
  const allFit = [{ y, train: all, test: [] as number[] }];
  const inSample: ModelMetrics[] = [{ model: VAE_NAME, metrics: metricsOf(y, main.prediction) }];
  if (seeds.length > 1) inSample.push({ model: ensembleName(VAE_NAME, seeds.length), metrics: metricsOf(y, memberMean(seedPredictions)) });
  for (const model of [vaeNoLaplacian, ...baselines]) {
    const [prediction] = await tracked(`in-sample ${model.name}`, (update) => model.fitPredict(X, n, g, allFit, update));
    inSample.push({ model: model.name, metrics: metricsOf(y, prediction!) });
  }

  // ---- the cheap spin null: the fitted map against spun targets, no refit ---------------------------
  const fixed = spinNullFixed(main.prediction, y, spins, 'greater');
  const nulls: NullEntry[] = [{ name: 'fixed in-sample prediction vs spun targets (no refit)', kind: 'fixed', basis: 'in-sample', statistic: 'r', observed: fixed.observed, nulls: fixed.nulls, p: fixed.pSpin, pLabel: 'p_spin' }];

  // ---- cross-validation: every scheme, every model, same splits ------------------------------------
  const crossValidation: CvEntry[] = [];
  const skippedSchemes: { scheme: CvScheme; reason: string }[] = [];
  const tuning: TuningRecord[] = [];
  const recordChoices = (scheme: CvScheme, splits: readonly Split[], model: TunedVaeRegressor, taskSeeds: readonly number[]) => {
    model.lastChoices.forEach((choice, k) => {
      const split = splits[Math.floor(k / taskSeeds.length)]!;
      tuning.push({ scheme, split: split.name, seed: taskSeeds[k % taskSeeds.length]!, candidate: choice.candidate, epochs: choice.epochs, innerError: choice.innerError });
    });
  };
  let headlineRuns: HeadlineEnsemble[] = [];
  for (const scheme of options.schemes) {
    const reason = schemeUnavailable(scheme, dataset);
    if (reason) {
      skippedSchemes.push({ scheme, reason });
      continue;
    }
    const splits = schemeSplits(scheme, dataset, options);
    const isHeadline = crossValidation.length === 0;
    const cv = (model: BatchedRegressor) => tracked(`${SCHEME_LABELS[scheme]} CV, ${model.name} (${splits.length} splits)`, (update) =>
      crossValidate(model, X, n, g, y, splits, { onProgress: update }));
    if (isHeadline) {
      // the VAEs on the headline: each seed ensemble in one batched job; its first member is the single model
      headlineRuns = [await headlineEnsemble(scheme, vaeMember, seeds, splits)];
      crossValidation.push(...entriesOf(scheme, headlineRuns[0]!));
      crossValidation.push({ scheme, model: vaeNoLaplacian.name, result: await cv(vaeNoLaplacian) });
      if (tunedMember) {
        headlineRuns.push(await headlineEnsemble(scheme, tunedMember, tunedSeeds, splits));
        recordChoices(scheme, splits, tunedMember, tunedSeeds);
        crossValidation.push(...entriesOf(scheme, headlineRuns[1]!));
      }
    } else {
      // besides the headline, the VAE runs on vaeSchemes and the tuned VAE on tuning.schemes
      if (options.vaeSchemes.includes(scheme)) crossValidation.push({ scheme, model: vae.name, result: await cv(vae) });
      if (tuned && options.tuning!.schemes.includes(scheme)) {
        crossValidation.push({ scheme, model: tuned.name, result: await cv(tuned) });
        recordChoices(scheme, splits, tuned, [options.seed]);
      }
    }
    for (const model of baselines) crossValidation.push({ scheme, model: model.name, result: await cv(model) });
  }
  /** A seed ensemble's headline CV, each member's scored on its own: the first member is the single model. */
  async function headlineEnsemble(scheme: CvScheme, member: MemberModel, memberSeeds: number[], splits: Split[]): Promise<HeadlineEnsemble> {
    const ensemble = seedEnsemble(member, memberSeeds);
    const label = `${SCHEME_LABELS[scheme]} CV, ${member.name} over ${memberSeeds.length} seed(s) (${splits.length} splits)`;
    const mean = await tracked(label, (update) => ensemble.fitPredict(X, n, g, splits.map((s) => ({ y, train: s.train, test: s.test })), update));
    return {
      name: member.name,
      seeds: memberSeeds,
      members: ensemble.lastMembers,
      memberVariance: ensemble.lastMemberVariance,
      bySeed: memberSeeds.map((_, k) => scoreSplits(y, splits, ensemble.lastMembers.map((m) => m[k]!))),
      ensemble: scoreSplits(y, splits, mean),
    };
  }

  // ---- diagnostics: training and held-out error over epochs, per headline split ------------------------
  const diagnostics: ModelDiagnostics[] = [];
  if (options.diagnostics) {
    const tasks = headlineSplits.map((s) => ({ y, train: s.train, test: s.test }));
    const splitNames = headlineSplits.map((s) => s.name);
    const vaeCurves = await tracked(`learning curves, ${VAE_NAME}`, async () => learningCurves(vaeOptions, X, n, g, tasks, tasks.map(() => options.model)));
    diagnostics.push({ model: VAE_NAME, splits: splitNames, curves: vaeCurves, usedEpochs: tasks.map(() => fits.config.epochs) });
    if (tunedMember && options.tuning) {
      // the first seed's choice per split, trained on to the largest epoch count to show what comes after
      const chosen = headlineSplits.map((split) => tuning.find((r) => r.scheme === headline && r.split === split.name && r.seed === options.seed)!);
      const longest = options.tuning.epochs[options.tuning.epochs.length - 1]!;
      const curves = await tracked(`learning curves, ${TUNED_NAME}`, async () =>
        learningCurves(vaeOptions, X, n, g, tasks, chosen.map((c) => ({ ...tunedMember.configOf(c), epochs: longest }))));
      diagnostics.push({ model: TUNED_NAME, splits: splitNames, curves, usedEpochs: chosen.map((c) => c.epochs) });
    }
  }

  // ---- predictive intervals of the headline ensemble (the tuned one when tuning is on) -----------------
  let intervals: PredictiveIntervals | null = null;
  const intervalRun = headlineRuns[headlineRuns.length - 1];
  if (options.intervals && intervalRun?.memberVariance) {
    const runSeeds = intervalRun.seeds;
    const memberConfig = (t: number, s: number) => {
      if (!tunedMember) return options.model;
      const record = tuning.find((r) => r.scheme === headline && r.split === headlineSplits[t]!.name && r.seed === runSeeds[s])!;
      return tunedMember.configOf(record);
    };
    intervals = await tracked(`predictive intervals, ${intervalRun.name} (${runSeeds.length} seeds, calibrated on inner folds)`, async () => predictiveIntervals({
      regressor: vaeOptions, X, n, g, y, splits: headlineSplits, seeds: runSeeds,
      members: intervalRun.members, memberVariance: intervalRun.memberVariance!, memberConfig,
      centroids: dataset.centroids.surface, hemispheres: dataset.hemisphere, options: options.intervals!,
      model: ensembleName(intervalRun.name, runSeeds.length),
    }));
  }


  // ---- sensitivity: the headline CV for other gene sets ------------------------------------------------
  // a gene set that is the study's own dataset reuses the headline results of the models it shares
  const isStudyData = (d: Dataset) => d.genes.join('\n') === dataset.genes.join('\n') && d.regions.join() === dataset.regions.join()
    && d.X.every((v, i) => v === X[i]) && d.y.every((v, i) => v === y[i]);
  const known = (set: GeneSetData, model: string) => (isStudyData(set.dataset)
    ? crossValidation.find((c) => c.scheme === headline && c.model === model)?.result
    : undefined);
  const sensitivity = inputs.sensitivity?.length
    ? await runSensitivity(inputs.sensitivity, headline, options, (set) => sensitivityModels(set, options, { ...vaeOptions, laplacian: set.laplacian, edgeCount: set.dataset.graph.edges.length }), tracked, known)
    : null;
  const seedInSample = seedPredictions.map((p) => metricsOf(y, p));
  const [vaeRun, tunedRun] = headlineRuns;

  // ---- latent programs ----------------------------------------------------------------------------
  const latents = latentPrograms({
    muBySeed: fits.mu,
    latentSize: fits.config.latentSize,
    X: scaledX,
    genes: dataset.genes,
    y,
    decoderLoadings: decoderLoadings(main.model, 0, main.mu),
    spins,
    topGenes: options.topGenes,
  });

  return {
    main,
    inSample,
    overSeeds: {
      seeds,
      inSampleR: summarize(seedInSample.map((m) => m.r)),
      inSampleR2: summarize(seedInSample.map((m) => m.r2)),
      cvR: summarize(vaeRun!.bySeed.map((c) => c.pooled.r)),
      cvR2: summarize(vaeRun!.bySeed.map((c) => c.pooled.r2)),
    },
    tunedOverSeeds: tunedRun
      ? { seeds: tunedRun.seeds, cvR: summarize(tunedRun.bySeed.map((c) => c.pooled.r)), cvR2: summarize(tunedRun.bySeed.map((c) => c.pooled.r2)) }
      : null,
    crossValidation,
    tuning,
    diagnostics,
    intervals,
    sensitivity,
    skippedSchemes,
    nulls,
    latents,
    headline,
  };
}

/** A seed ensemble's headline cross-validation: every member scored alone, and the ensemble. */
interface HeadlineEnsemble {
  name: string;
  seeds: number[];
  /** members[t][s]: split t, seed s */
  members: Float64Array[][];
  memberVariance: Float64Array[][] | null;
  bySeed: CrossValidationResult[];
  ensemble: CrossValidationResult;
}

/** The single model (first seed) and, with more than one seed, the ensemble, as CV entries. */
function entriesOf(scheme: CvScheme, run: HeadlineEnsemble): CvEntry[] {
  const single: CvEntry = { scheme, model: run.name, result: run.bySeed[0]! };
  return run.seeds.length > 1 ? [single, { scheme, model: ensembleName(run.name, run.seeds.length), result: run.ensemble }] : [single];
}
