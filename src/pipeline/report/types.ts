/**
 * Everything a report can show. Every part except the title is optional: a section is drawn
 * only when its data is present, so the same report serves a quick fit and a full reproduction.
 */
import type { ColourMapName } from './colormaps';

/** What a figure's numbers are: fit on the regions trained on, prediction for held-out regions, or the data. */
export type FigureBasis = 'in-sample' | 'out-of-sample' | 'observed data';

/** Region id (`L_bankssts`) → value; null (or absent) means no value for that region. */
export type RegionValues = Map<string, number | null>;

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

export interface DatasetSummary {
  regions: number;
  genes: number;
  /** Name of the vulnerability target, e.g. "ADNI-2 AD vs CN volume Cohen's d". */
  target: string;
  /** Input files as given by the user. */
  files?: Record<string, string>;
  droppedRegions: { region: string; reason: string }[];
}

export interface BrainMap {
  title: string;
  basis: FigureBasis;
  values: RegionValues;
  scale: ColourMapName;
  limits?: [number, number];
  unit?: string;
}

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
  pSpin?: number;
}

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
}

export interface LossCurves {
  /** Series name → one value per epoch. */
  series: Record<string, number[]>;
  logY?: boolean;
}

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
  targetCorrelation?: { basis: FigureBasis; r: number; pSpin?: number; pParametric?: number };
}

export interface ReportNote {
  level: 'note' | 'warning';
  text: string;
}

export interface ReportData {
  title: string;
  run?: RunInfo;
  dataset?: DatasetSummary;
  notes?: ReportNote[];
  maps?: ReportMaps;
  predictions?: PredictionSet[];
  inSample?: InSampleMetrics[];
  crossValidation?: CvRow[];
  nulls?: NullDistribution[];
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
}
