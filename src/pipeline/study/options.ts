/**
 * What a study runs: the evaluation protocol of DESIGN.md §6 as data, so a run's resolved options
 * can be written next to its results and rerun exactly.
 */
import type { VaeConfig } from '../../model';
import type { GeneScalingKind } from '../data/scaling';

/**
 * Cross-validation schemes; the first one that can run on the dataset is the headline: it gets the
 * retrained nulls, the VAE without Laplacian and the seed repeats.
 */
export type CvScheme = 'distance' | 'loro' | 'kfold' | 'lobe' | 'hemisphere';

export const CV_SCHEMES: readonly CvScheme[] = ['distance', 'loro', 'kfold', 'lobe', 'hemisphere'];

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
  kFolds: number;
  kFoldRepeats: number;
  /** Spins for the fixed-prediction nulls and the baselines' retrained nulls. */
  spins: number;
  spinMethod: 'hungarian' | 'vasa';
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
   * When set, a VAE whose settings are chosen per split by nested CV inside the training regions
   * (each candidate overrides part of `model`) joins the comparison. Costs candidates × (innerFolds
   * + 1) fits per split.
   */
  tuning: { candidates: Partial<VaeConfig>[]; innerFolds: number } | null;
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
 * The default protocol, sized so `reproduce` (66 regions × 787 genes, 200 epochs) finishes within
 * 30 min on a 2-core machine without a GPU (WebGPU on lavapipe); README gives the estimate and how
 * it was timed. The baselines get every scheme and the full nulls (cheap); the VAE's nulls, seeds
 * and schemes are what costs, and they are the sizes to grow on a faster engine.
 */
export const DEFAULT_STUDY_OPTIONS: Omit<StudyOptions, 'model'> = {
  seed: 1,
  scaling: 'zscore',
  // hemisphere to hemisphere first: the map learnt on one hemisphere's expression predicts the other's,
  // in 2 splits, so the VAE's retrained nulls (spins × splits models) stay within reach of a CPU.
  // Left-only data cannot run it, and the distance-dependent CV (Hansen et al.) becomes the headline.
  schemes: ['hemisphere', 'distance', 'lobe', 'kfold', 'loro'],
  vaeSchemes: ['hemisphere'],
  distanceFraction: 0.25,
  kFolds: 10,
  kFoldRepeats: 1,
  spins: 1000,
  spinMethod: 'hungarian',
  vaeSpins: 20,
  randomGeneSets: 1000,
  vaeRandomGeneSets: 2,
  stabilitySeeds: 3,
  topGenes: 20,
  tuning: null,
  maxBatch: undefined,
  nullChunk: 256,
};

/** `--tune`: λ chosen from {0, 10⁻³, 10⁻², 10⁻¹} by inner 5-fold CV in each split's training regions. */
export const DEFAULT_TUNING: NonNullable<StudyOptions['tuning']> = {
  candidates: [{ lambda: 0 }, { lambda: 1e-3 }, { lambda: 1e-2 }, { lambda: 1e-1 }],
  innerFolds: 5,
};
