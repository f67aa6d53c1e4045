/**
 * `train --profile`: where the time of training this command's model goes — B models on its data
 * and settings, a few epochs timed per kernel on the device (see src/model/profile-training.ts).
 */
import { profileTraining, type TrainingProfile } from '../../../model/profile-training';
import { geneMatrix } from '../../data/gene-matrix';
import { scaledExpression, trainTask } from '../../evaluation/vae-regressor';
import { InputError } from '../../input-error';
import type { RunConfig } from '../config';
import { datasetFrom, laplacianOf, openEngine, type CommandContext } from '../context';
import { profileTable } from '../../report/profile-table';

export interface ProfileOptions {
  /** Models trained at once (B). */
  batch: number;
  /** Epochs timed after the warm-up. */
  epochs: number;
  warmupEpochs: number;
}

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = { batch: 1, epochs: 20, warmupEpochs: 3 };

export async function profileCommand(
  config: RunConfig,
  options: ProfileOptions,
  context: CommandContext,
): Promise<TrainingProfile> {
  if (config.backend === 'cpu') throw new InputError('--profile times GPU kernels: use --backend webgpu or auto');
  const dataset = datasetFrom(config.data);
  const n = dataset.regions.length;
  const g = dataset.genes.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const { task } = trainTask(dataset.y, all, config.seed);
  const engine = await openEngine({ backend: 'webgpu' }, context);
  try {
    context.log(
      `profiling ${options.warmupEpochs} + ${options.epochs} epochs of ${options.batch} model(s), twice (unprofiled, then timed per kernel)`,
    );
    const profile = await profileTraining({
      engine,
      X: scaledExpression(geneMatrix(dataset.X, n, g), all, config.evaluation.scaling),
      regions: n,
      genes: g,
      laplacian: laplacianOf(dataset, config.data),
      edgeCount: dataset.graph.edges.length,
      tasks: Array.from({ length: options.batch }, (_, b) => ({ ...task, seed: config.seed + b })),
      config: config.model,
      epochs: options.epochs,
      warmupEpochs: options.warmupEpochs,
    });
    context.out(context.json ? JSON.stringify(profile, null, 2) : profileTable(profile));
    return profile;
  } finally {
    engine.backend.destroy();
  }
}
