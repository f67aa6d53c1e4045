/**
 * `evaluate` and `reproduce`: the full study (in-sample fit, every CV scheme beside the baselines,
 * the tuned VAE, spin and random-gene nulls, intervals, diagnostics, latent programs) written as a
 * report folder. With several targets (`--targets`) the same study runs on each map: the folder's
 * report is the first map's, with a summary table of every map, and each other map's full report
 * sits in targets/<name>/.
 */
import { isAbsolute, join } from 'node:path';
import { encodeCheckpoint } from '../../../model';
import { type Dataset } from '../../data/dataset';
import { formatDatasetSummary } from '../../data/dataset';
import { targetScale } from '../../evaluation/vae-regressor';
import type { FolderContents } from '../../report/atomic-dir';
import { writeFolderAtomically } from '../../report/atomic-dir';
import { loadDkOutlines } from '../../report/dk-outlines';
import { reportContents } from '../../report/html';
import type { RunInfo, TargetSummaryRow } from '../../report/types';
import type { GeneSetData } from '../../study/sensitivity';
import { retrainedSpinP, runStudy, type StudyResult } from '../../study/run-study';
import { studyReport } from '../../study/to-report';
import type { DataConfig, RunConfig } from '../config';
import { datasetFrom, laplacianOf, openEngine, stageProgress, type CommandContext } from '../context';
import { resultsTable, targetsTable } from '../results-table';
import { checkpointProvenance } from './train';
import { version } from '../version';

export const PAPER_FIGURES = { explainedVariance: 0.8604, r: 0.9439 };

/** One target map's study. */
export interface TargetStudy {
  target: string;
  dataset: Dataset;
  study: StudyResult;
}

/** A target name as a folder name: shipped names as they are, file maps with every odd character as '_'. */
export function targetFolder(target: string): string {
  return target.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
}

/** Headline CV of every model on every map, with each model's retrained p_spin where it has one. */
export function targetSummary(studies: readonly TargetStudy[]): TargetSummaryRow[] {
  return studies.flatMap(({ target, study }, k) => study.crossValidation.filter((c) => c.scheme === study.headline).map((c) => ({
    target, model: c.model, r: c.result.pooled.r, rSquared: c.result.pooled.r2, pSpin: retrainedSpinP(study, c.model),
    report: k === 0 ? 'report.html' : `targets/${targetFolder(target)}/report.html`,
  })));
}

/** The gene sets of the sensitivity table as datasets: a bare file name is looked up in the data folder. */
function sensitivityData(config: RunConfig, data: DataConfig): GeneSetData[] | undefined {
  return config.evaluation.sensitivity?.geneSets.map((spec) => {
    const file = spec.expression === null ? data.expressionFile
      : isAbsolute(spec.expression) || /[\\/]/.test(spec.expression) ? spec.expression : join(data.dataDir, spec.expression);
    const dataset = datasetFrom({ ...data, expressionFile: file }, spec.genes);
    return { spec, dataset, laplacian: laplacianOf(dataset, data) };
  });
}

export async function evaluateCommand(config: RunConfig, outDir: string, context: CommandContext, paper: boolean): Promise<TargetStudy[]> {
  const started = new Date();
  const targets = config.data.targets.length > 0 ? config.data.targets : [config.data.target];
  const outlines = loadDkOutlines(join(config.data.dataDir, 'dk_ggseg_polygons.json'));
  // every input is read and checked before any training
  const inputs = targets.map((target) => {
    const data = { ...config.data, target, targets: [] };
    const dataset = datasetFrom(data);
    const pool = config.evaluation.randomGeneSets + config.evaluation.vaeRandomGeneSets > 0 ? datasetFrom(data, 'all') : null;
    const allGenes = pool && pool.regions.join() === dataset.regions.join() ? { X: pool.X, genes: pool.genes } : undefined;
    return { target, data, dataset, allGenes, sensitivity: sensitivityData(config, data) };
  });
  const engine = await openEngine(config, context);
  try {
    const studies: (TargetStudy & { data: DataConfig; run: RunInfo })[] = [];
    for (const { target, data, dataset, allGenes, sensitivity } of inputs) {
      context.log(formatDatasetSummary(dataset));
      const targetStarted = new Date();
      const study = await runStudy({
        dataset, laplacian: laplacianOf(dataset, data), allGenes, engine, sensitivity,
        options: { ...config.evaluation, model: config.model, seed: config.seed },
        stage: stageProgress(context),
      });
      const finished = new Date();
      const run: RunInfo = {
        command: context.commandLine,
        config: { ...config, data },
        seed: config.seed,
        backend: engine.backend.name,
        adapter: engine.backend.describe(),
        startedAt: targetStarted.toISOString(),
        finishedAt: finished.toISOString(),
        wallSeconds: (finished.getTime() - targetStarted.getTime()) / 1000,
        version,
      };
      studies.push({ target, dataset, study, data, run });
    }
    const summary = studies.length > 1 ? targetSummary(studies) : undefined;
    const contents: FolderContents = studies.flatMap(({ target, dataset, study, data, run }, k) => {
      const { data: report, tables } = studyReport(study, dataset, run, { ...config.evaluation, model: config.model, seed: config.seed });
      if (paper && k === 0) {
        report.notes = [{ level: 'note', text: `The paper reports in-sample explained variance ${PAPER_FIGURES.explainedVariance} and r = ${PAPER_FIGURES.r} (910 genes, 68 regions, its own AHBA processing); the figures here are measured on the shipped data.` }, ...(report.notes ?? [])];
      }
      if (k === 0) report.targets = summary;
      const files = reportContents(report, tables, outlines, [
        ['config.json', () => JSON.stringify({ ...config, data: k === 0 ? config.data : data }, null, 2) + '\n'],
        ['model.ckpt', () => encodeCheckpoint(study.main.model, checkpointProvenance({ ...config, data }, dataset, targetScale(dataset.y, dataset.regions.map((_, i) => i))))],
      ], k === 0 ? studies.slice(1).map((s) => `targets/${targetFolder(s.target)}/report.html`) : []);
      return k === 0 ? files : files.map(([name, content]) => [`targets/${targetFolder(target)}/${name}`, content] as const);
    });
    writeFolderAtomically(outDir, contents, 'report.html');
    const wallSeconds = (new Date().getTime() - started.getTime()) / 1000;
    const first = studies[0]!;
    context.out(summary
      ? targetsTable(summary, studies.map((s) => ({ target: s.target, study: s.study, dataset: s.dataset })), context.json, wallSeconds)
      : resultsTable(first.study, first.dataset, context.json, wallSeconds, paper ? PAPER_FIGURES : undefined));
    context.log(`report: ${join(outDir, 'report.html')}`);
    return studies;
  } finally {
    engine.backend.destroy();
  }
}
