/**
 * The pieces behind sharded and resumable nulls: lossless JSON, the chunk and shard partition, the
 * runner (shards joined = one run; an interrupted run resumes without recomputing finished chunks),
 * and the study's retrained nulls computed over any item range equal to the established functions.
 */
import { describe, expect, it } from 'vitest';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { ridge } from '../src/pipeline/evaluation/baselines/ridge';
import { crossValidate } from '../src/pipeline/evaluation/cross-validate';
import { pearson } from '../src/pipeline/evaluation/metrics';
import { randomGeneNull } from '../src/pipeline/evaluation/random-gene-null';
import { createRng } from '../src/pipeline/evaluation/rng';
import { spinPermutations } from '../src/pipeline/evaluation/spin';
import { spinNullRetrained, spunTargets } from '../src/pipeline/evaluation/spin-null';
import { leaveOneLobeOut } from '../src/pipeline/evaluation/splits';
import { decodeLossless, encodeLossless } from '../src/pipeline/study/lossless-json';
import {
  describeRanges,
  joinSlices,
  nullChunks,
  runNullJobs,
  shardChunks,
  WHOLE_STUDY,
  type NullCheckpoints,
  type NullSlice,
} from '../src/pipeline/study/null-runner';
import { studyNulls, type NullJob, type NullJobInfo } from '../src/pipeline/study/study-nulls';
import { readCentroids, smoothRandomMap } from './eval-fixtures';

describe('lossless JSON', () => {
  it('gives back NaN, ±Infinity, −0, typed arrays (views too), Maps and holes exactly', () => {
    const backing = Float64Array.of(9, 1.5, -0, NaN, Infinity, 0.1 + 0.2, 9);
    const value = {
      numbers: [NaN, Infinity, -Infinity, -0, 0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2],
      view: backing.subarray(1, 6),
      f32: Float32Array.of(Math.fround(1 / 3), NaN, -0),
      ints: Int32Array.of(-1, 2 ** 31 - 1),
      bytes: Uint8Array.of(0, 255),
      map: new Map([
        ['L_bankssts', 0.5],
        ['R_insula', null],
      ]),
      holes: [1, undefined, 3],
      nested: { text: 'λ = 0', flag: true, nothing: null, gone: undefined },
    };
    const back = decodeLossless(encodeLossless(value)) as typeof value;
    expect(Object.is(back.numbers[3], -0)).toBe(true);
    expect(back.numbers).toEqual(value.numbers);
    expect(back.view).toBeInstanceOf(Float64Array);
    expect(Buffer.from(back.view.buffer)).toEqual(
      Buffer.from(value.view.buffer, value.view.byteOffset, value.view.byteLength),
    );
    expect(Buffer.from(back.f32.buffer)).toEqual(Buffer.from(value.f32.buffer));
    expect(back.ints).toEqual(value.ints);
    expect(back.bytes).toEqual(value.bytes);
    expect(back.map).toEqual(value.map);
    expect(back.holes).toHaveLength(3);
    expect(back.holes[1]).toBeUndefined();
    expect(back.nested).toEqual({ text: 'λ = 0', flag: true, nothing: null });
    expect(encodeLossless(decodeLossless(encodeLossless(value)))).toBe(encodeLossless(value));
  });

  it('refuses what it cannot give back, naming the path', () => {
    expect(() => encodeLossless({ a: { f: () => 1 } })).toThrow(/\$\.a\.f is a function/);
    expect(() => encodeLossless({ when: new Date(0) })).toThrow(/\$\.when is a Date/);
    expect(() => encodeLossless({ $number: 1 })).toThrow(/reserved/);
    expect(() => encodeLossless([1n])).toThrow(/bigint/);
  });
});

const job = (items: number, fitsPerItem: number, id = 'retrained: m'): NullJobInfo => ({
  id,
  kind: 'retrained',
  model: 'm',
  scheme: 'lobe',
  family: 'spin',
  name: `null ${id}`,
  items,
  itemLabel: 'spins',
  fitsPerItem,
});

