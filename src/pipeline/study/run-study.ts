/**
 * The whole evaluation of DESIGN.md §6 on one dataset: the VAE fitted in-sample (over several
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
import { genePc1 } from '../evaluation/baselines/gene-pc1';
import { pls } from '../evaluation/baselines/pls';
import { ridge } from '../evaluation/baselines/ridge';
import { spatialOnly } from '../evaluation/baselines/spatial-only';
import { crossValidate, scoreSplits, type CrossValidationResult } from '../evaluation/cross-validate';
import { metricsOf, summarize, type FitMetrics, type Summary } from '../evaluation/metrics';
import type { BatchedRegressor } from '../evaluation/models';
import { spinPermutations } from '../evaluation/spin';
import { spinNullFixed } from '../evaluation/spin-null';
import { scaledExpression, trainTask, vaeRegressor } from '../evaluation/vae-regressor';
import { tunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import { latentPrograms, type LatentProgramSummary } from './latent-programs';
import { joinSlices, runNullJobs, WHOLE_STUDY, type NullCheckpoints, type NullSlice, type Shard } from './null-runner';
import type { CvScheme, StudyOptions } from './options';
import { SCHEME_LABELS, schemeSplits, schemeUnavailable } from './scheme-splits';
import { nullEntry, studyNulls, type NullJob, type NullJobInfo } from './study-nulls';

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

export interface StudyResult {
  /** The VAE with λ as configured, seed = options.seed: predictions, μ, loss history, weights. */
  main: { prediction: Float64Array; mu: Float32Array; history: EpochLosses[]; model: VaeModel; scaledX: Float64Array };
  inSample: ModelMetrics[];
  /** In-sample figures of the VAE over `stabilitySeeds` seeds, and the headline CV figures too. */
  overSeeds: { seeds: number[]; inSampleR: Summary; inSampleR2: Summary; cvR: Summary; cvR2: Summary };
  crossValidation: CvEntry[];
  skippedSchemes: { scheme: CvScheme; reason: string }[];
  nulls: NullEntry[];
  latents: LatentProgramSummary[];
  /** Headline: the first scheme; its splits carry the retrained nulls. */
  headline: CvScheme;
}

const VAE_NAME = 'graph VAE (λ as configured)';
const VAE_NO_LAPLACIAN = 'graph VAE without Laplacian (λ = 0)';

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
  const baselines: BatchedRegressor[] = [
    ridge({ scaling: options.scaling, innerSeed: options.seed }),
    pls({ scaling: options.scaling, innerSeed: options.seed }),
    genePc1({ scaling: options.scaling }),
    // |x|: homologous regions share coordinates, so a trend learnt on one hemisphere applies to the other
    spatialOnly({ coords: dataset.centroids.surface.map((v, i) => (i % 3 === 0 ? Math.abs(v) : v)) }),
  ];
  const tuned: BatchedRegressor[] = options.tuning
    ? [tunedVaeRegressor({ ...vaeOptions, config: options.model, candidates: options.tuning.candidates, innerFolds: options.tuning.innerFolds })]
    : [];
  const models = [vae, vaeNoLaplacian, ...tuned, ...baselines];
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
    ...baselines.map((model) => nullsOf.retrainedSpins(model, options.spins)),
    nullsOf.randomGenes(baselines[0]!, options.randomGeneSets),
    nullsOf.randomGenes(vae, options.vaeRandomGeneSets),
  ].filter((job): job is NullJob => job !== null);

  return { inputs, stage, tracked, n, g, vae, vaeNoLaplacian, tuned, models, spins, headline, headlineSplits, nullJobs };
}

/** Everything but the retrained nulls: in-sample fits over seeds, every CV scheme, the fixed spin null, latent programs. */
async function observedStudy(plan: StudyPlan): Promise<StudyResult> {
  const { inputs, tracked, n, g, vae, vaeNoLaplacian, tuned, models, spins, headline, headlineSplits } = plan;
  const { dataset, engine, options, laplacian } = inputs;
  const { X, y } = dataset;
  const all = Array.from({ length: n }, (_, i) => i);
  const edgeCount = dataset.graph.edges.length;

  // ---- in-sample: the paper's figures, over seeds ------------------------------------------------
  const seeds = Array.from({ length: options.stabilitySeeds }, (_, s) => options.seed + s);
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
  for (const model of models.slice(1)) {
    const [prediction] = await tracked(`in-sample ${model.name}`, (update) => model.fitPredict(X, n, g, allFit, update));
    inSample.push({ model: model.name, metrics: metricsOf(y, prediction!) });
  }

  // ---- the cheap spin null: the fitted map against spun targets, no refit ---------------------------
  const fixed = spinNullFixed(main.prediction, y, spins, 'greater');
  const nulls: NullEntry[] = [{ name: 'fixed in-sample prediction vs spun targets (no refit)', kind: 'fixed', basis: 'in-sample', statistic: 'r', observed: fixed.observed, nulls: fixed.nulls, p: fixed.pSpin, pLabel: 'p_spin' }];

  // ---- cross-validation: every scheme, every model, same splits ------------------------------------
  const crossValidation: CvEntry[] = [];
  const skippedSchemes: { scheme: CvScheme; reason: string }[] = [];
  for (const scheme of options.schemes) {
    const reason = schemeUnavailable(scheme, dataset);
    if (reason) {
      skippedSchemes.push({ scheme, reason });
      continue;
    }
    const splits = schemeSplits(scheme, dataset, options);
    const isHeadline = crossValidation.length === 0;
    // the VAE variants (λ = 0, tuned) are compared on the headline splits only, the VAE also on vaeSchemes
    const vaeHere = options.vaeSchemes.includes(scheme);
    for (const model of isHeadline ? models : models.filter((m) => m !== vaeNoLaplacian && !tuned.includes(m) && (m !== vae || vaeHere))) {
      const result = await tracked(`${SCHEME_LABELS[scheme]} CV, ${model.name} (${splits.length} splits)`, (update) =>
        crossValidate(model, X, n, g, y, splits, { onProgress: update }),
      );
      crossValidation.push({ scheme, model: model.name, result });
    }
  }

  // ---- headline CV over seeds ---------------------------------------------------------------------
  const headlineVae = crossValidation.find((c) => c.scheme === headline && c.model === VAE_NAME)!.result;
  const seedTasks = seeds.slice(1).flatMap((seed) => headlineSplits.map((split) => ({ y, train: split.train, test: split.test, seed })));
  const seedCvPredictions = seedTasks.length === 0 ? [] : await tracked(`${SCHEME_LABELS[headline]} CV, VAE over ${seeds.length - 1} more seeds`, (update) =>
    vae.fitPredict(X, n, g, seedTasks, update));
  const cvBySeed: CrossValidationResult[] = [headlineVae, ...seeds.slice(1).map((_, s) =>
    scoreSplits(y, headlineSplits, seedCvPredictions.slice(s * headlineSplits.length, (s + 1) * headlineSplits.length)))];
  const seedInSample = seedPredictions.map((p) => metricsOf(y, p));

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
      cvR: summarize(cvBySeed.map((c) => c.pooled.r)),
      cvR2: summarize(cvBySeed.map((c) => c.pooled.r2)),
    },
    crossValidation,
    skippedSchemes,
    nulls,
    latents,
    headline,
  };
}
