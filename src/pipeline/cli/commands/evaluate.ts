/**
 * `evaluate` and `reproduce`: the full study (in-sample fit, every CV scheme beside the baselines,
 * the tuned VAE, spin and random-gene nulls, intervals, diagnostics, latent programs) written as a
 * report folder. With several targets (`--targets`) the same study runs on each map: the folder's
 * report is the first map's, with a summary table of every map, and each other map's full report
 * sits in targets/<name>/. With --shard k/n, one shard of one map's retrained nulls (shard 1 also
 * computes the rest) is written for `merge`. Finished work is checkpointed in the output folder, so
 * a rerun after an interruption resumes.
 */
import { isAbsolute, join } from 'node:path';
import { encodeCheckpoint } from '../../../model';
import { formatDatasetSummary, type Dataset } from '../../data/dataset';
import { targetScale } from '../../evaluation/vae-regressor';
import { InputError } from '../../input-error';
import { checkOutputFolder, writeFolderAtomically, type FolderContents } from '../../report/atomic-dir';
import { loadDkOutlines, type DkOutlines } from '../../report/dk-outlines';
import { reportContents } from '../../report/html';
import type { RunInfo, TargetSummaryRow } from '../../report/types';
import type { Shard } from '../../study/null-runner';
import { retrainedP, runStudy, runStudyPart, type StudyInputs, type StudyResult } from '../../study/run-study';
import type { GeneSetData } from '../../study/sensitivity';
import { studyReport } from '../../study/to-report';
import type { DataConfig, RunConfig } from '../config';
import { datasetFrom, laplacianOf, openEngine, stageProgress, type CommandContext } from '../context';
import { resultsTable, targetsTable } from '../results-table';
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
  const tuning = e.tuning
    ? `the tuned VAE picks one of ${e.tuning.candidates.length} candidate settings × ${e.tuning.epochs.length} epoch counts (${e.tuning.epochs.join(', ')}) on ${e.tuning.innerFolds} spatial inner folds per split, over ${e.tuning.seeds} seed(s), its retrained nulls ${e.tuning.spins} spins and ${Math.min(e.tuning.spins, e.moranMaps)} Moran surrogates; `
    : 'no tuned VAE; ';
  return (
    `Protocol sizes: every VAE fit trains ${model.epochs} epochs (the paper: ${PAPER_EPOCHS}); in-sample fits and the headline CV over ${e.stabilitySeeds} seed(s); ` +
    `the VAE's nulls (in-sample refit, headline CV rerun, and the λ = 0 VAE's) use ${e.vaeSpins} symmetric spins and ${Math.min(e.vaeSpins, e.moranMaps)} Moran surrogates, ` +
    `the baselines' ${e.spins} spins and ${e.moranMaps} surrogates on ${[headline, ...e.nullSchemes.filter((s) => s !== headline && e.schemes.includes(s))].join(', ')}; ` +
    tuning +
    `random-gene nulls ${e.randomGeneSets} gene sets for ridge, ${e.vaeRandomGeneSets} for the VAE; ` +
    `the VAE is cross-validated on ${vaeSchemes.join(', ')}, the baselines on ${e.schemes.join(', ')}. Each is a setting (cortex-vae --help).`
  );
}

/** The record of a run in its report: RunInfo with the resolved configuration. */
export type StudyRunInfo = RunInfo & { config: RunConfig };

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

/** p_spin of a model's headline CV with its number of spins, when it has a retrained null. */
function spinAndCount(study: StudyResult, model: string): { pSpin?: number; spins?: number } {
  const spin = retrainedP(study, model, 'spin');
  return spin ? { pSpin: spin.p, spins: spin.draws } : {};
}

