/**
 * What a study runs: the evaluation protocol of docs/evaluation.md as data, so a run's resolved options
 * can be written next to its results and rerun exactly.
 */
import type { VaeConfig } from '../../model';
import type { GeneScalingKind } from '../data/scaling';
import type { TuningSettings } from '../evaluation/tuned-vae-regressor';

/**
 * Cross-validation schemes; the first one that can run on the dataset is the headline: it gets the
 * VAEs' retrained nulls, the VAE without Laplacian and the seed repeats. `patches`, `distance-pairs`
 * and `pair` hold every test region's counterpart out with it; `left` uses the left hemisphere only.
 */
export type CvScheme =
  'patches' | 'left' | 'hemisphere' | 'distance-pairs' | 'pair' | 'distance' | 'loro' | 'kfold' | 'lobe';

export const CV_SCHEMES: readonly CvScheme[] = [
  'patches',
  'left',
  'hemisphere',
  'distance-pairs',
  'pair',
  'distance',
  'loro',
  'kfold',
  'lobe',
];

/** Nested tuning in a study: the candidates and inner folds, and the seeds, spins and schemes tuning runs on. */
export interface StudyTuning extends TuningSettings {
  /** Seeds of the tuned VAE's ensemble on the headline splits (mean ± SD over seeds, intervals). */
  seeds: number;
  /** Spins of the tuned VAE's retrained spin null (the whole nested procedure per spin); 0: no null. */
  spins: number;
  /** Schemes besides the headline on which the tuned VAE is cross-validated too. */
  schemes: CvScheme[];
}

/** Predictive intervals: the coverage levels, and the inner folds and fraction they are calibrated on. */
export interface IntervalOptions {
  /** Nominal coverages, e.g. 0.5, 0.8, 0.9. */
  levels: number[];
  /** Inner folds (spatial patches of each split's training regions) that calibrate the intervals. */
  innerFolds: number;
  innerFraction: number;
}

/** One row of the sensitivity table: an expression file (null: the run's own) and a gene selection. */
export interface GeneSetSpec {
  /** Path, or a file name in the data folder. */
  expression: string | null;
  /** 'all', 'l1000', or a gene list file. */
  genes: string;
}

/** The settings of a study (DEFAULT_STUDY_OPTIONS holds the defaults; the VAE settings come separately). */
export interface StudyOptions {
  /** Seeds the models, the k-fold splits, the spins and the random gene sets. */
  seed: number;
  /** Per-gene scaling, fitted on each split's training regions. */
  scaling: GeneScalingKind;
  /** The graph VAE (the "without Laplacian" variant is the same with λ = 0). */
  model: VaeConfig;
  schemes: CvScheme[];
  /**
   * Schemes on which the VAE is cross-validated besides the headline (which always has it); the
   * baselines run on every scheme. Each scheme costs the VAE one fit per split.
   */
  vaeSchemes: CvScheme[];
  /** Distance-dependent CV: test set = this fraction of the seed's hemisphere nearest to it. */
  distanceFraction: number;
  /** `patches` and `left`: spatial patches (each with its counterparts) that partition the regions. */
  patches: number;
  /**
   * Schemes whose baselines (cheap) get retrained nulls of both families besides the headline; the
   * VAEs' retrained nulls run on the headline only.
   */
  nullSchemes: CvScheme[];
  kFolds: number;
  kFoldRepeats: number;
  /** Spins for the fixed-prediction nulls and the baselines' retrained nulls. */
  spins: number;
  spinMethod: 'hungarian' | 'vasa';
  /** Moran spectral randomisations for the baselines' retrained nulls (the second null family). */
  moranMaps: number;
  /** Spins for the VAE's retrained nulls (each is a full retraining of every split). */
  vaeSpins: number;
  /** Random gene sets of the same size for the gene-specificity null (ridge; the VAE gets vaeRandomGeneSets). */
  randomGeneSets: number;
  vaeRandomGeneSets: number;
  /** Models trained from different seeds for latent stability and mean ± SD of the headline figures. */
  stabilitySeeds: number;
  /** Top genes listed per latent program (each sign). */
  topGenes: number;
  /**
   * The VAE whose settings are chosen per split by nested CV on spatial inner folds of the training
   * regions (each candidate overrides part of `model`; the epoch count is chosen from `epochs`). Costs
   * candidates × innerFolds fits of the largest epoch count, plus one refit, per split and seed.
   */
  tuning: StudyTuning | null;
  /** Predictive intervals of the headline VAE ensemble (the tuned one when tuning is on), calibrated on inner folds. */
  intervals: IntervalOptions | null;
  /** Training and held-out error over epochs for each headline split (one more fit per split). */
  diagnostics: boolean;
  /** The headline CV repeated for other gene sets (expression file × gene selection); the caller builds their datasets. */
  sensitivity: { geneSets: GeneSetSpec[] } | null;
  /** Most models per batched training run (undefined: as many as fit the device's binding limit). */
  maxBatch?: number;
  /**
   * About this many model fits per chunk of retrained-null work: the unit a run checkpoints and
   * resumes, and that shards share out (each shard takes whole chunks). Larger chunks give a GPU
   * bigger batches; smaller ones lose less to an interruption and spread small nulls over more shards.
   */
  nullChunk: number;
}

