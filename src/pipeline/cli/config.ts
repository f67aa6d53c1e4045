/**
 * A run's configuration: defaults ← JSON config file (--config) ← command-line flags. The resolved
 * result is validated here and written next to every run's results, so `--config <that file>`
 * reruns it exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_VAE_CONFIG, resolveConfig, type VaeConfig } from '../../model';
import { defaultDataDir } from '../data/data-folder';
export { defaultDataDir } from '../data/data-folder';
import type { AdjacencySource, EdgeWeighting, LaplacianKind } from '../data/graph';
import { InputError } from '../input-error';
import { TUNING_SEARCHES } from '../evaluation/successive-halving';
import { UNTUNABLE_KEYS } from '../evaluation/tuned-vae-regressor';
import { CV_SCHEMES, DEFAULT_STUDY_OPTIONS, LANDMARK_SENSITIVITY, type StudyOptions } from '../study/options';
import type { BackendChoice } from './choose-backend';

export interface DataConfig {
  dataDir: string;
  /** null: the shipped ENIGMA matrix in dataDir (DEFAULT_EXPRESSION_FILE). */
  expressionFile: string | null;
  regions: 'left' | 'bilateral';
  mirror: boolean;
  /** 'all', 'l1000', or a path to a gene list file. */
  genes: string;
  target: string;
  /** Several maps in one run (shipped names or file:<path>:<column>): the same protocol on each; empty: `target` alone. */
  targets: string[];
  targetSign: 1 | -1 | null;
  adjacency: AdjacencySource;
  weighting: EdgeWeighting;
  laplacian: LaplacianKind;
}

export interface RunConfig {
  backend: BackendChoice;
  data: DataConfig;
  model: VaeConfig;
  evaluation: Omit<StudyOptions, 'model' | 'seed'>;
  seed: number;
}

/**
 * Epochs of every VAE fit in the default protocol. The paper trains 500; 200 keeps `reproduce`
 * within 30 min on a 2-core machine without a GPU (README: how it was timed). `--epochs 500` for the paper's.
 */
export const PROTOCOL_EPOCHS = 200;

/** The paper's model on the shipped data (docs/math.md, docs/evaluation.md), at the default protocol's sizes. */
export function defaultRunConfig(): RunConfig {
  const { seed, ...evaluation } = DEFAULT_STUDY_OPTIONS;
  return {
    backend: 'auto',
    data: {
      dataDir: defaultDataDir(),
      expressionFile: null,
      regions: 'bilateral',
      mirror: false,
      genes: 'l1000',
      target: 'adni2-ad-volume-d',
      targets: [],
      targetSign: null,
      adjacency: 'fsa5',
      weighting: 'binary',
      laplacian: 'normalized',
    },
    model: { ...DEFAULT_VAE_CONFIG, epochs: PROTOCOL_EPOCHS },
    evaluation,
    seed,
  };
}

/** `reproduce`'s defaults over evaluate's: the sensitivity table of the landmark gene sets too. */
export function reproduceDefaults(config: RunConfig): RunConfig {
  return { ...config, evaluation: { ...config.evaluation, sensitivity: LANDMARK_SENSITIVITY } };
}

