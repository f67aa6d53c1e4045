/**
 * A study's plan: the models built for the dataset (the VAE with and without its Laplacian term, the
 * tuned VAE, the baselines), the null maps, the headline scheme and its splits, and the list of
 * retrained null jobs. Cheap, and the same in every shard, so each process builds it for itself.
 */
import { geneMatrix } from '../data/gene-matrix';
import { tunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import { vaeRegressor } from '../evaluation/vae-regressor';
import type { StudyContext, StudyInputs, Tracked } from './context';
import { nullMaps } from './null-maps';
import type { CvScheme } from './options';
import { schemeSplits, schemeUnavailable } from './scheme-splits';
import { TUNED_NAME, VAE_NAME, VAE_NO_LAPLACIAN, baselineModels } from './study-models';
import { studyNulls, type NullJob } from './study-nulls';
import type { StageProgress } from './types';

const noProgress: StageProgress = { update() {}, done() {} };

/** The models, null maps, headline splits and retrained nulls of a study: cheap, and the same in every shard. */
export function planStudy(inputs: StudyInputs): StudyContext {
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
