/**
 * Train/test splits over region indices 0 … N−1. A split's test regions are held out of fitting,
 * scaling and tuning; every split lists all other regions as training regions unless stated.
 */
import { hemisphereOf, lobeOf, type Hemisphere } from '../atlas';
import { withCounterparts } from './counterparts';
import { farthestPoints } from './farthest-points';
import { createRng, randomPermutation } from './rng';

/** One cross-validation split: a name and the indices of its training and test regions. */
export interface Split {
  name: string;
  train: number[];
  test: number[];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function complement(n: number, test: readonly number[]): number[] {
  const held = new Set(test);
  return range(n).filter((i) => !held.has(i));
}

/**
 * Distance-dependent cross-validation (Hansen et al. 2021, Nat Hum Behav): each region in turn seeds
 * a test set made of itself and its nearest neighbours by Euclidean centroid distance, together
 * round(fraction · m) regions where m is the number of regions in the seed's hemisphere (m = N when
 * `hemispheres` is omitted); the remaining N − |test| regions, both hemispheres, train. Neighbours are
 * searched within the seed's hemisphere only. Ties in distance are broken by the lower index.
 * Pass surface centroids (`surf_x/y/z`), not sphere ones: both hemispheres' spheres share one frame.
 * One split per region, named `seed-<i>`.
 */
export function distanceDependentSplits(
  centroids: Float64Array,
  fraction = 0.25,
  hemispheres?: readonly Hemisphere[],
): Split[] {
  const n = centroids.length / 3;
  if (!Number.isInteger(n)) throw new RangeError(`centroids must be N×3, got length ${centroids.length}`);
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must lie in (0, 1), got ${fraction}`);
  if (hemispheres && hemispheres.length !== n) {
    throw new RangeError(`hemispheres has ${hemispheres.length} entries for ${n} centroids`);
  }
  const groupOf = (i: number): string => (hemispheres ? hemispheres[i]! : 'all');
  const squaredDistance = (i: number, j: number): number =>
    (centroids[3 * i]! - centroids[3 * j]!) ** 2 +
    (centroids[3 * i + 1]! - centroids[3 * j + 1]!) ** 2 +
    (centroids[3 * i + 2]! - centroids[3 * j + 2]!) ** 2;

  return range(n).map((seed) => {
    const candidates = range(n).filter((j) => groupOf(j) === groupOf(seed));
    const testSize = Math.max(1, Math.round(fraction * candidates.length));
    const nearest = candidates
      .map((j) => ({ j, d: squaredDistance(seed, j) }))
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, testSize)
      .map((c) => c.j)
      .sort((a, b) => a - b);
    return { name: `seed-${seed}`, train: complement(n, nearest), test: nearest };
  });
}

/** N splits, each holding out one region: `region-<i>`. */
export function leaveOneRegionOut(n: number): Split[] {
  return range(n).map((i) => ({ name: `region-${i}`, train: complement(n, [i]), test: [i] }));
}

/**
 * k-fold CV repeated with fresh shuffles: each repeat permutes the regions (seeded) and cuts them
 * into k folds whose sizes differ by at most one. Splits `rep<r>-fold<f>`. Random folds ignore
 * spatial autocorrelation (neighbours of a test region train), so they flatter smooth predictors.
 */
export function repeatedKFold(n: number, k: number, repeats: number, seed: number): Split[] {
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new RangeError(`k must be an integer in 2…${n}, got ${k}`);
  const rng = createRng(seed);
  const splits: Split[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = randomPermutation(n, rng);
    for (let f = 0; f < k; f++) {
      // fold f takes positions ⌊f·n/k⌋ … ⌊(f+1)·n/k⌋ − 1 of the shuffled order
      const test = Array.from(order.subarray(Math.floor((f * n) / k), Math.floor(((f + 1) * n) / k))).sort(
        (a, b) => a - b,
      );
      splits.push({ name: `rep${r}-fold${f}`, train: complement(n, test), test });
    }
  }
  return splits;
}

/** One split per lobe present (both hemispheres' regions of that lobe held out together): `lobe-<name>`. */
export function leaveOneLobeOut(regions: readonly string[]): Split[] {
  const lobes = regions.map(lobeOf);
  return [...new Set(lobes)].map((lobe) => {
    const test = range(regions.length).filter((i) => lobes[i] === lobe);
    return { name: `lobe-${lobe}`, train: complement(regions.length, test), test };
  });
}

/** Train on one hemisphere, test on the other: `L->R` and `R->L`. Needs regions of both hemispheres. */
export function hemisphereSplits(regions: readonly string[]): Split[] {
  const side = regions.map(hemisphereOf);
  const left = range(regions.length).filter((i) => side[i] === 'L');
  const right = range(regions.length).filter((i) => side[i] === 'R');
  if (left.length === 0 || right.length === 0) {
    throw new RangeError('hemisphere splits need regions of both hemispheres');
  }
  return [
    { name: 'L->R', train: left, test: right },
    { name: 'R->L', train: right, test: left },
  ];
}

/**
 * The same splits with every test region's counterpart held out too: test ∪ counterparts(test), the
 * rest trains. Splits that become identical (a region's and its counterpart's) are kept once, so
 * leave-one-region-out becomes leave-one-pair-out. No test region can then be predicted by copying
 * its homologue, which the maps' left–right symmetry would otherwise reward.
 */
export function holdOutCounterparts(splits: readonly Split[], counterpart: Int32Array): Split[] {
  const n = counterpart.length;
  const seen = new Set<string>();
  return splits.flatMap((split) => {
    const test = withCounterparts(split.test, counterpart);
    const key = test.join(',');
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ name: split.name, train: complement(n, test), test }];
  });
}

/**
 * A partition of the regions into k spatial patches, each held out with its counterparts. The units
 * are the left regions (each with its right counterpart) and the right regions without one; k seed
 * units are spread over the mirrored centroids (|x|, y, z) by farthest-point sampling and every unit
 * joins its nearest seed (ties: the lower index). Every region is held out exactly once, so the pooled
 * figures score each region once. `only` restricts the partition (and training) to a subset of
 * regions, e.g. the left hemisphere. Splits `patch-<seed region>`.
 */
export function counterpartPatchSplits(
  mirrored: Float64Array,
  counterpart: Int32Array,
  hemispheres: readonly Hemisphere[],
  k: number,
  only?: readonly number[],
): Split[] {
  const regions = only ? [...only] : range(counterpart.length);
  const inScope = new Set(regions);
  const units = regions.filter((i) => hemispheres[i] === 'L' || !inScope.has(counterpart[i]!));
  if (!(Number.isInteger(k) && k >= 2 && k <= units.length))
    throw new RangeError(`patches must be an integer in 2…${units.length}, got ${k}`);
  const unitPoints = Float64Array.from(
    units.flatMap((i) => [mirrored[3 * i]!, mirrored[3 * i + 1]!, mirrored[3 * i + 2]!]),
  );
  const seeds = farthestPoints(unitPoints, k);
  const squared = (a: number, b: number) =>
    (unitPoints[3 * a]! - unitPoints[3 * b]!) ** 2 +
    (unitPoints[3 * a + 1]! - unitPoints[3 * b + 1]!) ** 2 +
    (unitPoints[3 * a + 2]! - unitPoints[3 * b + 2]!) ** 2;
  const cellOf = units.map((_, u) =>
    seeds.reduce((best, s, c) => (squared(u, s) < squared(u, seeds[best]!) ? c : best), 0),
  );
  return seeds.map((seed, c) => {
    const cell = units.filter((_, u) => cellOf[u] === c);
    const test = withCounterparts(cell, counterpart).filter((i) => inScope.has(i));
    const held = new Set(test);
    return { name: `patch-${units[seed]}`, train: regions.filter((i) => !held.has(i)), test };
  });
}
