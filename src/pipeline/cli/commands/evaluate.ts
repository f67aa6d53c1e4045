/**
 * `evaluate` and `reproduce`: the full study (in-sample fit, every CV scheme beside the baselines,
 * spin and random-gene nulls, latent programs) written as a report folder.
 */
import { encodeCheckpoint } from '../../../model';
import { loadDkOutlines } from '../../report/dk-outlines';
import { writeReport } from '../../report/html';
import { targetScale } from '../../evaluation/vae-regressor';
import { runStudy, type StudyResult } from '../../study/run-study';
import { studyReport } from '../../study/to-report';
import type { RunConfig } from '../config';
import { datasetFrom, laplacianOf, openEngine, stageProgress, type CommandContext } from '../context';
import { formatDatasetSummary } from '../../data/dataset';
import { join } from 'node:path';
import { resultsTable } from '../results-table';
import { checkpointProvenance } from './train';
import { version } from '../version';

export const PAPER_FIGURES = { explainedVariance: 0.8604, r: 0.9439 };

export async function evaluateCommand(config: RunConfig, outDir: string, context: CommandContext, paper: boolean): Promise<StudyResult> {
  const started = new Date();
  const dataset = datasetFrom(config.data);
  context.log(formatDatasetSummary(dataset));
  const pool = config.evaluation.randomGeneSets + config.evaluation.vaeRandomGeneSets > 0 ? datasetFrom(config.data, 'all') : null;
  const allGenes = pool && pool.regions.join() === dataset.regions.join() ? { X: pool.X, genes: pool.genes } : undefined;
  const outlines = loadDkOutlines(join(config.data.dataDir, 'dk_ggseg_polygons.json'));
  const engine = await openEngine(config, context);
  try {
    const laplacian = laplacianOf(dataset, config.data);
    const study = await runStudy({
      dataset, laplacian, allGenes, engine,
      options: { ...config.evaluation, model: config.model, seed: config.seed },
      stage: stageProgress(context),
    });
    const finished = new Date();
    const run = {
      command: context.commandLine,
      config,
      seed: config.seed,
      backend: engine.backend.name,
      adapter: engine.backend.describe(),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      wallSeconds: (finished.getTime() - started.getTime()) / 1000,
      version,
    };
    const { data, tables } = studyReport(study, dataset, run);
    if (paper) {
      data.notes = [{ level: 'note', text: `The paper reports in-sample explained variance ${PAPER_FIGURES.explainedVariance} and r = ${PAPER_FIGURES.r} (910 genes, 68 regions, its own AHBA processing); the figures here are measured on the shipped data.` }, ...(data.notes ?? [])];
    }
    writeReport(outDir, data, tables, outlines, [
      ['config.json', () => JSON.stringify(config, null, 2) + '\n'],
      ['model.ckpt', () => encodeCheckpoint(study.main.model, checkpointProvenance(config, dataset, targetScale(dataset.y, dataset.regions.map((_, i) => i))))],
    ]);
    context.out(resultsTable(study, dataset, context.json, run.wallSeconds, paper ? PAPER_FIGURES : undefined));
    context.log(`report: ${join(outDir, 'report.html')}`);
    return study;
  } finally {
    engine.backend.destroy();
  }
}
