/** Options of a benchmark run, and the command-line flags that set them. */
export interface BenchOptions {
  /** Tiny sizes and 1–2 samples: a smoke run that finishes in well under a minute on lavapipe. */
  quick?: boolean;
  /** Backend under test: webgpu (default) or cpu (no device opened; the reference is timed alone). */
  backend?: 'webgpu' | 'cpu';
  /** Folder for latest.json, the timestamped copy and latest.html (default bench/results). */
  out?: string;
  /** Folder of the shipped data (default: $CORTEX_VAE_DATA, else ../shared/data beside the package). */
  dataDir?: string;
  /** Run the JavaScript peers (TensorFlow.js, jax-js, onnxruntime-web) that are installed (default true). */
  peers?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface CliOptions extends BenchOptions {
  /** Print the result JSON on stdout instead of the table. */
  json: boolean;
  help: boolean;
}

export const USAGE = `usage: bench [--quick] [--backend webgpu|cpu] [--out DIR] [--data DIR] [--no-peers] [--json]
  --quick            tiny sizes, 1-2 samples (a smoke run, < 60 s on lavapipe)
  --backend NAME     backend under test: webgpu (default) or cpu
  --out DIR          where latest.json, a timestamped copy and latest.html go (default bench/results)
  --data DIR         shipped data folder (default \$CORTEX_VAE_DATA, else ../shared/data)
  --no-peers         skip the JavaScript peers (TensorFlow.js, jax-js, onnxruntime-web)
  --json             print the result as JSON on stdout (progress goes to stderr)`;

export const DEFAULT_OUT = 'bench/results';

/** Parses argv (without node and script); throws Error with the usage line on a bad flag. */
export function parseBenchArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--quick': options.quick = true; break;
      case '--json': options.json = true; break;
      case '--no-peers': options.peers = false; break;
      case '--out': options.out = value(); break;
      case '--data': options.dataDir = value(); break;
      case '--backend': {
        const name = value();
        if (name !== 'webgpu' && name !== 'cpu') throw new Error(`--backend must be webgpu or cpu, got '${name}'\n${USAGE}`);
        options.backend = name;
        break;
      }
      case '--help': case '-h': options.help = true; break;
      default: throw new Error(`unknown flag '${flag}'\n${USAGE}`);
    }
  }
  return options;
}
