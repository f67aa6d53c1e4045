/**
 * What every stage of a study reads: the inputs, the models built for the dataset, the null maps and
 * the headline splits. Built once per process (cheap, and the same in every shard) by `planStudy`.
 */
import type { CsrMatrix } from '../../engine/backend';
import type { Engine } from '../../engine/engine';
import type { Dataset } from '../data/dataset';
import type { GeneMatrix } from '../data/gene-matrix';
import type { BatchedRegressor } from '../evaluation/models';
import type { Split } from '../evaluation/splits';
import type { TunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
import type { VaeRegressorOptions } from '../evaluation/vae-regressor';
import type { NullMaps } from './null-maps';
import type { NullCheckpoints } from './null-runner';
import type { CvScheme, StudyOptions } from './options';
import type { GeneSetData } from './sensitivity';
import type { NullJob } from './study-nulls';
import type { StageProgress, StudyResult } from './types';

/**
 * What runStudy needs: dataset, Laplacian, engine, options, and optionally all genes, sensitivity gene sets,
 * progress and resume state.
 */
export interface StudyInputs {
  dataset: Dataset;
  laplacian: CsrMatrix;
  /** Every gene of the expression file over the dataset's regions, for the random-gene null. */
  allGenes?: { X: Float64Array; genes: string[] };
  engine: Engine;
  options: StudyOptions;
  /** The gene sets of options.sensitivity, built into datasets by the caller. */
  sensitivity?: GeneSetData[];
  stage?: (label: string) => StageProgress;
  /** Work an earlier, interrupted run with the same inputs finished: loaded, not redone. */
  resume?: StudyCheckpoints;
}

/** Finished parts of a study kept between runs: the observed study and null chunks. */
export interface StudyCheckpoints extends NullCheckpoints {
  loadObserved(): StudyResult | undefined;
  saveObserved(study: StudyResult): void;
}

/** Runs `work` as a named stage with progress. */
export type Tracked = <T>(
  label: string,
  work: (update: (done: number, total: number) => void) => Promise<T>,
) => Promise<T>;

export interface StudyContext {
  inputs: StudyInputs;
  stage: (label: string) => StageProgress;
  tracked: Tracked;
  /** The dataset's expression, N regions × G genes. */
  expression: GeneMatrix;
  vaeOptions: Omit<VaeRegressorOptions, 'config'>;
  vae: BatchedRegressor;
  vaeNoLaplacian: BatchedRegressor;
  /** Ridge first, then PLS, gene PC1 and the no-gene baselines. */
  baselines: BatchedRegressor[];
  tuned: TunedVaeRegressor | false | null;
  /** The headline ensembles' members (they report Var(ŷ) when they carry the intervals). */
  vaeMember: BatchedRegressor;
  tunedMember: TunedVaeRegressor | false | null;
  maps: NullMaps;
  headline: CvScheme;
  headlineSplits: Split[];
  splitsOf(scheme: CvScheme): Split[];
  nullJobs: NullJob[];
}
