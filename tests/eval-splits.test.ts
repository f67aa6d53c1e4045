import { describe, expect, it } from 'vitest';
import { DK68_REGIONS } from '../src/pipeline/atlas';
import {
  distanceDependentSplits,
  hemisphereSplits,
  leaveOneLobeOut,
  leaveOneRegionOut,
  repeatedKFold,
  type Split,
} from '../src/pipeline/evaluation/splits';
import { readCentroids } from './eval-fixtures';

/** train ∪ test = all regions, train ∩ test = ∅, both sorted without duplicates. */
function expectPartition(split: Split, n: number): void {
  const all = [...split.train, ...split.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  expect(split.test.length).toBeGreaterThan(0);
}

describe('distance-dependent splits (Hansen et al.)', () => {
  const c = readCentroids();

  it('bilateral: each seed holds out itself + its nearest neighbours in its own hemisphere, round(0.25·34) = 9', () => {
    const splits = distanceDependentSplits(c.surface, 0.25, c.hemisphere);
    expect(splits).toHaveLength(68);
    splits.forEach((split, seed) => {
      expectPartition(split, 68);
      expect(split.test).toHaveLength(9);
      expect(split.test).toContain(seed);
      split.test.forEach((i) => expect(c.hemisphere[i]).toBe(c.hemisphere[seed]));
      // nearest: every held-out region is at least as close to the seed as every same-hemisphere training region
      const d = (i: number): number =>
        Math.hypot(
          c.surface[3 * i]! - c.surface[3 * seed]!,
          c.surface[3 * i + 1]! - c.surface[3 * seed + 1]!,
          c.surface[3 * i + 2]! - c.surface[3 * seed + 2]!,
        );
      const farthestHeld = Math.max(...split.test.map(d));
      const nearestKept = Math.min(...split.train.filter((i) => c.hemisphere[i] === c.hemisphere[seed]).map(d));
      expect(farthestHeld).toBeLessThanOrEqual(nearestKept);
    });
  });

  it('one hemisphere (34 left regions) and an awkward fraction: round(0.3·34) = 10', () => {
    const left = c.surface.subarray(0, 102);
    const splits = distanceDependentSplits(left, 0.3);
    expect(splits).toHaveLength(34);
    splits.forEach((s) => {
      expectPartition(s, 34);
      expect(s.test).toHaveLength(10);
    });
  });

  it('hand-checked line of 5 points: seed 0 → {0, 1} with fraction 0.4; ties broken by lower index', () => {
    const line = Float64Array.of(0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0);
    const splits = distanceDependentSplits(line, 0.4);
    expect(splits[0]).toEqual({ name: 'seed-0', train: [2, 3, 4], test: [0, 1] });
    expect(splits[2]!.test).toEqual([1, 2]); // 1 and 3 tie at distance 1; the lower index wins
  });

  it('rejects malformed input', () => {
    expect(() => distanceDependentSplits(new Float64Array(7))).toThrow(/N×3/);
    expect(() => distanceDependentSplits(new Float64Array(6), 1)).toThrow(/fraction/);
    expect(() => distanceDependentSplits(new Float64Array(6), 0.5, ['L'])).toThrow(/hemispheres/);
  });
});

describe('other split families', () => {
  it('leave-one-region-out', () => {
    const splits = leaveOneRegionOut(7);
    expect(splits).toHaveLength(7);
    splits.forEach((s, i) => {
      expectPartition(s, 7);
      expect(s.test).toEqual([i]);
    });
  });

  it('repeated k-fold: folds of near-equal size partition the regions in each repeat; seeded', () => {
    const splits = repeatedKFold(68, 5, 3, 42);
    expect(splits).toHaveLength(15);
    for (let r = 0; r < 3; r++) {
      const folds = splits.slice(5 * r, 5 * r + 5);
      folds.forEach((s) => {
        expectPartition(s, 68);
        expect([13, 14]).toContain(s.test.length);
      });
      expect(folds.flatMap((s) => s.test).sort((a, b) => a - b)).toEqual(Array.from({ length: 68 }, (_, i) => i));
    }
    expect(splits[0]!.test).not.toEqual(splits[5]!.test); // repeats reshuffle
    expect(repeatedKFold(68, 5, 3, 42)).toEqual(splits);
    expect(() => repeatedKFold(4, 5, 1, 0)).toThrow(/k must be/);
  });

  it('leave-one-lobe-out over DK68: 6 lobes, both hemispheres together', () => {
    const splits = leaveOneLobeOut(DK68_REGIONS);
    expect(splits.map((s) => s.name).sort()).toEqual([
      'lobe-cingulate',
      'lobe-frontal',
      'lobe-insula',
      'lobe-occipital',
      'lobe-parietal',
      'lobe-temporal',
    ]);
    splits.forEach((s) => expectPartition(s, 68));
    expect(splits.find((s) => s.name === 'lobe-insula')!.test).toEqual([33, 67]);
    expect(splits.reduce((sum, s) => sum + s.test.length, 0)).toBe(68);
  });

  it('hemisphere splits: L→R and R→L', () => {
    const [lr, rl] = hemisphereSplits(DK68_REGIONS);
    expect(lr!.train).toEqual(Array.from({ length: 34 }, (_, i) => i));
    expect(lr!.test).toEqual(Array.from({ length: 34 }, (_, i) => 34 + i));
    expect(rl!.train).toEqual(lr!.test);
    expect(() => hemisphereSplits(DK68_REGIONS.slice(0, 34))).toThrow(/both hemispheres/);
  });
});
