/** What every command shares: output streams, progress, the engine, the dataset from a config. */
import { Engine } from '../../engine/engine';
import { buildDataset, laplacianCsr, type Dataset } from '../data/dataset';
import type { StageProgress } from '../study/run-study';
import { chooseBackend } from './choose-backend';
import type { DataConfig, RunConfig } from './config';
import { createProgress } from './progress';

export interface CommandContext {
  /** No progress lines: --quiet (without a terminal, progress is a line every 30 s). */
  quiet: boolean;
  /** Results as JSON instead of a table. */
  json: boolean;
  /** Results (stdout). */
  out: (text: string) => void;
  /** Messages (stderr); silent only with --quiet. */
  log: (line: string) => void;
  /** The command line as typed, for the record. */
  commandLine: string;
}

export function stageProgress(context: CommandContext): (label: string) => StageProgress {
  return (label) => createProgress(label, { quiet: context.quiet });
}

export async function openEngine(config: Pick<RunConfig, 'backend'>, context: CommandContext): Promise<Engine> {
  const backend = await chooseBackend(config.backend, context.log);
  context.log(`backend: ${backend.describe()}`);
  return new Engine(backend);
}

export function datasetFrom(data: DataConfig, genes: DataConfig['genes'] = data.genes): Dataset {
  return buildDataset({
    dataDir: data.dataDir,
    expressionFile: data.expressionFile ?? undefined,
    regions: data.regions,
    mirror: data.mirror,
    genes: genes === 'all' || genes === 'l1000' ? genes : { file: genes },
    target: data.target,
    targetSign: data.targetSign ?? undefined,
    adjacency: data.adjacency,
    weighting: data.weighting,
  });
}

export function laplacianOf(dataset: Dataset, data: DataConfig) {
  return laplacianCsr(dataset.graph, data.laplacian);
}
