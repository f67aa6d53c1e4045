/**
 * One explorer run as the study's hemisphere scheme runs it (docs/evaluation.md): the map is fitted
 * on every region (in-sample) and, separately, on one hemisphere to predict the other (L->R, R->L),
 * each fit with gene scaling and target scaling from its own training regions only. With "spin the
 * map", the same three fits are trained on a spatially spun copy of the map (a spin permutation:
 * same values, same spatial smoothness, no link to the genes). All fits train together as one
 * batched trainVae job. Pure: the page and the Node tests build identical jobs from it.
 */
import type { VaeConfig } from '../../src/model/config';
import type { TrainTask } from '../../src/model/train-inputs';
import type { Evaluation } from '../../src/model/evaluate';
import { geneMatrix } from '../../src/pipeline/data/gene-matrix';
import { metricsOf } from '../../src/pipeline/evaluation/metrics';
import { spinPermutations, permute } from '../../src/pipeline/evaluation/spin';
import { hemisphereSplits } from '../../src/pipeline/evaluation/splits';
import { scaledExpression, trainTask } from '../../src/pipeline/evaluation/vae-regressor';
import type { GeneSetData } from './gene-set-data';
import type { Settings } from './settings';

export type MapKind = 'observed' | 'spun';
export type SplitName = 'in-sample' | 'L->R' | 'R->L';

export interface Fit {
  map: MapKind;
  split: SplitName;
  train: number[];
  /** Regions whose prediction this fit reports: every region in-sample, the other hemisphere otherwise. */
  reported: number[];
}

export interface Job {
  fits: Fit[];
  /** The map each kind of fit learns (the spun one only with settings.spin). */
  maps: Partial<Record<MapKind, Float64Array>>;
  X: Float32Array;
  xShape: [number, number, number];
  tasks: TrainTask[];
  /** ŷ = mean + sd · model output, per fit. */
  scales: { mean: number; sd: number }[];
  config: Partial<VaeConfig>;
}

/** Losses are read back about 50 times per run (every epoch for short runs). */
export function logEveryFor(epochs: number): number {
  return Math.max(1, Math.floor(epochs / 50));
}

export function configOf(settings: Settings): Partial<VaeConfig> {
  return {
    hiddenSize: settings.hidden,
    latentSize: settings.latent,
    beta: settings.beta,
    lambda: settings.lambda,
    learningRate: settings.learningRate,
    epochs: settings.epochs,
    logEvery: logEveryFor(settings.epochs),
  };
}

/** The map spun by the spin permutation drawn from settings.spinSeed (Hungarian assignment). */
export function spunMap(data: GeneSetData, y: Float64Array, spinSeed: number): Float64Array {
  const [permutation] = spinPermutations({
    sphere: data.sphere,
    hemisphere: data.hemisphere,
    n: 1,
    seed: spinSeed,
    method: 'hungarian',
  });
  return permute(y, permutation!);
}

export function planJob(data: GeneSetData, targetIndex: number, settings: Settings): Job {
  const n = data.regions.length;
  const g = data.genes.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const splits = [
    { split: 'in-sample' as const, train: all, reported: all },
    ...hemisphereSplits(data.regions).map((s) => ({ split: s.name as SplitName, train: s.train, reported: s.test })),
  ];
  const observed = data.targets[targetIndex]!;
  const maps: Job['maps'] = { observed };
  if (settings.spin) maps.spun = spunMap(data, observed, settings.spinSeed);
  const fits: Fit[] = (Object.keys(maps) as MapKind[]).flatMap((map) => splits.map((s) => ({ map, ...s })));
  const prepared = fits.map((fit) => trainTask(maps[fit.map]!, fit.train, settings.seed));
  const expression = geneMatrix(data.expression, n, g);
  const X = new Float32Array(fits.length * n * g);
  fits.forEach((fit, f) => X.set(scaledExpression(expression, fit.train, 'zscore'), f * n * g));
  return {
    fits,
    maps,
    X,
    xShape: [fits.length, n, g],
    tasks: prepared.map((p) => p.task),
    scales: prepared.map(({ mean, sd }) => ({ mean, sd })),
    config: configOf(settings),
  };
}

export interface MapOutcome {
  /** ŷ of the in-sample fit, every region. */
  inSample: Float64Array;
  /** Each region predicted by the fit trained on the other hemisphere. */
  heldOut: Float64Array;
  inSampleR: number;
  inSampleR2: number;
  heldOutR: number;
  heldOutR2: number;
}

export interface Outcome {
  byMap: Partial<Record<MapKind, MapOutcome>>;
  /** μ of the observed map's in-sample fit, N×K row-major: the latent programs. */
  latents: Float32Array;
  latentSize: number;
}

/** Maps and figures from the fits' ŷ and μ: a finished run's, or a preview's while it trains. */
export function summarise(job: Job, result: Evaluation, latentSize: number): Outcome {
  const byMap: Outcome['byMap'] = {};
  for (const map of Object.keys(job.maps) as MapKind[]) {
    const y = job.maps[map]!;
    const inSample = new Float64Array(y.length);
    const heldOut = new Float64Array(y.length);
    job.fits.forEach((fit, f) => {
      if (fit.map !== map) return;
      const { mean, sd } = job.scales[f]!;
      const out = fit.split === 'in-sample' ? inSample : heldOut;
      for (const i of fit.reported) out[i] = mean + sd * result.predictions[f]![i]!;
    });
    const fitted = metricsOf(y, inSample);
    const predicted = metricsOf(y, heldOut);
    byMap[map] = {
      inSample,
      heldOut,
      inSampleR: fitted.r,
      inSampleR2: fitted.r2,
      heldOutR: predicted.r,
      heldOutR2: predicted.r2,
    };
  }
  const first = job.fits.findIndex((fit) => fit.map === 'observed' && fit.split === 'in-sample');
  return { byMap, latents: result.mu[first]!, latentSize };
}
