/**
 * Stage: latent programs without circularity. The VAE is fitted on every region with the target's
 * weight α = 0 (over the same seeds), so its latents μ are learnt from expression alone and never see
 * y; their correlation with y is then tested against fixed null maps of y (symmetric spins and Moran
 * surrogates), which is valid because nothing was fitted to y. The configured VAE's own latents (α > 0)
 * saw y and are not tested.
 */
import { selectModels, trainVae } from '../../model';
import { decoderLoadings } from '../../model/decoder-loadings';
import { geneMatrix } from '../data/gene-matrix';
import { scaledExpression, trainTask } from '../evaluation/vae-regressor';
import type { StudyContext } from './context';
import { latentPrograms, type LatentProgramSummary } from './latent-programs';

export async function latentsStage(ctx: StudyContext, seeds: readonly number[]): Promise<LatentProgramSummary[]> {
  const { inputs, tracked, expression, maps, headline } = ctx;
  const { regions: n, genes: g } = expression;
  const { dataset, engine, options, laplacian } = inputs;
  const all = Array.from({ length: n }, (_, i) => i);
  const scaledX32 = scaledExpression(expression, all, options.scaling);
  const target = trainTask(dataset.y, all, 0);
  const config = { ...options.model, alpha: 0 };
  const fits = await tracked(`latent programs: VAE fits without the target, α = 0 (${seeds.length} seeds)`, (update) =>
    trainVae({
      engine,
      laplacian,
      edgeCount: dataset.graph.edges.length,
      X: scaledX32,
      xShape: [1, n, g],
      tasks: seeds.map((seed) => ({ ...target.task, seed })),
      config,
      maxBatch: options.maxBatch,
      onEpoch: (e) => update(e.firstTask + (e.losses.length * e.epoch) / e.epochs, seeds.length),
    }),
  );
  const model = { config: fits.config, weights: selectModels(fits.weights!, [0]) };
  return latentPrograms({
    muBySeed: fits.mu,
    latentSize: fits.config.latentSize,
    X: geneMatrix(Float64Array.from(scaledX32), n, g),
    genes: dataset.genes,
    y: dataset.y,
    decoderLoadings: decoderLoadings(model, 0, fits.mu[0]!),
    nullTargets: {
      spin: maps.maps(headline, 'spin', options.spins),
      moran: maps.maps(headline, 'moran', options.moranMaps),
    },
    topGenes: options.topGenes,
  });
}
