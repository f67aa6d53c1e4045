/** The `cortex-vae` command: parses the command line, runs a command, maps errors to exit codes. */
import { resolve } from 'node:path';
import { CheckpointError, ModelInputError } from '../../model';
import { InputError } from '../input-error';
import { parseFlags, resolveRunConfig } from './args';
import type { CommandContext } from './context';
import { adniMapCommand, dataCommand, fetchCommand, targetsCommand } from './commands/data';
import { evaluateCommand } from './commands/evaluate';
import { infoCommand } from './commands/info';
import { predictCommand } from './commands/predict';
import { trainCommand } from './commands/train';
import { benchMain } from '../../../bench/main';

export const USAGE = `usage: cortex-vae <command> [options]

commands
  reproduce        the paper on the shipped data: fit, cross-validate, spin nulls, report (out/reproduce)
  evaluate         the same study with your settings (out/evaluate)
  train            fit one model on every region, save model.ckpt with in-sample figures (out/train)
  predict          apply a checkpoint to expression data: --checkpoint FILE [--expression FILE] (out/predict)
  data             validate and summarise the inputs;  data targets: list the shipped maps;
                   data fetch [--dest FILE] [--sha256 HEX]: download the full 12,668-gene AHBA matrix
                   data adni-map --freesurfer FILE --diagnosis FILE [--wscore] [--qc COL=VALUE] [--dest FILE]:
                     AD-vs-CN Cohen's d per region from subject-level ADNI tables
  info             backend, adapter, limits, versions
  bench            the benchmark suite (bench --help for its options)

options
  --config FILE    JSON settings (the config.json written beside every result reruns it exactly)
  --out DIR        output folder        --backend auto|webgpu|cpu      --seed N
  --quick          short training and small nulls (minutes on a CPU)
  --json           results as JSON on stdout        --quiet   no progress or messages on stderr
  data:   --data-dir DIR  --expression FILE  --regions left|bilateral  --mirror  --genes all|l1000|FILE
          --target NAME  --target-sign 1|-1  --laplacian normalized|combinatorial
  model:  --epochs N  --lambda X  --beta X  --latent K  --hidden H  --lr X
  eval:   --schemes distance,loro,kfold,lobe,hemisphere  --spins N  --vae-spins N
          --random-gene-sets N  --seeds N  --max-batch N
          --targets A,B,...  the same study on several maps (shipped names or file:<path>:<column>),
                   one summary table; each map's report in targets/<name>/
          --sensitivity  the headline CV for 75 / 787 / all genes (evaluation.sensitivity: any files)
  tuning: the VAE tuned by nested CV on spatial inner folds of each split's training regions is on
          by default (candidates in evaluation.tuning.candidates of a --config file)
          --no-tune (off)  --tune (back on over a config that turned it off)
          --tune-epochs 50,100,200,400  --inner-folds N  --tune-seeds N  --tune-spins N
          --tune-schemes distance,...  (schemes besides the headline to tune on)

exit codes: 0 ok, 2 bad input (one line says what and how to fix it), 1 internal error`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTty: boolean;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
};

/** Runs one command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'bench') return await benchMain(rest, io);
    const { flags, positionals } = parseFlags(rest);
    if (!command || command === '--help' || command === '-h' || command === 'help' || flags.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const context: CommandContext = {
      quiet: Boolean(flags.quiet) || !io.stderrIsTty,
      json: Boolean(flags.json),
      out: (text) => io.stdout(`${text}\n`),
      log: (line) => { if (!flags.quiet) io.stderr(`${line}\n`); },
      commandLine: ['cortex-vae', ...argv].join(' '),
    };
    const outDir = (name: string) => resolve(flags.out ?? `out/${name}`);
    switch (command) {
      case 'reproduce':
      case 'evaluate':
        await evaluateCommand(resolveRunConfig(flags), outDir(command), context, command === 'reproduce');
        return 0;
      case 'train':
        await trainCommand(resolveRunConfig(flags), outDir('train'), context);
        return 0;
      case 'predict': {
        if (!flags.checkpoint) throw new InputError('predict needs --checkpoint FILE (a model.ckpt written by train, evaluate or reproduce)');
        const overrides = Object.fromEntries(Object.entries({ expressionFile: flags.expression, dataDir: flags['data-dir'], target: flags.target }).filter(([, v]) => v !== undefined));
        await predictCommand(flags.checkpoint, overrides, resolveRunConfig({ backend: flags.backend }).backend, outDir('predict'), context);
        return 0;
      }
      case 'data': {
        const sub = positionals[0];
        if (sub === 'targets') targetsCommand(context);
        else if (sub === 'fetch') await fetchCommand(resolveRunConfig(flags), { dest: flags.dest, url: flags.url, sha256: flags.sha256 }, context);
        else if (sub === 'adni-map') adniMapCommand(resolveRunConfig(flags), { freesurfer: flags.freesurfer, diagnosis: flags.diagnosis, wscore: flags.wscore, qc: flags.qc, dest: flags.dest }, context);
        else if (sub === undefined) dataCommand(resolveRunConfig(flags), context);
        else throw new InputError(`unknown data subcommand "${sub}"; use \`data\`, \`data targets\` or \`data fetch\``);
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
