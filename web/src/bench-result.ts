/**
 * What the browser benchmark returns and offers as JSON: the fields of the Node bench's result
 * (bench/types.ts) that apply in a page, plus the epoch-by-epoch agreement with the CPU reference.
 */
import type { BenchResult, MachineInfo, TrainingRow, TrainShape } from '../../bench/types';

/** The Node bench names its two shapes; the page names them by size (66×75, 66×787). */
export interface BrowserTrainShape extends Omit<TrainShape, 'name'> {
  name: string;
}

export interface BrowserTrainingRow extends Omit<TrainingRow, 'shape'> {
  shape: string;
}

/** One seeded training run compared with the CPU reference's, epoch by epoch. */
export interface EpochAgreement {
  shape: string;
  epochs: number;
  maxScaledError: number;
  tolerance: number;
  withinTolerance: boolean;
}

type SharedFields = 'version' | 'startedAt' | 'finishedAt' | 'wallSeconds' | 'backend' | 'kernels' | 'notes';

export interface BrowserBenchResult extends Pick<BenchResult, SharedFields> {
  machine: Pick<MachineInfo, 'subjectBackend' | 'referenceBackend' | 'adapter'> & {
    userAgent: string;
    logicalCores: number;
  };
  training: { shapes: BrowserTrainShape[]; rows: BrowserTrainingRow[]; agreement: EpochAgreement[] };
}
