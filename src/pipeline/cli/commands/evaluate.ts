/**
 * `evaluate` and `reproduce`: the full study (in-sample fit, every CV scheme beside the baselines,
 * spin and random-gene nulls, latent programs) written as a report folder — or, with --shard k/n,
 * one shard of its retrained nulls (shard 1 also computes the rest) written for `merge`.
 * Finished work is checkpointed in the output folder, so a rerun after an interruption resumes.
 */
import { encodeCheckpoint } from '../../../model';
import type { Dataset } from '../../data/dataset';
import { checkOutputFolder } from '../../report/atomic-dir';
import { loadDkOutlines, type DkOutlines } from '../../report/dk-outlines';
import { writeReport } from '../../report/html';
import type { RunInfo } from '../../report/types';
import { targetScale } from '../../evaluation/vae-regressor';
import type { Shard } from '../../study/null-runner';
import { runStudy, runStudyPart, type StudyInputs, type StudyResult } from '../../study/run-study';
import { studyReport } from '../../study/to-report';
import type { RunConfig } from '../config';
import { datasetFrom, laplacianOf, openEngine, stageProgress, type CommandContext } from '../context';
import { formatDatasetSummary } from '../../data/dataset';
import { join } from 'node:path';
import { resultsTable } from '../results-table';
import { resumeStore } from '../resume-store';
import { runIdentity } from '../run-identity';
import { SHARD_FILE, shardSummary, writeShardFolder } from '../shard-folder';
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

/** The record of a run in its report: RunInfo with the resolved configuration. */
export type StudyRunInfo = RunInfo & { config: RunConfig };

/** Runs the study, or with `shard` one shard of it; returns the study (null for a shard). */
export async function evaluateCommand(config: RunConfig, outDir: string, context: CommandContext, paper: boolean, shard?: Shard): Promise<StudyResult | null> {
  const started = new Date();
  checkOutputFolder(outDir, shard ? SHARD_FILE : 'report.html');
  const dataset = datasetFrom(config.data);
  context.log(formatDatasetSummary(dataset));
  const pool = config.evaluation.randomGeneSets + config.evaluation.vaeRandomGeneSets > 0 ? datasetFrom(config.data, 'all') : null;
  const allGenes = pool && pool.regions.join() === dataset.regions.join() ? { X: pool.X, genes: pool.genes } : undefined;
  const outlines = loadDkOutlines(join(config.data.dataDir, 'dk_ggseg_polygons.json'));
  const engine = await openEngine(config, context);
  try {
    const identity = runIdentity(config, dataset, allGenes, engine.backend.name, paper ? 'reproduce' : 'evaluate');
    const inputs: StudyInputs = {
      dataset, laplacian: laplacianOf(dataset, config.data), allGenes, engine,
      options: { ...config.evaluation, model: config.model, seed: config.seed },
      stage: stageProgress(context),
      resume: resumeStore(outDir, identity.fingerprint, context.log),
    };
    const runInfo = (): StudyRunInfo => {
      const finished = new Date();
      return {
        command: context.commandLine, config, seed: config.seed,
        backend: engine.backend.name, adapter: engine.backend.describe(),
        startedAt: started.toISOString(), finishedAt: finished.toISOString(),
        wallSeconds: (finished.getTime() - started.getTime()) / 1000, version,
      };
    };
    if (shard) {
      const part = await runStudyPart(inputs, shard);
      const { config: _config, ...run } = runInfo();
      writeShardFolder(outDir, { shard, identity, config, run, nulls: part.nulls }, part.observed && { study: part.observed, dataset, outlines });
      context.out(shardSummary(shard, part, outDir, run.wallSeconds, context.json));
      return null;
    }
    const study = await runStudy(inputs);
    writeStudyOutputs(outDir, study, dataset, outlines, runInfo(), context, paper);
    return study;
  } finally {
    engine.backend.destroy();
  }
}

/** The report folder (report.html, results.json, CSVs, config.json, model.ckpt) and the results table on stdout. */
export function writeStudyOutputs(
  outDir: string, study: StudyResult, dataset: Dataset, outlines: DkOutlines, run: StudyRunInfo, context: CommandContext, paper: boolean,
): void {
  const config = run.config;
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
}