/**
 * Nested tuning, on by default. Candidates, over the paper's setting (β = 1e-3, λ = 1e-2, H = 256,
 * K = 16): the paper's setting itself; a full-weight prior β = 1 (it keeps the latents near N(0, I),
 * a strong regulariser for 33 training regions) with λ = 1e-2 and λ = 0 (does the smoothness term
 * help?); β = 1 with weight decay 1 (AdamW: parameters shrink by lr·1 = 1e-3 per step); and β = 1 at
 * an eighth of the capacity (H = 32, K = 4). The epoch count is chosen from 25 … 200. Sized so the
 * default `reproduce` fits a 2-core machine without a GPU: 3 inner folds, 2 seeds, 2 spins and 2 Moran
 * surrogates, and the 'drop-worst' search (the worst candidate stops at each epoch count: 1,725 inner
 * models·epochs per tuned fit instead of exhaustive search's 3,000; docs/evaluation.md). A config file
 * or the --tune-* flags grow any of them.
 */
export const DEFAULT_TUNING: StudyTuning = {
  candidates: [
    {},
    { beta: 1 },
    { beta: 1, lambda: 0 },
    { beta: 1, weightDecay: 1 },
    { beta: 1, hiddenSize: 32, latentSize: 4 },
  ],
  epochs: [25, 50, 100, 200],
  innerFolds: 3,
  innerFraction: 0.25,
  seeds: 2,
  spins: 2,
  schemes: [],
};

export const DEFAULT_INTERVALS: IntervalOptions = { levels: [0.5, 0.8, 0.9], innerFolds: 3, innerFraction: 0.25 };

/** `reproduce`'s sensitivity table: the landmark genes of the r ≥ 0.6 matrix (75) and of the r ≥ 0.2 one (787). */
export const LANDMARK_SENSITIVITY: NonNullable<StudyOptions['sensitivity']> = {
  geneSets: [
    { expression: 'ahba_dk_enigma_stable_r0.6.csv.gz', genes: 'l1000' },
    { expression: 'ahba_dk_enigma_stable_r0.2.csv.gz', genes: 'l1000' },
  ],
};

/** `--sensitivity`: those, and every one of the r ≥ 0.2 matrix's 12,668 genes (16 times the VAE's work of 787). */
export const DEFAULT_SENSITIVITY: NonNullable<StudyOptions['sensitivity']> = {
  geneSets: [...LANDMARK_SENSITIVITY.geneSets, { expression: 'ahba_dk_enigma_stable_r0.2.csv.gz', genes: 'all' }],
};

/**
 * The default protocol, sized so `reproduce` (66 regions × 787 genes, 200 epochs) finishes within
 * 30 min on a 2-core machine without a GPU (WebGPU on lavapipe); README gives the estimate and how
 * it was timed. The baselines get every scheme and the full nulls (cheap); the VAE's nulls, seeds
 * and schemes are what costs, and they are the sizes to grow on a faster engine.
 */
export const DEFAULT_STUDY_OPTIONS: Omit<StudyOptions, 'model'> = {
  seed: 1,
  scaling: 'zscore',
  // counterpart-aware patches first (docs/evaluation.md, "The headline"): 3 spatial patches, each held
  // out with its regions' counterparts, so no model can copy a region's homologue; 3 splits keep the
  // VAE's retrained nulls (spins × splits models) within reach of a CPU. On left-only data the
  // hemisphere-based schemes are skipped and `left` becomes the headline.
  schemes: ['patches', 'left', 'hemisphere', 'distance-pairs', 'pair', 'distance', 'lobe', 'kfold', 'loro'],
  vaeSchemes: ['left', 'hemisphere'],
  distanceFraction: 0.25,
  patches: 3,
  nullSchemes: ['left', 'hemisphere'],
  kFolds: 10,
  kFoldRepeats: 1,
  spins: 1000,
  spinMethod: 'hungarian',
  moranMaps: 1000,
  // the VAEs' nulls: 5 symmetric spins and 5 Moran surrogates each (p ≥ 1/6 per family; --vae-spins grows both)
  vaeSpins: 5,
  randomGeneSets: 1000,
  vaeRandomGeneSets: 2,
  stabilitySeeds: 3,
  topGenes: 20,
  tuning: DEFAULT_TUNING,
  intervals: DEFAULT_INTERVALS,
  diagnostics: true,
  sensitivity: null,
  maxBatch: undefined,
  nullChunk: 256,
};
