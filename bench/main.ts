/**
 * The `bench` command (`npm run bench`, `cortex-vae bench`): runs the suite, prints the table (or
 * the JSON with --json) on stdout, progress on stderr. Exit code 2 for a bad flag, 1 if the run
 * failed or a kernel disagreed with the cpu reference beyond its tolerance.
 */
import { parseBenchArgs, USAGE } from './options';
import { benchTable } from './report/text';
import { runBench } from './run';
import { runProfiles, writeProfile } from './profile';
import { trainData } from './train-data';
import { defaultDataDir } from '../src/pipeline/cli/config';
import { profileTable } from '../src/pipeline/report/profile-table';
import { DEFAULT_OUT, type CliOptions } from './options';

/** Where the command's text goes: the process's streams, or the project CLI's. */
export interface BenchIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs `bench` with command-line flags; returns the exit code. Shared by dist/bench.js and `cortex-vae bench`. */
export async function benchMain(argv: string[], io: BenchIo): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    io.stderr(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const log = (line: string) => io.stderr(`bench: ${line}\n`);
  if (options.profile) return profileMain(options, io, log);
  const result = await runBench({ ...options, log });
  io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${benchTable(result)}\n`);
  const wrong = result.kernels.filter((r) => r.withinTolerance === false);
  for (const r of wrong)
    io.stderr(`bench: ${r.name}: max scaled error ${r.maxScaledError} over tolerance ${r.tolerance}\n`);
  return wrong.length > 0 ? 1 : 0;
}

/** `bench --profile`: one training profile, printed and written as profile-latest.json/.html. */
async function profileMain(options: CliOptions, io: BenchIo, log: (line: string) => void): Promise<number> {
  const { shape, batch, epochs } = options.profile!;
  const dataDir = options.dataDir ?? defaultDataDir();
  const data = trainData(shape, dataDir);
  const [profile] = await runProfiles([{ data, batch, epochs, warmupEpochs: 3 }], log);
  if (!profile || 'reason' in profile) {
    io.stderr(`bench: profile unavailable: ${profile && 'reason' in profile ? profile.reason : 'not run'}\n`);
    return 1;
  }
  const files = writeProfile(profile, options.out ?? DEFAULT_OUT);
  io.stdout(options.json ? `${JSON.stringify(profile, null, 2)}\n` : `${profileTable(profile)}\n`);
  log(`written: ${files.join(', ')}`);
  return 0;
}
