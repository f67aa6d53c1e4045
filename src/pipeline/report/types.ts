/**
 * Everything a report can show. Every part except the title is optional: a section is drawn
 * only when its data is present, so the same report serves a quick fit and a full reproduction.
 */
import type { ColourMapName } from './colormaps';

/** What a figure's numbers are: fit on the regions trained on, prediction for held-out regions, or the data. */
export type FigureBasis = 'in-sample' | 'out-of-sample' | 'observed data';

/** Region id (`L_bankssts`) → value; null (or absent) means no value for that region. */
export type RegionValues = Map<string, number | null>;

/** How a report's results were produced: command, config, seed, backend, times, version. */
export interface RunInfo {
  /** The command line that produced this run, as typed. */
  command: string;
  /** The full resolved configuration (any JSON value). */
  config: unknown;
  seed: number;
  backend: string;
  /** GPU adapter description, when the backend has one. */
  adapter?: string;
  /** ISO 8601 timestamps. */
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  /** cortex-vae version. */
  version?: string;
}

/** The dataset a report describes: counts, target, files, dropped regions. */
export interface DatasetSummary {
  regions: number;
  genes: number;
  /** Name of the vulnerability target, e.g. "ADNI-2 AD vs CN volume Cohen's d". */
  target: string;
  /** Input files as given by the user. */
  files?: Record<string, string>;
  droppedRegions: { region: string; reason: string }[];
}

/** One brain map: a value per region, its basis, colour scale and limits. */
export interface BrainMap {
  title: string;
  basis: FigureBasis;
  values: RegionValues;
  scale: ColourMapName;
  limits?: [number, number];
  unit?: string;
}

/** The observed, predicted and residual brain maps of a report. */
export interface ReportMaps {
  observed?: BrainMap;
  predicted?: BrainMap;
  residual?: BrainMap;
}

/** Observed vs predicted values for a set of regions (drawn as a scatter plot). */
export interface PredictionSet {
  title: string;
  basis: 'in-sample' | 'out-of-sample';
  regions: string[];
  observed: number[];
  predicted: number[];
}

/** One model's in-sample figures as the report prints them. */
export interface InSampleMetrics {
  model: string;
  n: number;
  /** Pearson r between y and ŷ, and its parametric p. */
  r: number;
  pParametric: number;
  /** 1 − Var(y − ŷ)/Var(y). */
  explainedVariance: number;
  /** 1 − SSres/SStot. */
  rSquared: number;
}

/** One model under one cross-validation scheme as the report prints it. */
export interface CvRow {
  model: string;
  /** Cross-validation scheme, e.g. "distance-dependent", "leave-one-region-out". */
  scheme: string;
  /** Pooled over all held-out predictions. */
  r: number;
  rSquared: number;
  explainedVariance: number;
  /** Median and interquartile range [q1, q3] of R² over folds. */
  foldRSquaredMedian?: number;
  foldRSquaredIqr?: [number, number];
  /** p of the pooled r under the scheme's retrained spin and Moran nulls, with their draws. */
  pSpin?: number;
  spins?: number;
  pMoran?: number;
  moranMaps?: number;
  /** Per-split r where the splits are few and named (hemisphere transfer: "L->R 0.87, R->L 0.74"). */
  perSplitR?: string;
  /** Whether a test region's counterpart may train in this scheme. */
  counterpartsTrain?: boolean;
}

/** What the genes add over the best no-gene baseline (or VAE over ridge) on one scheme. */
export interface GeneContributionRow {
  scheme: string;
  model: string;
  versus: string;
  deltaR: number;
  deltaR2: number;
  deltaRInterval: [number, number];
  bootstrap: number;
  pSpin?: number;
  spins?: number;
  pMoran?: number;
  moranMaps?: number;
}

/** A null distribution drawn as a histogram with its observed value and p. */
export interface NullDistribution {
  /** What was permuted, e.g. "spin null, distance-dependent CV R² (VAE + Laplacian)". */
  name: string;
  basis: 'in-sample' | 'out-of-sample';
  /** The statistic compared, e.g. "R²". */
  statistic: string;
  observed: number;
  values: number[];
  p: number;
  /** How p is named in print, e.g. "p_spin". */
  pLabel: string;
  /** What one null draw is: "spins", "surrogates", "gene sets". */
  drawLabel?: string;
}

/** Training losses per epoch, drawn as line charts. */
export interface LossCurves {
  /** Series name → one value per epoch. */
  series: Record<string, number[]>;
  logY?: boolean;
}

/** A gene and its loading on a latent program. */
export interface GeneLoading {
  gene: string;
  loading: number;
}

