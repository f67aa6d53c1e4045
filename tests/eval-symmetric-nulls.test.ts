/**
 * The nulls must keep what the real map has: its left–right symmetry and its spatial autocorrelation.
 * Checked on the shipped ADNI-2 AD map over the 66 regions the default run uses.
 */
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../src/pipeline/data/dataset';
import { counterpartIndex, matchedPairs, mirroredCentroids } from '../src/pipeline/evaluation/counterparts';
import { pearson } from '../src/pipeline/evaluation/metrics';
import { flipMoranSigns, moranEigenvectors, moranSurrogates } from '../src/pipeline/evaluation/moran';
import { createRng } from '../src/pipeline/evaluation/rng';
import { permute, spinPermutations } from '../src/pipeline/evaluation/spin';
import { DATA_DIR } from './eval-fixtures';
import { variogram, VARIOGRAM_BINS } from './helpers/variogram';

const dataset = buildDataset({
  dataDir: DATA_DIR,
  regions: 'bilateral',
  genes: 'l1000',
  target: 'adni2-ad-volume-d',
  adjacency: 'fsa5',
  weighting: 'binary',
});
const { y, hemisphere } = dataset;
const counterpart = counterpartIndex(dataset.regions);
const pairs = matchedPairs(hemisphere, counterpart);
const mirrored = mirroredCentroids(dataset.centroids.surface);
/** r over the matched pairs between each left region's value and its right counterpart's. */
const leftRight = (map: Float64Array) =>
  pearson(
    Float64Array.from(pairs, ([l]) => map[l]!),
    Float64Array.from(pairs, ([, r]) => map[r]!),
  );
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const spinOptions = { sphere: dataset.centroids.sphere, hemisphere, n: 200, seed: 7, method: 'hungarian' as const };
const realVariogram = variogram(y, dataset.centroids.surface, hemisphere);

describe('symmetric spins', () => {
  const symmetric = spinPermutations({ ...spinOptions, counterpart }).map((p) => permute(y, p));

  it('the data have 32 matched pairs and 2 unmatched left regions', () => {
    expect(pairs.length).toBe(32);
    expect(dataset.regions.filter((_, i) => counterpart[i]! < 0)).toEqual(['L_frontalpole', 'L_temporalpole']);
  });

  it('keep the left–right correlation exactly (1e-12), where plain spins lose it', () => {
    const real = leftRight(y);
    expect(real).toBeGreaterThan(0.85);
    for (const map of symmetric) expect(leftRight(map)).toBeCloseTo(real, 12);
    const plain = spinPermutations(spinOptions).map((p) => leftRight(permute(y, p)));
    expect(mean(plain)).toBeLessThan(real - 0.2);
  });

  it('every spin is one-to-one within each hemisphere and maps pairs onto pairs', () => {
    for (const p of spinPermutations({ ...spinOptions, n: 20, counterpart })) {
      expect(new Set(p).size).toBe(p.length);
      p.forEach((source, i) => expect(hemisphere[source]).toBe(hemisphere[i]));
      for (const [l, r] of pairs) expect(counterpart[p[l]!]).toBe(p[r]);
    }
  });

  // Spins keep the variogram only roughly: reassigning rotated parcels makes spun maps rougher at short
  // range (measured: 1.67× the real semivariance below 25 mm, 0.80–1.24× beyond). Tolerance: a factor of 2.
  it("keep the real map's variogram within a factor of 2 in every distance bin (mean over spins)", () => {
    const spun = symmetric.map((map) => variogram(map, dataset.centroids.surface, hemisphere));
    VARIOGRAM_BINS.forEach((_, b) => {
      const ratio = mean(spun.map((v) => v[b]!)) / realVariogram[b]!;
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    });
  });
});