describe('chunks and shards', () => {
  it('chunks hold ⌊chunkFits / fitsPerItem⌋ items (at least one) and cover every item once', () => {
    expect(nullChunks(job(10, 3), 7)).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
      [8, 10],
    ]);
    expect(nullChunks(job(3, 50), 7)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(nullChunks(job(0, 2), 7)).toEqual([]);
    expect(() => nullChunks(job(5, 1), 0)).toThrow(/positive integer/);
  });

  it('shard k of n takes a contiguous run of chunks; over k = 1 … n every chunk exactly once', () => {
    for (const m of [0, 1, 2, 3, 7, 10, 64]) {
      for (const n of [1, 2, 3, 5, 8, 13]) {
        const chunks = Array.from({ length: m }, (_, c) => c);
        const taken = Array.from({ length: n }, (_, k) => shardChunks(chunks, { index: k + 1, count: n }));
        expect(taken.flat()).toEqual(chunks);
        const sizes = taken.map((t) => t.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
    expect(() => shardChunks([1], { index: 4, count: 3 })).toThrow(/1 ≤ k ≤ n/);
    expect(() => shardChunks([1], { index: 0, count: 3 })).toThrow(/1 ≤ k ≤ n/);
  });

  it('describes ranges 1-based, merging neighbours', () => {
    expect(
      describeRanges(job(20, 1), [
        [0, 4],
        [4, 8],
        [12, 13],
      ]),
    ).toBe('spins 1–8, 13 of 20');
    expect(describeRanges(job(20, 1), [])).toBe('no spins of 20');
  });
});

/** A null whose item i has the value √(i + offset), recording every range it computes; it fails on a chosen range. */
function fakeJob(info: NullJobInfo, offset: number, failAt?: number) {
  const computed: [number, number][] = [];
  const run: NullJob['run'] = async (start, end, onProgress) => {
    if (start === failAt) throw new Error('interrupted');
    computed.push([start, end]);
    onProgress?.(1, 1);
    return Float64Array.from({ length: end - start }, (_, i) => Math.sqrt(start + i + offset));
  };
  return { job: { info, run }, computed };
}

function memoryCheckpoints(): NullCheckpoints & { saved: Map<string, Float64Array> } {
  const saved = new Map<string, Float64Array>();
  const key = (info: NullJobInfo, [s, e]: readonly [number, number]) => `${info.id} ${s} ${e}`;
  return {
    saved,
    load: (info, range) => saved.get(key(info, range)),
    save: (info, range, values) => saved.set(key(info, range), values.slice()),
  };
}

const silent = () => ({ update() {}, done() {} });

describe('runNullJobs', () => {
  const infos = [job(23, 3, 'retrained: a'), job(5, 1, 'in-sample refit: b'), job(2, 40, 'retrained: c')];

  it('shards joined give exactly the values of one run, and each chunk is computed by one shard', async () => {
    const whole = await runNullJobs(
      infos.map((info, j) => fakeJob(info, j).job),
      { shard: WHOLE_STUDY, chunkFits: 7, stage: silent },
    );
    const shards: NullSlice[][] = [];
    const computed: [number, number][][] = infos.map(() => []);
    for (let k = 1; k <= 3; k++) {
      const fakes = infos.map((info, j) => fakeJob(info, j));
      shards.push(
        await runNullJobs(
          fakes.map((f) => f.job),
          { shard: { index: k, count: 3 }, chunkFits: 7, stage: silent },
        ),
      );
      fakes.forEach((f, j) => computed[j]!.push(...f.computed));
    }
    infos.forEach((info, j) => {
      const joined = joinSlices(
        info,
        shards.map((s) => s[j]!),
      );
      expect(joined).toEqual(joinSlices(info, [whole[j]!]));
      expect(joined).toEqual(Float64Array.from({ length: info.items }, (_, i) => Math.sqrt(i + j)));
      expect(computed[j]!.sort((a, b) => a[0] - b[0])).toEqual(nullChunks(info, 7));
    });
  });

  it('an interrupted run resumes from its checkpoints: finished chunks are loaded, not recomputed, and the result is the same', async () => {
    const checkpoints = memoryCheckpoints();
    // item 8 of null a starts its fifth chunk (2 items per chunk): four chunks finish, then the run fails
    const failing = infos.map((info, j) => fakeJob(info, j, j === 0 ? 8 : undefined));
    await expect(
      runNullJobs(
        failing.map((f) => f.job),
        { shard: WHOLE_STUDY, chunkFits: 7, checkpoints, stage: silent },
      ),
    ).rejects.toThrow('interrupted');
    expect(failing[0]!.computed).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
    ]);
    expect(checkpoints.saved.size).toBe(4);

    const labels: string[] = [];
    const rerun = infos.map((info, j) => fakeJob(info, j));
    const resumed = await runNullJobs(
      rerun.map((f) => f.job),
      { shard: WHOLE_STUDY, chunkFits: 7, checkpoints, stage: (label) => (labels.push(label), silent()) },
    );
    expect(rerun[0]!.computed[0]).toEqual([8, 10]);
    expect(rerun[0]!.computed).toHaveLength(nullChunks(infos[0]!, 7).length - 4);
    expect(labels[0]).toMatch(/\(4 of 12 chunks from an earlier run\)/);
    const uninterrupted = await runNullJobs(
      infos.map((info, j) => fakeJob(info, j).job),
      { shard: WHOLE_STUDY, chunkFits: 7, stage: silent },
    );
    resumed.forEach((slice, j) => expect(slice.values).toEqual(uninterrupted[j]!.values));
    // everything is checkpointed now: a third run computes nothing
    const third = infos.map((info, j) => fakeJob(info, j));
    await runNullJobs(
      third.map((f) => f.job),
      { shard: WHOLE_STUDY, chunkFits: 7, checkpoints, stage: silent },
    );
    expect(third.flatMap((f) => f.computed)).toEqual([]);
  });

  it('refuses two nulls with one id, and slices that miss or repeat items', async () => {
    await expect(
      runNullJobs([fakeJob(infos[0]!, 0).job, fakeJob(infos[0]!, 1).job], {
        shard: WHOLE_STUDY,
        chunkFits: 7,
        stage: silent,
      }),
    ).rejects.toThrow(/two nulls share the id "retrained: a"/);
    const info = job(6, 1);
    const slice = (ranges: [number, number][]): NullSlice => ({
      job: info,
      ranges,
      values: new Float64Array(ranges.reduce((s, [a, b]) => s + b - a, 0)),
    });
    expect(() => joinSlices(info, [slice([[0, 4]])])).toThrow(/spin 5 is in no slice/);
    expect(() => joinSlices(info, [slice([[0, 4]]), slice([[3, 6]])])).toThrow(/spin 4 is in two slices/);
    expect(() => joinSlices(info, [slice([[0, 7]])])).toThrow(/outside/);
    expect(joinSlices(info, [slice([[4, 6]]), slice([[0, 4]])])).toHaveLength(6);
  });
});

