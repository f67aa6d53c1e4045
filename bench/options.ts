/** Options of a benchmark run, and the command-line flags that set them. */
export interface BenchOptions {
  /** Tiny sizes and 1–2 samples: a smoke run that finishes in well under a minute on lavapipe. */
  quick?: boolean;
  /** Sizes for a real GPU: matmul 4096³, training for B = 1 … 4,096. */
  gpu?: boolean;
  /** Backend under test: webgpu (default) or cpu (no device opened; the reference is timed alone). */
  backend?: 'webgpu' | 'cpu';
  /** Folder for latest.json, the timestamped copy and latest.html (default bench/results). */
  out?: string;
  /** Folder of the shipped data (default: $CORTEX_VAE_DATA, else the package's data/ folder). */
  dataDir?: string;
  /** Run the JavaScript peers (TensorFlow.js, jax-js, onnxruntime-web) that are installed (default true). */
  peers?: boolean;
  /**
   * Only profile training (per-kernel device time, host time per epoch) at one shape and batch:
   * writes profile-latest.json/.html instead of running the suite.
   */
  profile?: { shape: 'shipped' | 'paper'; batch: number; epochs: number };
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface CliOptions extends BenchOptions {
  /** Print the result JSON on stdout instead of the table. */
  json: boolean;
  help: boolean;
}

export const USAGE = `usage: bench [--quick | --gpu] [--backend webgpu|cpu] [--out DIR] [--data DIR] [--no-peers] [--json]
       bench --profile [--shape shipped|paper] [--batch B] [--epochs E] [--out DIR] [--json]
  --quick            tiny sizes, 1-2 samples (a smoke run, < 60 s on lavapipe)
  --gpu              sizes for a real GPU: matmul 4096³, training at the paper's scale for B = 1 … 4,096
  --backend NAME     backend under test: webgpu (default) or cpu
  --out DIR          where latest.json, a timestamped copy and latest.html go (default bench/results)
  --data DIR         shipped data folder (default $CORTEX_VAE_DATA, else the package's data/)
  --no-peers         skip the JavaScript peers (TensorFlow.js, jax-js, onnxruntime-web)
  --json             print the result as JSON on stdout (progress goes to stderr)
  --profile          time training per kernel instead (device time, share, GFLOP/s, GB/s, host time
                     per epoch) at --shape (default shipped) with --batch models (1) over --epochs (20)`;

const DEFAULT_PROFILE = { shape: 'shipped', batch: 1, epochs: 20 } as const;

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} must be a whole number ≥ 1, got '${text}'\n${USAGE}`);
  return value;
}

export const DEFAULT_OUT = 'bench/results';

/** Parses argv (without node and script); throws Error with the usage line on a bad flag. */
export function parseBenchArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { json: false, help: false };
  let profiling = false;
  const profile: NonNullable<BenchOptions['profile']> = { ...DEFAULT_PROFILE };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--gpu':
        options.gpu = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '--no-peers':
        options.peers = false;
        break;
      case '--out':
        options.out = value();
        break;
      case '--data':
        options.dataDir = value();
        break;
      case '--backend': {
        const name = value();
        if (name !== 'webgpu' && name !== 'cpu')
          throw new Error(`--backend must be webgpu or cpu, got '${name}'\n${USAGE}`);
        options.backend = name;
        break;
      }
      case '--profile':
        profiling = true;
        break;
      case '--shape': {
        const shape = value();
        if (shape !== 'shipped' && shape !== 'paper')
          throw new Error(`--shape must be shipped or paper, got '${shape}'\n${USAGE}`);
        profile.shape = shape;
        break;
      }
      case '--batch':
        profile.batch = wholeNumber(flag, value());
        break;
      case '--epochs':
        profile.epochs = wholeNumber(flag, value());
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown flag '${flag}'\n${USAGE}`);
    }
  }
  const profileFlags = ['--shape', '--batch', '--epochs'].filter((f) => argv.includes(f));
  if (profiling) options.profile = profile;
  else if (profileFlags.length > 0) throw new Error(`${profileFlags.join(', ')} only apply with --profile\n${USAGE}`);
  return options;
}