/** `--quick`: the same protocol with short training and small nulls, a few minutes on a CPU. */
export function quickOverrides(config: RunConfig): RunConfig {
  return {
    ...config,
    model: { ...config.model, epochs: 100 },
    evaluation: {
      ...config.evaluation,
      schemes: ['patches', 'left', 'hemisphere'],
      spins: 200,
      moranMaps: 200,
      vaeSpins: 5,
      randomGeneSets: 100,
      vaeRandomGeneSets: 1,
      stabilitySeeds: 2,
      tuning: config.evaluation.tuning && { ...config.evaluation.tuning, epochs: [50, 100], seeds: 2, spins: 2 },
    },
  };
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects: `over`'s keys replace `base`'s; unknown keys are refused with their path. */
export function mergeConfig<T>(base: T, over: unknown, source: string, path = ''): T {
  if (!isObject(over)) throw new InputError(`${source}: ${path || 'the config'} must be a JSON object`);
  const out: Json = { ...(base as Json) };
  for (const [key, value] of Object.entries(over)) {
    const where = path ? `${path}.${key}` : key;
    if (!(key in out)) {
      throw new InputError(`${source}: unknown setting "${where}"; valid here: ${Object.keys(out).join(', ')}`);
    }
    // a section that is on (an object) merges key by key; null turns it off, and an object turns an off one on
    out[key] = isObject(out[key]) && value !== null ? mergeConfig(out[key], value, source, where) : value;
  }
  return out as T;
}

export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code}); check the path`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file}: not valid JSON (${(error as Error).message}); fix the file or write it with \`cortex-vae ... --json\``,
    );
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T))
    throw new InputError(`${what} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  return value as T;
}

function integerAtLeast(value: unknown, min: number, what: string): number {
  if (!(Number.isInteger(value) && (value as number) >= min))
    throw new InputError(`${what} must be an integer ≥ ${min}; got ${JSON.stringify(value)}`);
  return value as number;
}

function fraction(value: unknown, what: string): number {
  if (!(typeof value === 'number' && value > 0 && value < 1))
    throw new InputError(`${what} must lie in (0, 1); got ${JSON.stringify(value)}`);
  return value;
}

/** evaluation.tuning: known candidate settings (never the epochs), an ascending epochs list, sizes in range. */
function validateTuning(tuning: NonNullable<StudyOptions['tuning']>, spins: number): void {
  if (!Array.isArray(tuning.candidates) || tuning.candidates.length === 0) {
    throw new InputError(
      'evaluation.tuning.candidates must list at least one setting, e.g. [{"beta": 1}, {"beta": 0.001}]',
    );
  }
  tuning.candidates.forEach((c, i) => {
    mergeConfig(DEFAULT_VAE_CONFIG, c, 'config', `evaluation.tuning.candidates[${i}]`);
    const key = UNTUNABLE_KEYS.find((k) => k in c);
    if (key)
      throw new InputError(
        `evaluation.tuning.candidates[${i}] sets ${key}; the epoch count is chosen from evaluation.tuning.epochs, remove it from the candidate`,
      );
  });
  const { epochs } = tuning;
  if (
    !Array.isArray(epochs) ||
    epochs.length === 0 ||
    !epochs.every((e, i) => Number.isInteger(e) && e >= 1 && (i === 0 || e > epochs[i - 1]!))
  ) {
    throw new InputError(
      `evaluation.tuning.epochs must list epoch counts in ascending order, e.g. [50, 100, 200, 400]; got ${JSON.stringify(epochs)}`,
    );
  }
  integerAtLeast(tuning.innerFolds, 2, 'evaluation.tuning.innerFolds');
  fraction(tuning.innerFraction, 'evaluation.tuning.innerFraction');
  if (tuning.search !== undefined) oneOf(tuning.search, TUNING_SEARCHES, 'evaluation.tuning.search');
  integerAtLeast(tuning.seeds, 1, 'evaluation.tuning.seeds');
  integerAtLeast(tuning.spins, 0, 'evaluation.tuning.spins');
  if (tuning.spins > spins)
    throw new InputError(`evaluation.tuning.spins (${tuning.spins}) must not exceed evaluation.spins (${spins})`);
  if (!Array.isArray(tuning.schemes))
    throw new InputError(
      `evaluation.tuning.schemes must list schemes (${CV_SCHEMES.join(', ')}); got ${JSON.stringify(tuning.schemes)}`,
    );
  tuning.schemes.forEach((s) => oneOf(s, CV_SCHEMES, 'evaluation.tuning.schemes'));
}

/** Checks every setting; returns the config with the model's settings resolved. */
export function validateConfig(config: RunConfig): RunConfig {
  const { data, evaluation } = config;
  oneOf(config.backend, ['auto', 'webgpu', 'cpu'] as const, 'backend');
  integerAtLeast(config.seed, 0, 'seed');
  oneOf(data.regions, ['left', 'bilateral'] as const, 'data.regions');
  oneOf(data.adjacency, ['fsa5', 'conte69', 'union'] as const, 'data.adjacency');
  oneOf(data.weighting, ['binary', 'border'] as const, 'data.weighting');
  oneOf(data.laplacian, ['normalized', 'combinatorial'] as const, 'data.laplacian');
  if (data.targetSign !== null) oneOf(String(data.targetSign), ['1', '-1'], 'data.targetSign');
  if (!existsSync(data.dataDir)) {
    throw new InputError(
      `${data.dataDir}: data folder not found; pass --data-dir or set CORTEX_VAE_DATA to the folder with dk68_regions.csv`,
    );
  }
  const schemes = evaluation.schemes.map((s) => oneOf(s, CV_SCHEMES, 'evaluation.schemes'));
  if (schemes.length === 0) throw new InputError('evaluation.schemes must list at least one scheme');
  evaluation.vaeSchemes.forEach((s) => oneOf(s, CV_SCHEMES, 'evaluation.vaeSchemes'));
  evaluation.nullSchemes.forEach((s) => oneOf(s, CV_SCHEMES, 'evaluation.nullSchemes'));
  integerAtLeast(evaluation.patches, 2, 'evaluation.patches');
  integerAtLeast(evaluation.moranMaps, 0, 'evaluation.moranMaps');
  oneOf(evaluation.scaling, ['zscore', 'srs'] as const, 'evaluation.scaling');
  oneOf(evaluation.spinMethod, ['hungarian', 'vasa'] as const, 'evaluation.spinMethod');
  integerAtLeast(evaluation.spins, 1, 'evaluation.spins');
  if (evaluation.vaeSpins > evaluation.spins)
    throw new InputError(
      `evaluation.vaeSpins (${evaluation.vaeSpins}) must not exceed evaluation.spins (${evaluation.spins})`,
    );
  integerAtLeast(evaluation.vaeSpins, 1, 'evaluation.vaeSpins');
  integerAtLeast(evaluation.randomGeneSets, 0, 'evaluation.randomGeneSets');
  integerAtLeast(evaluation.vaeRandomGeneSets, 0, 'evaluation.vaeRandomGeneSets');
  integerAtLeast(evaluation.stabilitySeeds, 1, 'evaluation.stabilitySeeds');
  integerAtLeast(evaluation.kFolds, 2, 'evaluation.kFolds');
  integerAtLeast(evaluation.kFoldRepeats, 1, 'evaluation.kFoldRepeats');
  integerAtLeast(evaluation.nullChunk, 1, 'evaluation.nullChunk');
  if (evaluation.tuning !== null) validateTuning(evaluation.tuning, evaluation.spins);
  if (evaluation.intervals !== null) {
    const { levels } = evaluation.intervals;
    if (
      !Array.isArray(levels) ||
      levels.length === 0 ||
      !levels.every((l) => typeof l === 'number' && l > 0 && l < 1)
    ) {
      throw new InputError(
        `evaluation.intervals.levels must list coverages in (0, 1), e.g. [0.5, 0.8, 0.9]; got ${JSON.stringify(levels)}`,
      );
    }
    integerAtLeast(evaluation.intervals.innerFolds, 2, 'evaluation.intervals.innerFolds');
    fraction(evaluation.intervals.innerFraction, 'evaluation.intervals.innerFraction');
  }
  if (typeof evaluation.diagnostics !== 'boolean')
    throw new InputError(`evaluation.diagnostics must be true or false; got ${JSON.stringify(evaluation.diagnostics)}`);
  if (evaluation.sensitivity !== null) {
    mergeConfig({ geneSets: [] }, evaluation.sensitivity, 'config', 'evaluation.sensitivity');
    const sets = evaluation.sensitivity.geneSets;
    if (!Array.isArray(sets) || sets.length === 0)
      throw new InputError(
        'evaluation.sensitivity.geneSets must list at least one {"expression": FILE or null, "genes": "all" | "l1000" | FILE}',
      );
    sets.forEach((set, i) =>
      mergeConfig({ expression: null, genes: 'l1000' }, set, 'config', `evaluation.sensitivity.geneSets[${i}]`),
    );
  }
  if (!Array.isArray(data.targets) || !data.targets.every((t) => typeof t === 'string' && t !== '')) {
    throw new InputError(
      `data.targets must list target names or file:<path>:<column> maps; got ${JSON.stringify(data.targets)}`,
    );
  }
  fraction(evaluation.distanceFraction, 'evaluation.distanceFraction');
  return { ...config, model: resolveConfig(config.model), evaluation: { ...evaluation, schemes: schemes } };
}
