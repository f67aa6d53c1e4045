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
const PAPER_EPOCHS = 500;

/** The sizes this run used, in one sentence for the report and results.json (config.json has them all). */
export function protocolNote(config: RunConfig, headline: string): string {
  const { model, evaluation: e } = config;
  const vaeSchemes = [headline, ...e.vaeSchemes.filter((s) => s !== headline)];
  return `Protocol sizes: every VAE fit trains ${model.epochs} epochs (the paper: ${PAPER_EPOCHS}); in-sample fits and the headline CV over ${e.stabilitySeeds} seed(s); ` +
    `the VAE's spin nulls (in-sample refit and headline CV rerun) use ${e.vaeSpins} spins, the baselines' ${e.spins}; ` +
    `random-gene nulls ${e.randomGeneSets} gene sets for ridge, ${e.vaeRandomGeneSets} for the VAE; ` +
    `the VAE is cross-validated on ${vaeSchemes.join(', ')}, the baselines on ${e.schemes.join(', ')}. Each is a setting (cortex-vae --help).`;
}

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
    data.notes = [...(data.notes ?? []), { level: 'note', text: protocolNote(config, study.headline) }];
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
