/**
 * A shard's output folder, written by `evaluate … --shard k/n` and read by `merge`:
 *   shard.json     what it is — the run's identity (settings, data checksums, backend), k/n, the
 *                  resolved configuration, its chunks (item ranges) of every retrained null with
 *                  their values, and when and where it ran;
 *   observed.json  shard 1 only: the observed study, the dataset and the region outlines — with the
 *                  nulls of all shards, everything the merged report needs.
 * Both are lossless JSON (values come back bit for bit). The folder is written atomically.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset';
import { InputError } from '../input-error';
import { writeFolderAtomically } from '../report/atomic-dir';
import type { DkOutlines } from '../report/dk-outlines';
import { decodeLossless, encodeLossless } from '../study/lossless-json';
import { describeRanges, joinSlices, nullChunks, shardChunks, type NullSlice, type Shard } from '../study/null-runner';
import { withNulls, type StudyPart, type StudyResult } from '../study/run-study';
import type { StudyRunInfo } from './commands/evaluate';
import type { RunConfig } from './config';
import { identityDifference, type RunIdentity } from './run-identity';

export const SHARD_FILE = 'shard.json';
export const OBSERVED_FILE = 'observed.json';
const FORMAT = 'cortex-vae null shard';
const FORMAT_VERSION = 1;

export interface ShardRecord {
  format: typeof FORMAT;
  formatVersion: number;
  shard: Shard;
  identity: RunIdentity;
  config: RunConfig;
  /** When, where and by which command it ran. */
  run: Omit<StudyRunInfo, 'config'>;
  /** This shard's chunks of each retrained null, in the study's order. */
  nulls: NullSlice[];
  /** Whether observed.json is beside this file (shard 1). */
  hasObserved: boolean;
}

export interface ObservedRecord {
  study: StudyResult;
  dataset: Dataset;
  outlines: DkOutlines;
}

export interface ShardFolder {
  dir: string;
  record: ShardRecord;
}

export function writeShardFolder(
  dir: string,
  record: Omit<ShardRecord, 'format' | 'formatVersion' | 'hasObserved'>,
  observed: ObservedRecord | null,
): void {
  const full: ShardRecord = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    ...record,
    hasObserved: observed !== null,
  };
  writeFolderAtomically(
    dir,
    [
      [SHARD_FILE, () => encodeLossless(full, 1) + '\n'],
      ...(observed ? [[OBSERVED_FILE, () => encodeLossless(observed)] as const] : []),
    ],
    SHARD_FILE,
  );
}

/** What a shard computed, for stdout (a table, or JSON with --json). */
export function shardSummary(
  shard: Shard,
  part: StudyPart,
  outDir: string,
  wallSeconds: number,
  json: boolean,
): string {
  if (json) {
    return JSON.stringify(
      {
        shard,
        observed: part.observed !== null,
        wallSeconds,
        nulls: part.nulls.map((s) => ({ name: s.job.name, items: s.job.items, ranges: s.ranges })),
      },
      null,
      2,
    );
  }
  return [
    `shard ${shard.index}/${shard.count}${part.observed ? ' (with the observed study)' : ''} in ${wallSeconds.toFixed(0)} s: ${outDir}`,
    ...part.nulls.map((s) => `  ${s.job.name}: ${describeRanges(s.job, s.ranges)}`),
    `when all ${shard.count} shards are done: cortex-vae merge <their --out folders> --out <report folder>`,
  ].join('\n');
}

const RUN_SHARDS = 'pass the --out folders of `cortex-vae evaluate … --shard k/n`';

function readLossless(file: string): unknown {
  try {
    return decodeLossless(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      `${file}: cannot read it as a cortex-vae shard file (${(error as Error).message}); rerun that shard`,
    );
  }
}

export function readShardFolder(dir: string): ShardFolder {
  const file = join(dir, SHARD_FILE);
  if (!existsSync(file)) throw new InputError(`${dir}: no ${SHARD_FILE}, so not a shard folder; ${RUN_SHARDS}`);
  const record = readLossless(file) as ShardRecord;
  if (record?.format !== FORMAT)
    throw new InputError(`${file}: not a cortex-vae shard file (no "format": "${FORMAT}"); ${RUN_SHARDS}`);
  if (record.formatVersion !== FORMAT_VERSION) {
    throw new InputError(
      `${file}: shard format ${record.formatVersion}, this cortex-vae reads ${FORMAT_VERSION}; rerun the shard with this version`,
    );
  }
  return { dir, record };
}