/** Headline CV of every model on every map, with each model's retrained p_spin where it has one. */
export function targetSummary(studies: readonly TargetStudy[]): TargetSummaryRow[] {
  return studies.flatMap(({ target, study }, k) =>
    study.crossValidation
      .filter((c) => c.scheme === study.headline)
      .map((c) => ({
        target,
        model: c.model,
        r: c.result.pooled.r,
        rSquared: c.result.pooled.r2,
        ...spinAndCount(study, c.model),
        report: k === 0 ? 'report.html' : `targets/${targetFolder(target)}/report.html`,
      })),
  );
}

/** The gene sets of the sensitivity table as datasets: a bare file name is looked up in the data folder. */
function sensitivityData(config: RunConfig, data: DataConfig): GeneSetData[] | undefined {
  return config.evaluation.sensitivity?.geneSets.map((spec) => {
    const file =
      spec.expression === null
        ? data.expressionFile
        : isAbsolute(spec.expression) || /[\\/]/.test(spec.expression)
          ? spec.expression
          : join(data.dataDir, spec.expression);
    const dataset = datasetFrom({ ...data, expressionFile: file }, spec.genes);
    return { spec, dataset, laplacian: laplacianOf(dataset, data) };
  });
}

/** Runs the study on every target map, or with `shard` one shard of one map's study; returns the studies (null for a shard). */
export async function evaluateCommand(
  config: RunConfig,
  outDir: string,
  context: CommandContext,
  paper: boolean,
  shard?: Shard,
): Promise<TargetStudy[] | null> {
  const started = new Date();
  const targets = config.data.targets.length > 0 ? config.data.targets : [config.data.target];
  if (shard && targets.length > 1) {
    throw new InputError(
      `--shard shares out one map's nulls, but --targets names ${targets.length}; run each map as its own sharded run (--target NAME)`,
    );
  }
  checkOutputFolder(outDir, shard ? SHARD_FILE : 'report.html');
  const outlines = loadDkOutlines(join(config.data.dataDir, 'dk_ggseg_polygons.json'));
  // every input is read and checked before any training
  const inputs = targets.map((target) => {
    const data: DataConfig = { ...config.data, target, targets: [] };
    const dataset = datasetFrom(data);
    const pool =
      config.evaluation.randomGeneSets + config.evaluation.vaeRandomGeneSets > 0 ? datasetFrom(data, 'all') : null;
    const allGenes =
      pool && pool.regions.join() === dataset.regions.join() ? { X: pool.X, genes: pool.genes } : undefined;
    return { target, data, dataset, allGenes, sensitivity: sensitivityData(config, data) };
  });
  const engine = await openEngine(config, context);
  try {
    const command = paper ? 'reproduce' : 'evaluate';
    const identities = inputs.map(({ data, dataset, allGenes }) =>
      runIdentity({ ...config, data }, dataset, allGenes, engine.backend.name, command),
    );
    const fingerprints = identities.map((identity) => identity.fingerprint);
    const studyInputs = (k: number): StudyInputs => {
      const { data, dataset, allGenes, sensitivity } = inputs[k]!;
      return {
        dataset,
        laplacian: laplacianOf(dataset, data),
        allGenes,
        engine,
        sensitivity,
        options: { ...config.evaluation, model: config.model, seed: config.seed },
        stage: stageProgress(context),
        resume: resumeStore(outDir, fingerprints[k]!, context.log, fingerprints),
      };
    };
    const runInfo = (runConfig: RunConfig, from: Date): StudyRunInfo => {
      const finished = new Date();
      return {
        command: context.commandLine,
        config: runConfig,
        seed: config.seed,
        backend: engine.backend.name,
        adapter: engine.backend.describe(),
        startedAt: from.toISOString(),
        finishedAt: finished.toISOString(),
        wallSeconds: (finished.getTime() - from.getTime()) / 1000,
        version,
      };
    };
    if (shard) {
      const { dataset } = inputs[0]!;
      context.log(formatDatasetSummary(dataset));
      const part = await runStudyPart(studyInputs(0), shard);
      const { config: _config, ...run } = runInfo(config, started);
      writeShardFolder(
        outDir,
        { shard, identity: identities[0]!, config, run, nulls: part.nulls },
        part.observed && { study: part.observed, dataset, outlines },
      );
      context.out(shardSummary(shard, part, outDir, run.wallSeconds, context.json));
      return null;
    }
    const studies: (TargetStudy & { run: StudyRunInfo })[] = [];
    for (const [k, { target, data, dataset }] of inputs.entries()) {
      context.log(formatDatasetSummary(dataset));
      const targetStarted = new Date();
      const study = await runStudy(studyInputs(k));
      // the first map's config.json keeps the whole run's settings (its targets list); the others their own map
      studies.push({ target, dataset, study, run: runInfo(k === 0 ? config : { ...config, data }, targetStarted) });
    }
    const summary = studies.length > 1 ? targetSummary(studies) : undefined;
    const contents: FolderContents = studies.flatMap(({ target, dataset, study, run }, k) => {
      const linked = k === 0 ? studies.slice(1).map((s) => `targets/${targetFolder(s.target)}/report.html`) : [];
      const files = studyFolderContents(
        study,
        dataset,
        outlines,
        run,
        paper && k === 0,
        k === 0 ? summary : undefined,
        linked,
      );
      return k === 0
        ? files
        : files.map(([name, content]) => [`targets/${targetFolder(target)}/${name}`, content] as const);
    });
    writeFolderAtomically(outDir, contents, 'report.html');
    const wallSeconds = (new Date().getTime() - started.getTime()) / 1000;
    const first = studies[0]!;
    context.out(
      summary
        ? targetsTable(summary, studies, context.json, wallSeconds)
        : resultsTable(first.study, first.dataset, context.json, wallSeconds, paper ? PAPER_FIGURES : undefined),
    );
    context.log(`report: ${join(outDir, 'report.html')}`);
    return studies;
  } finally {
    engine.backend.destroy();
  }
}

