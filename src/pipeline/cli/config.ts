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
import { CV_SCHEMES, DEFAULT_STUDY_OPTIONS, type CvScheme, type StudyOptions } from '../study/options';
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

/** The paper's model on the shipped data (DESIGN.md §4, §6), at the default protocol's sizes. */
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

/** `--quick`: the same protocol with short training and small nulls, a few minutes on a CPU. */
export function quickOverrides(config: RunConfig): RunConfig {
  return {
    ...config,
    model: { ...config.model, epochs: 100 },
    evaluation: {
      ...config.evaluation,
      schemes: ['hemisphere', 'lobe'],
      spins: 200,
      vaeSpins: 5,
      randomGeneSets: 100,
      vaeRandomGeneSets: 1,
      stabilitySeeds: 2,
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
    out[key] = isObject(out[key]) && !Array.isArray(out[key]) ? mergeConfig(out[key], value, source, where) : value;
  }
  return out as T;
}

export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code}); check the path`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message}); fix the file or write it with \`cortex-vae ... --json\``);
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw new InputError(`${what} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  return value as T;
}

function integerAtLeast(value: unknown, min: number, what: string): number {
  if (!(Number.isInteger(value) && (value as number) >= min)) throw new InputError(`${what} must be an integer ≥ ${min}; got ${JSON.stringify(value)}`);
  return value as number;
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
    throw new InputError(`${data.dataDir}: data folder not found; pass --data-dir or set CORTEX_VAE_DATA to the folder with dk68_regions.csv`);
  }
  const schemes = evaluation.schemes.map((s) => oneOf(s, CV_SCHEMES, 'evaluation.schemes'));
  if (schemes.length === 0) throw new InputError('evaluation.schemes must list at least one scheme');
  evaluation.vaeSchemes.forEach((s) => oneOf(s, CV_SCHEMES, 'evaluation.vaeSchemes'));
  oneOf(evaluation.scaling, ['zscore', 'srs'] as const, 'evaluation.scaling');
  oneOf(evaluation.spinMethod, ['hungarian', 'vasa'] as const, 'evaluation.spinMethod');
  integerAtLeast(evaluation.spins, 1, 'evaluation.spins');
  if (evaluation.vaeSpins > evaluation.spins) throw new InputError(`evaluation.vaeSpins (${evaluation.vaeSpins}) must not exceed evaluation.spins (${evaluation.spins})`);
  integerAtLeast(evaluation.vaeSpins, 1, 'evaluation.vaeSpins');
  integerAtLeast(evaluation.randomGeneSets, 0, 'evaluation.randomGeneSets');
  integerAtLeast(evaluation.vaeRandomGeneSets, 0, 'evaluation.vaeRandomGeneSets');
  integerAtLeast(evaluation.stabilitySeeds, 1, 'evaluation.stabilitySeeds');
  integerAtLeast(evaluation.kFolds, 2, 'evaluation.kFolds');
  integerAtLeast(evaluation.kFoldRepeats, 1, 'evaluation.kFoldRepeats');
  integerAtLeast(evaluation.nullChunk, 1, 'evaluation.nullChunk');
  if (evaluation.tuning !== null) {
    if (!Array.isArray(evaluation.tuning.candidates) || evaluation.tuning.candidates.length === 0) {
      throw new InputError('evaluation.tuning.candidates must list at least one setting, e.g. [{"lambda": 0}, {"lambda": 0.01}]');
    }
    evaluation.tuning.candidates.forEach((c, i) => mergeConfig(DEFAULT_VAE_CONFIG, c, 'config', `evaluation.tuning.candidates[${i}]`));
    integerAtLeast(evaluation.tuning.innerFolds, 2, 'evaluation.tuning.innerFolds');
  }
  if (!(evaluation.distanceFraction > 0 && evaluation.distanceFraction < 1)) throw new InputError(`evaluation.distanceFraction must lie in (0, 1); got ${evaluation.distanceFraction}`);
  return { ...config, model: resolveConfig(config.model), evaluation: { ...evaluation, schemes: schemes as CvScheme[] } };
}
