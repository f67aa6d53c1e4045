/** What a study produces: every stage's part of the result, as plain data (docs/evaluation.md). */
import type { EpochLosses, VaeModel } from '../../model';
import type { CrossValidationResult } from '../evaluation/cross-validate';
import type { LearningCurve } from '../evaluation/learning-curves';
import type { FitMetrics, Summary } from '../evaluation/metrics';
import type { LatentProgramSummary } from './latent-programs';
import type { CvScheme } from './options';
import type { PredictiveIntervals } from './predictive-intervals';
import type { SensitivityRow } from './sensitivity';

/** Reports progress of one stage; `done` closes it. */
export interface StageProgress {
  update(done: number, total: number): void;
  done(): void;
}

/** One model's in-sample metrics. */
export interface ModelMetrics {
  model: string;
  metrics: FitMetrics;
}

/** One model cross-validated under one scheme. */
export interface CvEntry {
  scheme: CvScheme;
  model: string;
  result: CrossValidationResult;
}

/**
 * The null families: `spin` rotates the sphere (symmetric: pairs carried along, on schemes that use
 * both hemispheres), `moran` randomises Moran eigenvector coefficients (symmetric likewise), `genes`
 * draws random gene sets.
 */
export type NullFamily = 'spin' | 'moran' | 'genes';

export const P_LABELS: Record<NullFamily, 'p_spin' | 'p_moran' | 'p_genes'> = {
  spin: 'p_spin',
  moran: 'p_moran',
  genes: 'p_genes',
};

/** One null distribution of the study: its family, scheme, model, the null statistics and the p-value. */
export interface NullEntry {
  name: string;
  /** The model refitted under the null (none for the fixed-prediction nulls). */
  model?: string;
  /** retrained: a scheme's CV rerun per null map; the others are named by `name`. */
  kind: 'fixed' | 'in-sample refit' | 'retrained' | 'random genes';
  family: NullFamily;
  /** The scheme whose cross-validation was rerun (the headline for in-sample and fixed nulls). */
  scheme: CvScheme;
  basis: 'in-sample' | 'out-of-sample';
  statistic: 'r';
  observed: number;
  /** One statistic per null draw: nulls.length is the number of spins, surrogates or gene sets. */
  nulls: Float64Array;
  p: number;
  pLabel: 'p_spin' | 'p_moran' | 'p_genes';
}

/** The setting the tuned VAE chose for one split (and seed), with the inner-CV error of every candidate. */
export interface TuningRecord {
  scheme: CvScheme;
  split: string;
  seed: number;
  candidate: number;
  epochs: number;
  /** innerError[c][e]: mean squared error on the inner held-out regions, candidate c after epochs[e] epochs. */
  innerError: number[][];
  /** Models·epochs the inner search trained for this choice (the refit not included). */
  modelEpochs: number;
}

/** Where over-fitting starts: each headline split's training and held-out error over epochs. */
export interface ModelDiagnostics {
  model: string;
  splits: string[];
  curves: LearningCurve[];
  /** The epoch count the model's predictions use, per split. */
  usedEpochs: number[];
}

/** A p-value and the number of null draws behind it. */
export interface CountedP {
  p: number;
  draws: number;
}

/**
 * What the genes add on one scheme: a gene model's pooled r and R² minus those of the best no-gene
 * baseline on the same splits, with a 95% region-bootstrap interval of Δr and p-values of Δr against
 * the same retrained nulls (Δ on each null map: the gene model's r minus the best no-gene r there).
 */
export interface GeneContribution {
  scheme: CvScheme;
  model: string;
  /** The model compared against: the best no-gene baseline by observed pooled r, or ridge for VAE − ridge. */
  versus: string;
  /** Every model whose null r enters maxᵦ rₖ(b): the no-gene baselines, or ridge. */
  versusModels: string[];
  deltaR: number;
  deltaR2: number;
  deltaRInterval: [number, number];
  bootstrap: number;
  pSpin?: CountedP;
  pMoran?: CountedP;
}

/** How often a baseline's tuned choice (ridge's λ, PLS's components) fell on an edge of its grid, per scheme. */
export interface GridEdgeHits {
  scheme: CvScheme;
  model: string;
  splits: number;
  lower: number;
  upper: number;
}

/** Everything a study computes; writeReport and the CLI's tables read it. */
export interface StudyResult {
  /** The VAE with λ as configured, seed = options.seed: predictions, μ, loss history, weights. */
  main: { prediction: Float64Array; mu: Float32Array; history: EpochLosses[]; model: VaeModel; scaledX: Float64Array };
  inSample: ModelMetrics[];
  /** In-sample figures of the VAE over `stabilitySeeds` seeds, and the headline CV figures too. */
  overSeeds: { seeds: number[]; inSampleR: Summary; inSampleR2: Summary; cvR: Summary; cvR2: Summary };
  /** The tuned VAE's headline CV figures over its seeds (null without tuning). */
  tunedOverSeeds: { seeds: number[]; cvR: Summary; cvR2: Summary } | null;
  crossValidation: CvEntry[];
  /** The tuned VAE's choice on every split it was cross-validated on. */
  tuning: TuningRecord[];
  /** Baselines' choices on the edge of their grids (only models that tune on a grid). */
  gridEdges: GridEdgeHits[];
  diagnostics: ModelDiagnostics[];
  intervals: PredictiveIntervals | null;
  sensitivity: SensitivityRow[] | null;
  skippedSchemes: { scheme: CvScheme; reason: string }[];
  nulls: NullEntry[];
  /** Δ to the best no-gene baseline per gene model and scheme, and VAE − ridge (p once the nulls are in). */
  geneContributions: GeneContribution[];
  /** Latent programs of the VAE fitted without the target (α = 0): their correlation with y is not circular. */
  latents: LatentProgramSummary[];
  /** Headline: the first scheme that can run; its splits carry the VAEs' retrained nulls. */
  headline: CvScheme;
}
