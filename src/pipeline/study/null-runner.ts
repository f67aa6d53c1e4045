/**
 * Runs the retrained nulls in chunks, for all of a study or for one shard of it, skipping chunks
 * that an earlier, interrupted run already finished.
 *
 * Chunks: a null's items (spins, gene sets) are cut into consecutive chunks of ⌊chunkFits /
 * fitsPerItem⌋ items (at least one), so a chunk is about chunkFits model fits and one batched job.
 * Chunk boundaries depend only on the settings, never on the shard count or on which chunks are
 * already done: every chunk is the same batch of fits whoever computes it, so the values agree bit
 * for bit even where an engine's rounding depends on the batch.
 *
 * Shards: shard k of n takes chunks ⌊(k−1)·M/n⌋ … ⌊k·M/n⌋ − 1 of each null's M chunks — contiguous,
 * and over k = 1 … n every chunk exactly once.
 */
import { chunkRanges } from '../../model/batching';
import type { StageProgress } from './types';
import type { NullJob, NullJobInfo } from './study-nulls';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_STUDY: Shard = { index: 1, count: 1 };

/** The statistics of one null over some of its items: `values` holds the items of `ranges`, in order. */
export interface NullSlice {
  job: NullJobInfo;
  ranges: [number, number][];
  values: Float64Array;
}

/** Finished chunks kept between runs. */
export interface NullCheckpoints {
  load(job: NullJobInfo, range: readonly [number, number]): Float64Array | undefined;
  save(job: NullJobInfo, range: readonly [number, number], values: Float64Array): void;
}

export interface NullRunOptions {
  shard: Shard;
  /** About this many model fits per chunk. */
  chunkFits: number;
  checkpoints?: NullCheckpoints;
  stage: (label: string) => StageProgress;
}

/** A null's chunks: [start, end) item ranges of ⌊chunkFits / fitsPerItem⌋ items (at least 1). */
export function nullChunks(job: NullJobInfo, chunkFits: number): [number, number][] {
  if (!(Number.isInteger(chunkFits) && chunkFits >= 1))
    throw new RangeError(`chunkFits must be a positive integer, got ${chunkFits}`);
  return chunkRanges(job.items, Math.max(1, Math.floor(chunkFits / Math.max(1, job.fitsPerItem))));
}

/** Shard k of n's chunks: ⌊(k−1)·M/n⌋ … ⌊k·M/n⌋ − 1 of M. */
export function shardChunks<T>(chunks: readonly T[], shard: Shard): T[] {
  const { index, count } = shard;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 1 && index <= count)) {
    throw new RangeError(`shard ${index}/${count}: need integers 1 ≤ k ≤ n`);
  }
  const m = chunks.length;
  return chunks.slice(Math.floor(((index - 1) * m) / count), Math.floor((index * m) / count));
}

/** "spins 1–128, 257–384 of 1000" (1-based, inclusive; "no spins of 1000"), for messages. */
export function describeRanges(job: NullJobInfo, ranges: readonly (readonly [number, number])[]): string {
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && last[1] === start) last[1] = end;
    else merged.push([start, end]);
  }
  const items = merged.map(([s, e]) => (e - s === 1 ? `${s + 1}` : `${s + 1}–${e}`)).join(', ');
  return `${merged.length ? `${job.itemLabel} ${items}` : `no ${job.itemLabel}`} of ${job.items}`;
}

/**
 * Computes this shard's chunks of every null (loading those `checkpoints` holds, saving each one it
 * computes as soon as it is done), one progress stage per null.
 */
export async function runNullJobs(jobs: readonly NullJob[], options: NullRunOptions): Promise<NullSlice[]> {
  const ids = new Set<string>();
  for (const { info } of jobs) {
    if (ids.has(info.id)) throw new Error(`two nulls share the id "${info.id}"`);
    ids.add(info.id);
  }
  const slices: NullSlice[] = [];
  for (const job of jobs) {
    const ranges = shardChunks(nullChunks(job.info, options.chunkFits), options.shard);
    const total = ranges.reduce((s, [start, end]) => s + end - start, 0);
    const done = ranges.map((range) => options.checkpoints?.load(job.info, range));
    const resumed = done.filter(Boolean).length;
    const label =
      `${job.info.name}: ${options.shard.count > 1 ? `shard ${options.shard.index}/${options.shard.count}, ` : ''}` +
      `${describeRanges(job.info, ranges)}, ${job.info.fitsPerItem} fit${job.info.fitsPerItem > 1 ? 's' : ''} each` +
      (resumed ? ` (${resumed} of ${ranges.length} chunks from an earlier run)` : '');
    const progress = options.stage(label);
    const values = new Float64Array(total);
    let offset = 0;
    for (const [c, range] of ranges.entries()) {
      const [start, end] = range;
      let chunk = done[c];
      if (!chunk) {
        chunk = await job.run(start, end, (d, t) =>
          progress.update(Math.floor(offset + (t > 0 ? (d / t) * (end - start) : 0)), total),
        );
        if (chunk.length !== end - start)
          throw new Error(`${job.info.name}: ${chunk.length} values for ${job.info.itemLabel} ${start + 1}–${end}`);
        options.checkpoints?.save(job.info, range, chunk);
      }
      values.set(chunk, offset);
      offset += end - start;
      progress.update(offset, total);
    }
    progress.done();
    slices.push({ job: job.info, ranges, values });
  }
  return slices;
}

/**
 * One null's values over all its items from slices (of one run or of several shards), in item
 * order. Throws when the slices do not cover every item exactly once.
 */
export function joinSlices(job: NullJobInfo, slices: readonly NullSlice[]): Float64Array {
  const values = new Float64Array(job.items);
  const covered = new Uint8Array(job.items);
  for (const slice of slices) {
    let offset = 0;
    for (const [start, end] of slice.ranges) {
      if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= job.items)) {
        throw new RangeError(`${job.name}: item range ${start}–${end} lies outside 0–${job.items}`);
      }
      for (let i = start; i < end; i++) {
        if (covered[i])
          throw new RangeError(`${job.name}: ${job.itemLabel.replace(/s$/, '')} ${i + 1} is in two slices`);
        covered[i] = 1;
        values[i] = slice.values[offset + i - start]!;
      }
      offset += end - start;
    }
    if (offset !== slice.values.length)
      throw new RangeError(`${job.name}: ${slice.values.length} values for ${offset} items`);
  }
  const missing = covered.indexOf(0);
  if (missing !== -1)
    throw new RangeError(`${job.name}: ${job.itemLabel.replace(/s$/, '')} ${missing + 1} is in no slice`);
  return values;
}