describe('Moran spectral randomisation', () => {
  const surrogates = moranSurrogates(y, { mirrored, counterpart, hemisphere, count: 200, seed: 7 });

  it("keeps a map's mean, variance and Moran's I exactly (1e-9)", () => {
    const points = Float64Array.from({ length: 3 * 20 }, (_, i) => Math.sin(i * 1.7) * 40);
    const vectors = moranEigenvectors(points);
    const map = Float64Array.from({ length: 20 }, (_, i) => points[3 * i]! / 10 + Math.cos(i));
    const moranI = (v: Float64Array) => {
      const m = mean(Array.from(v));
      let num = 0;
      let den = 0;
      for (let i = 0; i < 20; i++) {
        den += (v[i]! - m) ** 2;
        for (let j = 0; j < 20; j++) {
          if (i !== j)
            num +=
              ((v[i]! - m) * (v[j]! - m)) /
              Math.hypot(
                points[3 * i]! - points[3 * j]!,
                points[3 * i + 1]! - points[3 * j + 1]!,
                points[3 * i + 2]! - points[3 * j + 2]!,
              );
        }
      }
      return num / den;
    };
    const rng = createRng(3);
    for (let k = 0; k < 10; k++) {
      const s = flipMoranSigns(map, vectors, rng);
      expect(mean(Array.from(s))).toBeCloseTo(mean(Array.from(map)), 9);
      expect(Array.from(s).reduce((a, v) => a + v * v, 0)).toBeCloseTo(
        Array.from(map).reduce((a, v) => a + v * v, 0),
        9,
      );
      expect(moranI(s)).toBeCloseTo(moranI(map), 9);
    }
  });

  // measured (200 surrogates, seed 7): left–right r 0.907 (real 0.909); variogram 0.93–1.17× the real one
  it('keeps the left–right correlation: mean over surrogates within 0.05 of the real one', () => {
    expect(Math.abs(mean(surrogates.map(leftRight)) - leftRight(y))).toBeLessThan(0.05);
  });

  it("keeps the real map's variogram: the mean over surrogates within 20% of it in every distance bin", () => {
    const randomised = surrogates.map((map) => variogram(map, dataset.centroids.surface, hemisphere));
    VARIOGRAM_BINS.forEach((_, b) =>
      expect(Math.abs(mean(randomised.map((v) => v[b]!)) / realVariogram[b]! - 1)).toBeLessThan(0.2),
    );
  });

  it('is not the real map: surrogates correlate with it far less than 1', () => {
    expect(mean(surrogates.map((s) => pearson(s, y)))).toBeLessThan(0.5);
  });
});

describe('null maps on one hemisphere', () => {
  it('Moran surrogates and spins work when no region has a counterpart (left-only data)', () => {
    const left = dataset.hemisphere.flatMap((h, i) => (h === 'L' ? [i] : []));
    const yLeft = Float64Array.from(left, (i) => y[i]!);
    const none = new Int32Array(left.length).fill(-1);
    const surrogates = moranSurrogates(yLeft, {
      mirrored: Float64Array.from(left.flatMap((i) => [mirrored[3 * i]!, mirrored[3 * i + 1]!, mirrored[3 * i + 2]!])),
      counterpart: none,
      hemisphere: left.map(() => 'L' as const),
      count: 5,
      seed: 1,
    });
    expect(surrogates).toHaveLength(5);
    for (const s of surrogates) expect(mean(Array.from(s))).toBeCloseTo(mean(Array.from(yLeft)), 9);
    const sphere = Float64Array.from(
      left.flatMap((i) => [
        dataset.centroids.sphere[3 * i]!,
        dataset.centroids.sphere[3 * i + 1]!,
        dataset.centroids.sphere[3 * i + 2]!,
      ]),
    );
    const spins = spinPermutations({
      sphere,
      hemisphere: left.map(() => 'L' as const),
      n: 3,
      seed: 1,
      method: 'hungarian',
      counterpart: none,
    });
    for (const p of spins) expect(new Set(p).size).toBe(left.length);
  });
});