/** One map's report folder: report.html, results.json, CSVs, config.json and model.ckpt. */
function studyFolderContents(
  study: StudyResult,
  dataset: Dataset,
  outlines: DkOutlines,
  run: StudyRunInfo,
  paper: boolean,
  targets: TargetSummaryRow[] | undefined,
  linked: readonly string[],
): FolderContents {
  const config = run.config;
  const { data, tables } = studyReport(study, dataset, run, {
    ...config.evaluation,
    model: config.model,
    seed: config.seed,
  });
  data.notes = [...(data.notes ?? []), { level: 'note', text: protocolNote(config, study.headline) }];
  if (paper) {
    data.notes = [
      {
        level: 'note',
        text: `The paper reports in-sample explained variance ${PAPER_FIGURES.explainedVariance} and r = ${PAPER_FIGURES.r} (910 genes, 68 regions, its own AHBA processing); the figures here are measured on the shipped data.`,
      },
      ...data.notes,
    ];
  }
  if (targets) data.targets = targets;
  return reportContents(
    data,
    tables,
    outlines,
    [
      ['config.json', () => JSON.stringify(config, null, 2) + '\n'],
      [
        'model.ckpt',
        () =>
          encodeCheckpoint(
            study.main.model,
            checkpointProvenance(
              config,
              dataset,
              targetScale(
                dataset.y,
                dataset.regions.map((_, i) => i),
              ),
            ),
          ),
      ],
    ],
    linked,
  );
}

/** A merged study's report folder and its results table on stdout (`merge`). */
export function writeStudyOutputs(
  outDir: string,
  study: StudyResult,
  dataset: Dataset,
  outlines: DkOutlines,
  run: StudyRunInfo,
  context: CommandContext,
  paper: boolean,
): void {
  writeFolderAtomically(
    outDir,
    studyFolderContents(study, dataset, outlines, run, paper, undefined, []),
    'report.html',
  );
  context.out(resultsTable(study, dataset, context.json, run.wallSeconds, paper ? PAPER_FIGURES : undefined));
  context.log(`report: ${join(outDir, 'report.html')}`);
}