export function readObserved(folder: ShardFolder): ObservedRecord {
  const file = join(folder.dir, OBSERVED_FILE);
  if (!folder.record.hasObserved || !existsSync(file)) {
    throw new InputError(
      `${folder.dir}: shard ${folder.record.shard.index}/${folder.record.shard.count} has no ${OBSERVED_FILE}; rerun shard 1`,
    );
  }
  return readLossless(file) as ObservedRecord;
}

/** The shard folders among `paths`: each path is a shard folder or a folder whose subfolders are (e.g. a job array's output). */
export function findShardFolders(paths: readonly string[]): string[] {
  if (paths.length === 0)
    throw new InputError(
      `merge needs the shard folders; ${RUN_SHARDS}, e.g. \`cortex-vae merge out/shard-* --out out/merged\``,
    );
  return paths.flatMap((path) => {
    if (!existsSync(path) || !statSync(path).isDirectory())
      throw new InputError(`${path}: no such folder; ${RUN_SHARDS}`);
    if (existsSync(join(path, SHARD_FILE))) return [path];
    const inside = readdirSync(path)
      .sort()
      .map((entry) => join(path, entry))
      .filter((sub) => existsSync(join(sub, SHARD_FILE)));
    if (inside.length === 0)
      throw new InputError(`${path}: no ${SHARD_FILE} in it or in its subfolders, so no shards; ${RUN_SHARDS}`);
    return inside;
  });
}

/**
 * The shards of one run in order 1 … n. Refuses (one line naming the folders and the fix) shards of
 * different runs (settings, data, backend, version), of different shard counts, duplicates, missing
 * shards, and chunks other than the shard's own.
 */
export function checkShardSet(folders: readonly ShardFolder[]): ShardFolder[] {
  const first = folders[0]!;
  const n = first.record.shard.count;
  const byIndex = new Map<number, ShardFolder>();
  for (const folder of folders) {
    const { shard, identity } = folder.record;
    const difference = identityDifference(first.record.identity, identity);
    if (difference)
      throw new InputError(
        `${folder.dir}: a shard of another run than ${first.dir} (${difference}); merge the shards of one command only`,
      );
    if (shard.count !== n)
      throw new InputError(
        `${folder.dir} is shard ${shard.index}/${shard.count} but ${first.dir} is ${first.record.shard.index}/${n}; merge the shards of one --shard k/${n} run`,
      );
    const twin = byIndex.get(shard.index);
    if (twin)
      throw new InputError(`${twin.dir} and ${folder.dir} are both shard ${shard.index}/${n}; pass each shard once`);
    byIndex.set(shard.index, folder);
  }
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    throw new InputError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')} missing (have ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')}); run \`cortex-vae evaluate … --shard ${missing[0]}/${n}\` and pass its folder too`,
    );
  }
  const ordered = Array.from({ length: n }, (_, k) => byIndex.get(k + 1)!);
  const jobs = JSON.stringify(ordered[0]!.record.nulls.map((s) => s.job));
  for (const folder of ordered) {
    const { nulls, shard, config } = folder.record;
    if (JSON.stringify(nulls.map((s) => s.job)) !== jobs)
      throw new InputError(`${folder.dir}: its nulls differ from shard 1's; rerun it with the same command`);
    for (const slice of nulls) {
      const expected = shardChunks(nullChunks(slice.job, config.evaluation.nullChunk), shard);
      if (JSON.stringify(slice.ranges) !== JSON.stringify(expected)) {
        throw new InputError(
          `${folder.dir}: ${slice.job.name}: holds other chunks than shard ${shard.index}/${n} takes; rerun that shard`,
        );
      }
    }
  }
  return ordered;
}

/** The study one run would have given: shard 1's observed study with every null joined over the shards, in item order. */
export function mergedStudy(shards: readonly ShardFolder[], observed: StudyResult): StudyResult {
  const jobs = shards[0]!.record.nulls.map((slice) => slice.job);
  return withNulls(
    observed,
    jobs.map((job, j) => ({
      job,
      values: joinSlices(
        job,
        shards.map((s) => s.record.nulls[j]!),
      ),
    })),
  );
}

/** `--shard k/n` → shard k of n (1 ≤ k ≤ n). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(index >= 1 && count >= 1 && index <= count)) {
    throw new InputError(
      `--shard ${JSON.stringify(text)} must be k/n with 1 ≤ k ≤ n, e.g. --shard 2/8 for the second of 8 shards`,
    );
  }
  return { index, count };
}
