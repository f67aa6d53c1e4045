/** The `cortex-vae` command: parses the command line, runs a command, maps errors to exit codes. */
import { resolve } from 'node:path';
import { CheckpointError, ModelInputError } from '../../model';
import { InputError } from '../input-error';
import { number, parseFlags, resolveRunConfig } from './args';
import type { CommandContext } from './context';
import { adniMapCommand, dataCommand, fetchCommand, targetsCommand } from './commands/data';
import { evaluateCommand } from './commands/evaluate';
import { infoCommand } from './commands/info';
import { mergeCommand } from './commands/merge';
import { predictCommand } from './commands/predict';
import { serveMain } from './commands/serve';
import { DEFAULT_PROFILE_OPTIONS, profileCommand } from './commands/profile';
import { trainCommand } from './commands/train';
import { parseShard } from './shard-folder';
import { version } from './version';

export const USAGE = `usage: cortex-vae <command> [options]

commands
  reproduce        the paper on the shipped data: fit, cross-validate, spin nulls, report (out/reproduce)
  evaluate         the same study with your settings (out/evaluate)
                   reproduce and evaluate resume an interrupted run: rerun the same command
                   --shard k/n: shard k of n of the nulls that retrain models (shard 1 also computes
                     everything else), e.g. one job of a job array each (out/evaluate-shard-k-of-n)
  merge DIR...     shard folders, or a folder holding them → the report one unsharded run writes (out/merge)
  train            fit one model on every region, save model.ckpt with in-sample figures (out/train)
                   train --profile [--batch B] [--profile-epochs E]: time B models' training epochs
                     per GPU kernel (device time, share, GFLOP/s, GB/s) and host time per epoch
  predict          apply a checkpoint to expression data: --checkpoint FILE [--expression FILE] (out/predict)
  data             validate and summarise the inputs;  data targets: list the shipped maps;
                   data fetch [--dest FILE] [--url BASE] [--sha256 HEX]: download abagen's unfiltered
                     15,633-gene DK matrix (commit-pinned) for --expression
                   data adni-map --freesurfer FILE --diagnosis FILE [--wscore] [--qc COL=VALUE] [--dest FILE]:
                     AD-vs-CN Cohen's d per region from subject-level ADNI tables
  info             backend, adapter, limits, versions
  bench            the benchmark suite (bench --help for its options)
  serve            the browser explorer (npm run web:build first) on http://localhost:8080; --port N

options
  --config FILE    JSON settings (the config.json written beside every result reruns it exactly)
  --out DIR        output folder        --backend auto|webgpu|cpu      --seed N
  --quick          short training and small nulls (minutes on a CPU)
  --json           results as JSON on stdout        --quiet   no progress or messages on stderr
  --version, -v    the version;  --help, -h  this text
  data:   --data-dir DIR  --expression FILE  --regions left|bilateral  --mirror  --genes all|l1000|FILE
          --target NAME  --target-sign 1|-1  --laplacian normalized|combinatorial
  model:  --epochs N  --lambda X  --beta X  --latent K  --hidden H  --lr X
  eval:   --schemes patches,left,hemisphere,distance-pairs,pair,distance,loro,kfold,lobe (the first
                   that runs is the headline; docs/evaluation.md says what each tests)
          --vae-schemes LIST|none  schemes where the VAE is cross-validated too (besides the headline)
          --null-schemes LIST|none  schemes whose baselines get retrained nulls besides the headline
          --patches N  spatial patches (each with its counterparts) of the patches and left schemes
          --spins N  --moran-maps N  spins and Moran surrogates of the baselines' nulls (the VAEs' are
                   --vae-spins of each family)
          --vae-spins N  --random-gene-sets N  --vae-random-gene-sets N  --seeds N  --max-batch N
          --null-chunk N   about N model fits per chunk of null work (default 256): the unit a run
                   checkpoints and resumes from, and shards share out (each takes whole chunks)
          --targets A,B,...  the same study on several maps (shipped names or file:<path>:<column>),
                   one summary table; each map's report in targets/<name>/
          --sensitivity  the headline CV for 75 / 787 landmark genes and all 12,668 (reproduce: the two
                   landmark sets by default; --no-sensitivity: none; evaluation.sensitivity: any files)
  tuning: the VAE tuned by nested CV on spatial inner folds of each split's training regions is on
          by default (candidates in evaluation.tuning.candidates of a --config file)
          --no-tune (off)  --tune (back on over a config that turned it off)
          --tune-epochs 50,100,200,400  --inner-folds N  --tune-seeds N  --tune-spins N
          --tune-schemes distance,...  (schemes besides the headline to tune on)

exit codes: 0 ok, 2 bad input (one line says what and how to fix it), 1 internal error`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** false: no progress lines (progress goes to the process's stderr; in-process callers such as tests turn it off). */
  progress?: boolean;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A flag that must be a whole number ≥ 1, or undefined when not given. */
function wholeNumber(flag: string, text: string | undefined): number | undefined {
  const value = number(flag, text);
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new InputError(`--${flag} ${text} must be a whole number ≥ 1`);
  return value;
}

/** Runs one command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'serve') return await serveMain(rest, io);
    const { flags, positionals } = parseFlags(rest);
    if (command === '--version' || command === '-v' || command === 'version' || flags.version) {
      io.stdout(`cortex-vae ${version}\n`);
      return 0;
    }
    if (!command || command === '--help' || command === '-h' || command === 'help' || flags.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const context: CommandContext = {
      quiet: Boolean(flags.quiet) || io.progress === false,
      json: Boolean(flags.json),
      out: (text) => io.stdout(`${text}\n`),
      log: (line) => {
        if (!flags.quiet) io.stderr(`${line}\n`);
      },
      commandLine: ['cortex-vae', ...argv].join(' '),
    };
    const outDir = (name: string) => resolve(flags.out ?? `out/${name}`);
    if (flags.shard !== undefined && command !== 'evaluate' && command !== 'reproduce') {
      throw new InputError(`--shard applies to evaluate and reproduce, not ${command}`);
    }
    switch (command) {
      case 'reproduce':
      case 'evaluate': {
        const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
        const out = outDir(shard ? `${command}-shard-${shard.index}-of-${shard.count}` : command);
        await evaluateCommand(resolveRunConfig(flags, command), out, context, command === 'reproduce', shard);
        return 0;
      }
      case 'merge':
        mergeCommand(positionals, outDir('merge'), context);
        return 0;
      case 'train':
        if (flags.profile) {
          await profileCommand(
            resolveRunConfig(flags),
            {
              ...DEFAULT_PROFILE_OPTIONS,
              batch: wholeNumber('batch', flags.batch) ?? DEFAULT_PROFILE_OPTIONS.batch,
              epochs: wholeNumber('profile-epochs', flags['profile-epochs']) ?? DEFAULT_PROFILE_OPTIONS.epochs,
            },
            context,
          );
          return 0;
        }
        await trainCommand(resolveRunConfig(flags), outDir('train'), context);
        return 0;
      case 'predict': {
        if (!flags.checkpoint)
          throw new InputError(
            'predict needs --checkpoint FILE (a model.ckpt written by train, evaluate or reproduce)',
          );
        const overrides = Object.fromEntries(
          Object.entries({ expressionFile: flags.expression, dataDir: flags['data-dir'], target: flags.target }).filter(
            ([, v]) => v !== undefined,
          ),
        );
        await predictCommand(
          flags.checkpoint,
          overrides,
          resolveRunConfig({ backend: flags.backend }).backend,
          outDir('predict'),
          context,
        );
        return 0;
      }
      case 'data': {
        const sub = positionals[0];
        if (sub === 'targets') targetsCommand(context);
        else if (sub === 'fetch')
          await fetchCommand(
            resolveRunConfig(flags),
            { dest: flags.dest, url: flags.url, sha256: flags.sha256 },
            context,
          );
        else if (sub === 'adni-map')
          adniMapCommand(
            resolveRunConfig(flags),
            {
              freesurfer: flags.freesurfer,
              diagnosis: flags.diagnosis,
              wscore: flags.wscore,
              qc: flags.qc,
              dest: flags.dest,
            },
            context,
          );
        else if (sub === undefined) dataCommand(resolveRunConfig(flags), context);
        else
          throw new InputError(
            `unknown data subcommand "${sub}"; use \`data\`, \`data targets\`, \`data fetch\` or \`data adni-map\``,
          );
        return 0;
      }
      case 'info':
        await infoCommand(context);
        return 0;
      default:
        throw new InputError(`unknown command "${command}"; run \`cortex-vae --help\` for the commands`);
    }
  } catch (error) {
    if (error instanceof InputError || error instanceof ModelInputError || error instanceof CheckpointError) {
      io.stderr(`cortex-vae: ${error.message}\n`);
      return 2;
    }
    io.stderr(`cortex-vae: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
