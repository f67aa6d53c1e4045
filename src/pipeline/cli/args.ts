/** Command-line flags → a validated RunConfig (defaults ← --config file ← flags). */
import { parseArgs } from 'node:util';
import { InputError } from '../input-error';
import { DEFAULT_SENSITIVITY, DEFAULT_TUNING, type CvScheme } from '../study/options';
import {
  defaultRunConfig,
  mergeConfig,
  quickOverrides,
  readConfigFile,
  reproduceDefaults,
  validateConfig,
  type RunConfig,
} from './config';

export const FLAGS = {
  config: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  quick: { type: 'boolean' },
  tune: { type: 'boolean' },
  'no-tune': { type: 'boolean' },
  'tune-seeds': { type: 'string' },
  'tune-spins': { type: 'string' },
  'tune-epochs': { type: 'string' },
  'tune-schemes': { type: 'string' },
  'inner-folds': { type: 'string' },
  sensitivity: { type: 'boolean' },
  'no-sensitivity': { type: 'boolean' },
  targets: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'data-dir': { type: 'string' },
  expression: { type: 'string' },
  regions: { type: 'string' },
  mirror: { type: 'boolean' },
  genes: { type: 'string' },
  target: { type: 'string' },
  'target-sign': { type: 'string' },
  laplacian: { type: 'string' },
  epochs: { type: 'string' },
  lambda: { type: 'string' },
  beta: { type: 'string' },
  latent: { type: 'string' },
  hidden: { type: 'string' },
  lr: { type: 'string' },
  schemes: { type: 'string' },
  'vae-schemes': { type: 'string' },
  spins: { type: 'string' },
  'vae-spins': { type: 'string' },
  'moran-maps': { type: 'string' },
  patches: { type: 'string' },
  'null-schemes': { type: 'string' },
  'random-gene-sets': { type: 'string' },
  'vae-random-gene-sets': { type: 'string' },
  seeds: { type: 'string' },
  'max-batch': { type: 'string' },
  'null-chunk': { type: 'string' },
  shard: { type: 'string' },
  checkpoint: { type: 'string' },
  profile: { type: 'boolean' },
  batch: { type: 'string' },
  'profile-epochs': { type: 'string' },
  dest: { type: 'string' },
  freesurfer: { type: 'string' },
  diagnosis: { type: 'string' },
  wscore: { type: 'boolean' },
  qc: { type: 'string' },
  url: { type: 'string' },
  sha256: { type: 'string' },
} as const;

export type Flags = ReturnType<typeof parseFlags>['flags'];

/** A negative number, as an option value: `-1`, `-0.5`, `-.5`, `-1e-3`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--flag -1` → `--flag=-1` for options that take a value: node's parseArgs would otherwise read
 * `-1` as an option of its own and refuse the pair as ambiguous.
 */
export function attachNegativeValues(
  argv: readonly string[],
  options: Readonly<Record<string, { type: string }>>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseFlags(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: attachNegativeValues(argv, FLAGS),
      options: FLAGS,
      allowPositionals: true,
      strict: true,
    });
    return { flags: values, positionals };
  } catch (error) {
    throw new InputError(`${(error as Error).message}; run \`cortex-vae --help\` for the options`);
  }
}

export function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InputError(`--${flag} ${JSON.stringify(text)} is not a number`);
  return value;
}

/** `a,b` → ['a', 'b']; `none` → [] (for --vae-schemes: the headline only). */
function schemeList(text: string | undefined): CvScheme[] | undefined {
  if (text === undefined) return undefined;
  return text.trim() === 'none' ? [] : (text.split(',').map((s) => s.trim()) as CvScheme[]);
}

/** A comma-separated list of numbers (`--tune-epochs 50,100,200`). */
function numbers(flag: string, text: string | undefined): number[] | undefined {
  return text?.split(',').map((part) => number(flag, part)!);
}

