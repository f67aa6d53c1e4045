/**
 * The whole evaluation of DESIGN.md §6 on one dataset: the VAE fitted in-sample (over several
 * seeds), every cross-validation scheme for the VAE and the baselines on the same splits, spin and
 * random-gene nulls, and the latent programs. Every VAE job is one batched training run.
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
import { metricsOf, pearson, summarize, type FitMetrics, type Summary } from '../evaluation/metrics';
import type { BatchedRegressor } from '../evaluation/models';
import { randomGeneNull } from '../evaluation/random-gene-null';
import { permute, spinPermutations, spinPValue } from '../evaluation/spin';
import { spinNullFixed, spinNullRetrained } from '../evaluation/spin-null';
import { scaledExpression, trainTask, vaeRegressor } from '../evaluation/vae-regressor';
import { tunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import { latentPrograms, type LatentProgramSummary } from './latent-programs';
import type { CvScheme, StudyOptions } from './options';
import { SCHEME_LABELS, schemeSplits, schemeUnavailable } from './scheme-splits';

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
  kind: 'fixed' | 'in-sample refit' | 'retrained' | 'random genes';
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
  const { dataset, engine, options, laplacian } = inputs;
  const stage = inputs.stage ?? (() => noProgress);
  const { X, y } = dataset;
  const n = dataset.regions.length;
  const g = dataset.genes.length;
  const all = Array.from({ length: n }, (_, i) => i);
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

  // ---- spins: one set for every spin null --------------------------------------------------------
  const spins = await tracked(`spin permutations (${options.spins}, ${options.spinMethod})`, async () =>
    spinPermutations({ sphere: dataset.centroids.sphere, hemisphere: dataset.hemisphere, n: options.spins, seed: options.seed, method: options.spinMethod }),
  );
  const vaeSpins = spins.slice(0, options.vaeSpins);
  const nulls: NullEntry[] = [];
  const fixed = spinNullFixed(main.prediction, y, spins, 'greater');
  nulls.push({ name: 'fixed in-sample prediction vs spun targets (no refit)', kind: 'fixed', basis: 'in-sample', statistic: 'r', observed: fixed.observed, nulls: fixed.nulls, p: fixed.pSpin, pLabel: 'p_spin' });
  const inSampleNull = await tracked(`in-sample VAE refitted on ${vaeSpins.length} spun targets`, (update) =>
    inSampleRefitNull(vae, X, n, g, y, vaeSpins, update),
  );
  nulls.push({ name: `${VAE_NAME}: in-sample fit refitted on each spun target`, model: VAE_NAME, kind: 'in-sample refit', basis: 'in-sample', statistic: 'r', ...inSampleNull, pLabel: 'p_spin' });

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
  const headline = options.schemes.find((s) => !schemeUnavailable(s, dataset));
  if (!headline) throw new Error('no cross-validation scheme can run on this dataset');
  const headlineSplits = schemeSplits(headline, dataset, options);

  // ---- retrained spin nulls on the headline scheme -------------------------------------------------
  for (const model of [vae, ...baselines]) {
    const modelSpins = model === vae ? vaeSpins : spins;
    const result = await tracked(`spin null, ${model.name}: ${modelSpins.length} spins × ${headlineSplits.length} splits`, (update) =>
      spinNullRetrained(model, X, n, g, y, headlineSplits, modelSpins, { onProgress: update }),
    );
    nulls.push({ name: `${model.name}: ${SCHEME_LABELS[headline]} CV rerun on each spun target`, model: model.name, kind: 'retrained', basis: 'out-of-sample', statistic: 'r', observed: result.observed, nulls: result.nulls, p: result.pSpin, pLabel: 'p_spin' });
  }

  // ---- random-gene null ---------------------------------------------------------------------------
  if (inputs.allGenes && inputs.allGenes.genes.length > g) {
    const pool = inputs.allGenes;
    for (const [model, count] of [[baselines[0]!, options.randomGeneSets], [vae, options.vaeRandomGeneSets]] as const) {
      if (count < 1) continue;
      const observed = crossValidation.find((c) => c.scheme === headline && c.model === model.name)!.result.pooled.r;
      const result = await tracked(`random-gene null, ${model.name}: ${count} sets of ${g} genes`, (update) =>
        randomGeneNull(model, pool.X, n, pool.genes.length, g, y, headlineSplits, count, options.seed, { observed, onProgress: update }),
      );
      nulls.push({ name: `${model.name}: ${SCHEME_LABELS[headline]} CV with ${count} random ${g}-gene sets from ${pool.genes.length}`, model: model.name, kind: 'random genes', basis: 'out-of-sample', statistic: 'r', observed, nulls: result.nulls, p: result.p, pLabel: 'p_genes' });
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

/**
 * The paper's in-sample r put to a spin test: the model is refitted on every region for each spun
 * target yₖ = y∘Pₖ, and rₖ = r(yₖ, ŷₖ) in-sample forms the null. If it is as high as the real fit,
 * in-sample r says nothing about genes.
 */
async function inSampleRefitNull(
  model: BatchedRegressor, X: Float64Array, n: number, g: number, y: Float64Array, spins: readonly Int32Array[],
  onProgress: (done: number, total: number) => void,
): Promise<{ observed: number; nulls: Float64Array; p: number }> {
  const all = Array.from({ length: n }, (_, i) => i);
  const targets = [y, ...spins.map((p) => permute(y, p))];
  const predictions = await model.fitPredict(X, n, g, targets.map((t) => ({ y: t, train: all, test: [] })), onProgress);
  const statistics = targets.map((t, k) => pearson(t, predictions[k]!));
  const nulls = Float64Array.from(statistics.slice(1));
  return { observed: statistics[0]!, nulls, p: spinPValue(statistics[0]!, nulls, 'greater') };
}
