/** The no-gene baselines and the counterpart-aware schemes, on hand-made and shipped geometry. */
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../src/pipeline/data/dataset';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { counterpartCopy } from '../src/pipeline/evaluation/baselines/counterpart-copy';
import { mirroredKnn } from '../src/pipeline/evaluation/baselines/mirrored-knn';
import { counterpartIndex, mirroredCentroids } from '../src/pipeline/evaluation/counterparts';
import {
  counterpartPatchSplits,
  hemisphereSplits,
  holdOutCounterparts,
  leaveOneRegionOut,
} from '../src/pipeline/evaluation/splits';
import { DATA_DIR } from './eval-fixtures';

const dataset = buildDataset({
  dataDir: DATA_DIR,
  regions: 'bilateral',
  genes: 'l1000',
  target: 'adni2-ad-volume-d',
  adjacency: 'fsa5',
  weighting: 'binary',
});
const n = dataset.regions.length;
const counterpart = counterpartIndex(dataset.regions);
const mirrored = mirroredCentroids(dataset.centroids.surface);
const none = geneMatrix(new Float64Array(0), n, 0);

describe('counterparts', () => {
  it('pairs L_x with R_x and marks regions whose homologue was dropped', () => {
    const index = (r: string) => dataset.regions.indexOf(r);
    expect(counterpart[index('L_insula')]).toBe(index('R_insula'));
    expect(counterpart[index('R_insula')]).toBe(index('L_insula'));
    expect(counterpart[index('L_frontalpole')]).toBe(-1);
  });
});

describe('counterpart copy', () => {
  it('copies the training counterpart, and falls back to the nearest mirrored training region (reading no held-out value)', async () => {
    const [hemisphereSplit] = hemisphereSplits(dataset.regions); // L->R: every right region's counterpart trains
    const [p] = (
      await counterpartCopy({ counterpart, mirrored }).fitPredict(none, [{ y: dataset.y, ...hemisphereSplit! }])
    ).predictions;
    for (const i of hemisphereSplit!.test) expect(p![i]).toBe(dataset.y[counterpart[i]!]);
    const patches = counterpartPatchSplits(mirrored, counterpart, dataset.hemisphere, 3);
    const poisoned = Float64Array.from(dataset.y);
    const [split] = patches;
    for (const i of split!.test) poisoned[i] = 1e6;
    const [q] = (await counterpartCopy({ counterpart, mirrored }).fitPredict(none, [{ y: poisoned, ...split! }]))
      .predictions;
    for (const i of split!.test) expect(Math.abs(q![i]!)).toBeLessThan(10);
  });
});

describe('k-NN on mirrored centroids', () => {
  it('reads only training targets, and picks a small k for a map its counterparts predict', async () => {
    const split = counterpartPatchSplits(mirrored, counterpart, dataset.hemisphere, 3)[1]!;
    const poisoned = Float64Array.from(dataset.y);
    for (const i of split.test) poisoned[i] = 1e6;
    const model = mirroredKnn({ mirrored });
    const [a] = (await model.fitPredict(none, [{ y: dataset.y, ...split }])).predictions;
    const [b] = (await model.fitPredict(none, [{ y: poisoned, ...split }])).predictions;
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });
});

describe('counterpart-aware schemes', () => {
  it('patches partition the regions, each held out with its counterparts', () => {
    const splits = counterpartPatchSplits(mirrored, counterpart, dataset.hemisphere, 3);
    expect(splits).toHaveLength(3);
    expect(splits.flatMap((s) => s.test).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const s of splits) {
      const train = new Set(s.train);
      for (const i of s.test) expect(counterpart[i]! < 0 || !train.has(counterpart[i]!)).toBe(true);
      expect(s.train.length + s.test.length).toBe(n);
    }
  });

  it('the left-only patches use left regions alone', () => {
    const left = dataset.hemisphere.flatMap((h, i) => (h === 'L' ? [i] : []));
    const splits = counterpartPatchSplits(mirrored, counterpart, dataset.hemisphere, 3, left);
    expect(splits.flatMap((s) => s.test).sort((a, b) => a - b)).toEqual(left);
    for (const s of splits) for (const i of [...s.train, ...s.test]) expect(dataset.hemisphere[i]).toBe('L');
  });

  it('leave-one-pair-out: 32 pairs and 2 unmatched regions, 34 splits', () => {
    const splits = holdOutCounterparts(leaveOneRegionOut(n), counterpart);
    expect(splits).toHaveLength(34);
    expect(splits.filter((s) => s.test.length === 2)).toHaveLength(32);
  });
});