/** One latent "transcriptomic program" k: its map over regions, its genes, its link to the target. */
export interface LatentProgram {
  name: string;
  /** The latent mean μ_k of each region. */
  map?: BrainMap;
  /** Genes with the largest positive and negative loadings, strongest first. */
  topGenes?: { basis: FigureBasis; positive: GeneLoading[]; negative: GeneLoading[] };
  /** Pearson r of μ_k with the vulnerability map, with its spin and parametric p. */
  targetCorrelation?: {
    basis: FigureBasis;
    r: number;
    pSpin?: number;
    pParametric?: number;
    pMoran?: number;
    spins?: number;
    moranMaps?: number;
  };
}

/** Headline cross-validation figures over seeds: mean ± SD of the members, one row per model. */
export interface SeedSummaryRow {
  model: string;
  seeds: number;
  r: { mean: number; sd: number };
  rSquared: { mean: number; sd: number };
}

/** The tuned VAE: what it chose from, and what it chose on every split. */
export interface TuningReport {
  /** Each candidate setting written out, e.g. "β = 1, λ = 0.01, H = 256, K = 16, weight decay 0". */
  candidates: string[];
  epochs: number[];
  innerFolds: number;
  innerFraction: number;
  /** Which candidates train on past each epoch count: 'drop-worst', 'halving' or 'exhaustive'. */
  search: string;
  seeds: number;
  spins: number;
  choices: {
    scheme: string;
    split: string;
    seed: number;
    candidate: number;
    epochs: number;
    /** innerError[c][e]: mean squared inner held-out error of candidate c after epochs[e] epochs. */
    innerError: number[][];
  }[];
}

/** Training and held-out error of one model on one split over epochs. */
export interface SplitCurves {
  model: string;
  split: string;
  epochs: number[];
  /** Training target loss (sampled z), target units². */
  train: number[];
  /** Held-out mean squared error, target units². */
  heldOut: number[];
  /** The epoch count the model's predictions use. */
  usedEpochs: number;
}

/** Shift and spread of a model's held-out predictions on one split (or pooled over splits). */
export interface SpreadRow {
  model: string;
  split: string;
  n: number;
  /** mean(ŷ) − mean(y) */
  bias: number;
  /** SD(ŷ)/SD(y) */
  spreadRatio: number;
  r: number;
  rSquared: number;
}

/** Learning curves of the headline splits. */
export interface DiagnosticsReport {
  curves: SplitCurves[];
  spread: SpreadRow[];
}

/** One held-out region's prediction with its intervals, as the report draws it. */
export interface IntervalPointReport {
  region: string;
  split: string;
  observed: number;
  center: number;
  spread: number;
  /** Per level [lower, upper] */
  generative: [number, number][];
  calibrated: [number, number][];
}

/** The predictive-interval section of a report: points, coverage and calibration. */
export interface IntervalsReport {
  model: string;
  seeds: number;
  levels: number[];
  coverage: {
    level: number;
    generative: number;
    calibrated: number;
    generativeWidth: number;
    calibratedWidth: number;
  }[];
  perSplit: { split: string; calibrationPoints: number; multipliers: number[] }[];
  points: IntervalPointReport[];
}

/** One row of the sensitivity table: the headline CV of one model on one gene set. */
export interface SensitivityReportRow {
  expression: string;
  genes: string;
  geneCount: number;
  regions: number;
  model: string;
  r: number;
  rSquared: number;
}

/** One row of the several-targets summary: a map, a model, its headline CV and p_spin. */
export interface TargetSummaryRow {
  target: string;
  model: string;
  r: number;
  rSquared: number;
  pSpin?: number;
  /** Spins behind pSpin. */
  spins?: number;
  /** Relative path of that target's own report. */
  report?: string;
}

/** A note printed at the top of a report, as information or warning. */
export interface ReportNote {
  level: 'note' | 'warning';
  text: string;
}

/** Everything a report shows; every part but the title optional (writeReport draws the sections present). */
export interface ReportData {
  title: string;
  run?: RunInfo;
  dataset?: DatasetSummary;
  notes?: ReportNote[];
  maps?: ReportMaps;
  predictions?: PredictionSet[];
  inSample?: InSampleMetrics[];
  crossValidation?: CvRow[];
  overSeeds?: SeedSummaryRow[];
  tuning?: TuningReport;
  diagnostics?: DiagnosticsReport;
  intervals?: IntervalsReport;
  sensitivity?: SensitivityReportRow[];
  targets?: TargetSummaryRow[];
  nulls?: NullDistribution[];
  geneContributions?: GeneContributionRow[];
  lossCurves?: LossCurves;
  latents?: LatentProgram[];
}

/** A table written as CSV beside the report. */
export interface CsvTable {
  columns: string[];
  rows: (string | number | null)[][];
}

/** The CSV files of a report folder; each is written when given. */
export interface ReportTables {
  /** region, observed, predicted, residual, … */
  predictions?: CsvTable;
  /** region × latent means. */
  latents?: CsvTable;
  /** gene × latent loadings. */
  geneLoadings?: CsvTable;
  /** held-out region × split: prediction, spread and calibrated interval bounds per level. */
  intervals?: CsvTable;
}