describe("the study's retrained nulls over item ranges", () => {
  const c = readCentroids();
  const rng = createRng(12);
  const y = smoothRandomMap(c, 30, rng);
  const gAll = 30;
  const g = 8;
  const Xall = Float64Array.from({ length: 68 * gAll }, () => rng.normal());
  const X = geneMatrix(
    Float64Array.from({ length: 68 * g }, (_, k) => Xall[Math.floor(k / g) * gAll + (k % g)]!),
    68,
    g,
  );
  const splits = leaveOneLobeOut(c.regions);
  const spins = spinPermutations({ sphere: c.sphere, hemisphere: c.hemisphere, n: 6, seed: 3, method: 'hungarian' });
  const model = ridge({ lambda: 20 });
  const maps = {
    spins: { symmetric: spins, plain: spins },
    maps: (_s: unknown, _f: unknown, count: number) => spunTargets(y, spins.slice(0, count)),
  };
  const common = { expression: X, y, headline: 'lobe' as const, splitsOf: () => splits, maps, seed: 4 };
  const nulls = studyNulls({ ...common, pool: { X: Xall, genes: Array.from({ length: gAll }, (_, i) => `G${i}`) } });

  const inPieces = async (job: NullJob, cuts: number[]) => {
    const parts: Float64Array[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) parts.push(await job.run(cuts[i]!, cuts[i + 1]!));
    return Float64Array.from(parts.flatMap((p) => Array.from(p)));
  };

  it("retrained spins: any split of the spins gives spinNullRetrained's nulls", async () => {
    const job = nulls.retrained(model, 'lobe', 'spin', 5)!;
    expect(job.info).toMatchObject({ kind: 'retrained', items: 5, fitsPerItem: splits.length, itemLabel: 'spins' });
    const reference = await spinNullRetrained(model, X, y, splits, spins.slice(0, 5));
    expect(await inPieces(job, [0, 5])).toEqual(reference.nulls);
    expect(await inPieces(job, [0, 2, 3, 5])).toEqual(reference.nulls);
  });

  it("random gene sets: any split of the sets gives randomGeneNull's nulls", async () => {
    const job = nulls.randomGenes(model, 5)!;
    const observed = (await crossValidate(model, X, y, splits)).pooled.r;
    const reference = await randomGeneNull(model, geneMatrix(Xall, 68, gAll), g, y, splits, 5, 4, { observed });
    expect(await inPieces(job, [0, 1, 4, 5])).toEqual(reference.nulls);
    expect(nulls.randomGenes(model, 0)).toBeNull();
    expect(studyNulls(common).randomGenes(model, 5)).toBeNull();
  });

  it('in-sample refit: rₖ = r(yₖ, ŷₖ) of the model fitted on every region of spun target k', async () => {
    const job = nulls.inSampleRefit(model, 4);
    expect(job.info.fitsPerItem).toBe(1);
    const values = await inPieces(job, [0, 3, 4]);
    const all = Array.from({ length: 68 }, (_, i) => i);
    const spun = Float64Array.from(spins[3]!, (source) => y[source]!);
    const [fit] = (await model.fitPredict(X, [{ y: spun, train: all, test: [] }])).predictions;
    expect(values[3]).toBe(pearson(spun, fit!));
  });
});
