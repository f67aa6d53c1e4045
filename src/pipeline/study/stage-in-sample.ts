/**
 * Stage: the paper's in-sample figures. The VAE fitted on every region over `stabilitySeeds` seeds in
 * one batched run, the λ = 0 VAE and the baselines fitted on every region, and the fixed-prediction
 * nulls (the fitted map against spun and Moran-randomised targets, no refit).
 */
import { selectModels, trainVae } from '../../model';
import { metricsOf, pearson, type FitMetrics } from '../evaluation/metrics';
import { memberMean } from '../evaluation/seed-ensemble';
import { spinPValue } from '../evaluation/spin';
import { scaledExpression, trainTask } from '../evaluation/vae-regressor';
import type { StudyContext } from './context';
import { ensembleName, VAE_NAME } from './study-models';
import { P_LABELS, type ModelMetrics, type NullEntry, type StudyResult } from './types';

export interface InSampleStage {
  main: StudyResult['main'];
  inSample: ModelMetrics[];
  seeds: number[];
  /** In-sample metrics of each seed's VAE. */
  bySeed: FitMetrics[];
  /** The epoch count the configured VAE trains for. */
  epochs: number;
  fixedNulls: NullEntry[];
}

export async function inSampleStage(ctx: StudyContext): Promise<InSampleStage> {
  const { inputs, tracked, expression, vaeNoLaplacian, baselines, maps, headline } = ctx;
  const { regions: n, genes: g } = expression;
  const { dataset, engine, options, laplacian } = inputs;
  const { y } = dataset;
  const all = Array.from({ length: n }, (_, i) => i);
  const seeds = Array.from({ length: options.stabilitySeeds }, (_, s) => options.seed + s);
  const scaledX32 = scaledExpression(expression, all, options.scaling);
  const target = trainTask(y, all, 0);
  const fits = await tracked(`in-sample VAE fits (${seeds.length} seeds)`, (update) =>
    trainVae({
      engine,
      laplacian,
      edgeCount: dataset.graph.edges.length,
      X: scaledX32,
      xShape: [1, n, g],
      tasks: seeds.map((seed) => ({ ...target.task, seed })),
      config: options.model,
      maxBatch: options.maxBatch,
      onEpoch: (e) => update(e.firstTask + (e.losses.length * e.epoch) / e.epochs, seeds.length),
    }),
  );
  // ŷ = ȳ_train + sd_train · ẑ: the standardised prediction mapped back to the target's units
  const seedPredictions = fits.predictions.map((p) => Float64Array.from(p, (v) => target.mean + target.sd * v));
  const main = {
    prediction: seedPredictions[0]!,
    mu: fits.mu[0]!,
    history: fits.history[0]!,
    model: { config: fits.config, weights: selectModels(fits.weights!, [0]) },
    scaledX: Float64Array.from(scaledX32),
  };
  const inSample: ModelMetrics[] = [{ model: VAE_NAME, metrics: metricsOf(y, main.prediction) }];
  if (seeds.length > 1) {
    inSample.push({ model: ensembleName(VAE_NAME, seeds.length), metrics: metricsOf(y, memberMean(seedPredictions)) });
  }
  const allFit = [{ y, train: all, test: [] as number[] }];
  for (const model of [vaeNoLaplacian, ...baselines]) {
    const {
      predictions: [prediction],
    } = await tracked(`in-sample ${model.name}`, (update) => model.fitPredict(expression, allFit, update));
    inSample.push({ model: model.name, metrics: metricsOf(y, prediction!) });
  }

  // the cheap nulls: the fitted map against null maps of the target, no refit (tests the maps' correspondence only)
  const fixedNull = (family: 'spin' | 'moran', count: number): NullEntry[] => {
    if (count < 1) return [];
    const observed = pearson(main.prediction, y);
    const nulls = Float64Array.from(maps.maps(headline, family, count), (map) => pearson(main.prediction, map));
    return [
      {
        name: `fixed in-sample prediction vs ${family === 'spin' ? 'spun targets' : 'Moran surrogates'} (no refit)`,
        kind: 'fixed',
        family,
        scheme: headline,
        basis: 'in-sample',
        statistic: 'r',
        observed,
        nulls,
        p: spinPValue(observed, nulls, 'greater'),
        pLabel: P_LABELS[family],
      },
    ];
  };
  return {
    main,
    inSample,
    seeds,
    bySeed: seedPredictions.map((p) => metricsOf(y, p)),
    epochs: fits.config.epochs,
    fixedNulls: [...fixedNull('spin', options.spins), ...fixedNull('moran', options.moranMaps)],
  };
}