/** The tuning section after --tune / --no-tune and the --tune-* size flags (undefined: no flag given). */
function tuningOverride(flags: Flags): Record<string, unknown> | null | undefined {
  if (flags['no-tune']) {
    if (flags.tune) throw new InputError('--tune and --no-tune contradict each other; give one');
    return null;
  }
  const sizes = Object.fromEntries(
    Object.entries({
      seeds: number('tune-seeds', flags['tune-seeds']),
      spins: number('tune-spins', flags['tune-spins']),
      epochs: numbers('tune-epochs', flags['tune-epochs']),
      innerFolds: number('inner-folds', flags['inner-folds']),
      schemes: flags['tune-schemes']?.split(',').map((s) => s.trim()),
    }).filter(([, v]) => v !== undefined),
  );
  if (flags.tune) return { ...DEFAULT_TUNING, ...sizes };
  return Object.keys(sizes).length ? sizes : undefined;
}

/** --sensitivity: the full table (every gene too); --no-sensitivity: none. */
function sensitivityOverride(flags: Flags): typeof DEFAULT_SENSITIVITY | null | undefined {
  if (flags.sensitivity && flags['no-sensitivity'])
    throw new InputError('--sensitivity and --no-sensitivity contradict each other; give one');
  return flags.sensitivity ? DEFAULT_SENSITIVITY : flags['no-sensitivity'] ? null : undefined;
}

/** Only the settings a flag was given for, in the RunConfig's shape. */
function flagOverrides(flags: Flags): Record<string, Record<string, unknown> | unknown> {
  const pick = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
  const sign = flags['target-sign'];
  return pick({
    backend: flags.backend,
    seed: number('seed', flags.seed),
    data: pick({
      dataDir: flags['data-dir'],
      expressionFile: flags.expression,
      regions: flags.regions,
      mirror: flags.mirror,
      genes: flags.genes,
      target: flags.target,
      targets: flags.targets?.split(',').map((t) => t.trim()),
      targetSign: sign === undefined ? undefined : sign === '+1' ? 1 : number('target-sign', sign),
      laplacian: flags.laplacian,
    }),
    model: pick({
      epochs: number('epochs', flags.epochs),
      lambda: number('lambda', flags.lambda),
      beta: number('beta', flags.beta),
      latentSize: number('latent', flags.latent),
      hiddenSize: number('hidden', flags.hidden),
      learningRate: number('lr', flags.lr),
    }),
    evaluation: pick({
      schemes: schemeList(flags.schemes),
      vaeSchemes: schemeList(flags['vae-schemes']),
      spins: number('spins', flags.spins),
      vaeSpins: number('vae-spins', flags['vae-spins']),
      moranMaps: number('moran-maps', flags['moran-maps']),
      patches: number('patches', flags.patches),
      nullSchemes: schemeList(flags['null-schemes']),
      randomGeneSets: number('random-gene-sets', flags['random-gene-sets']),
      vaeRandomGeneSets: number('vae-random-gene-sets', flags['vae-random-gene-sets']),
      stabilitySeeds: number('seeds', flags.seeds),
      maxBatch: number('max-batch', flags['max-batch']),
      nullChunk: number('null-chunk', flags['null-chunk']),
      tuning: tuningOverride(flags),
      sensitivity: sensitivityOverride(flags),
    }),
  });
}

/** defaults (reproduce's for `reproduce`; quick-sized with --quick) ← --config file ← flags, validated. */
export function resolveRunConfig(flags: Flags, command?: string): RunConfig {
  let config = defaultRunConfig();
  if (command === 'reproduce') config = reproduceDefaults(config);
  if (flags.quick) config = quickOverrides(config);
  if (flags.config) config = mergeConfig(config, readConfigFile(flags.config), flags.config);
  const overrides = flagOverrides(flags);
  for (const key of ['data', 'model', 'evaluation'] as const)
    if (Object.keys(overrides[key] as object).length === 0) delete overrides[key];
  config = mergeConfig(config, overrides, 'command line');
  return validateConfig(config);
}
