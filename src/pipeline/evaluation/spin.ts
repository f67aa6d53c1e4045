/**
 * Spin permutations (Alexander-Bloch et al. 2018; Váša et al. 2018): rotate the regions' sphere
 * centroids by a uniformly random rotation and reassign each region to a rotated one nearby,
 * one-to-one within each hemisphere. A map permuted this way keeps its spatial autocorrelation,
 * so it is the null for "two maps correlate only because both are smooth".
 */
import type { Hemisphere } from '../atlas';
import { hungarian } from './hungarian';
import { createRng } from './rng';
import { mirrorRotation, randomRotation, rotatePoints } from './rotation';

/**
 * Spin permutations: sphere centroids and hemispheres of the regions, how many spins, the seed, and the
 * matching method.
 */
export interface SpinOptions {
  /** N×3 sphere centroids; each hemisphere in its own sphere frame, the right one mirrored (x → −x). */
  sphere: Float64Array;
  hemisphere: readonly Hemisphere[];
  /** Number of spins. */
  n: number;
  seed: number;
  /** 'hungarian': optimal one-to-one assignment (minimum total distance); 'vasa': Váša's greedy "most distant minimum" order. */
  method: 'hungarian' | 'vasa';
  /**
   * counterpart[i]: region i's homologue or −1 (evaluation/counterparts.ts). Given, the spin keeps the
   * map's left–right symmetry: the left regions that have a counterpart are spun, and each right
   * counterpart receives the counterpart of its left partner's source, P[c(i)] = c(P[i]); regions
   * without a counterpart are spun among themselves, within their hemisphere (fixed when alone).
   */
  counterpart?: Int32Array;
}

interface SpinGroup {
  side: Hemisphere;
  indices: number[];
  points: Float64Array;
}

/** The regions spun together: each hemisphere, or with `counterpart` the matched left regions and each side's unmatched ones. */
function spinGroups(sphere: Float64Array, hemisphere: readonly Hemisphere[], counterpart?: Int32Array): SpinGroup[] {
  const members = (side: Hemisphere, matched: boolean | null) =>
    hemisphere.flatMap((h, i) => (h === side && (matched === null || counterpart![i]! >= 0 === matched) ? [i] : []));
  const lists: [Hemisphere, number[]][] = counterpart
    ? [
        ['L', members('L', true)],
        ['L', members('L', false)],
        ['R', members('R', false)],
      ]
    : [
        ['L', members('L', null)],
        ['R', members('R', null)],
      ];
  return lists
    .filter(([, indices]) => indices.length > 0)
    .map(([side, indices]) => {
      const points = new Float64Array(indices.length * 3);
      indices.forEach((region, k) => points.set(sphere.subarray(3 * region, 3 * region + 3), 3 * k));
      return { side, indices, points };
    });
}

/** d(i, j) = ‖cᵢ − c′ⱼ‖ between original centroid i and rotated centroid j (n×n row-major). */
function distanceMatrix(original: Float64Array, rotated: Float64Array): Float64Array {
  const n = original.length / 3;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      d[i * n + j] = Math.hypot(
        original[3 * i]! - rotated[3 * j]!,
        original[3 * i + 1]! - rotated[3 * j + 1]!,
        original[3 * i + 2]! - rotated[3 * j + 2]!,
      );
    }
  }
  return d;
}

/**
 * Váša's greedy assignment (rotate_parcellation.m): repeatedly take the unassigned original region
 * whose nearest unassigned rotated region is farthest away (the hardest to place) and give it that
 * nearest region. Returns assignment[original] = rotated.
 */
function vasaAssignment(distance: Float64Array, n: number): Int32Array {
  const assignment = new Int32Array(n).fill(-1);
  const rotatedTaken = new Uint8Array(n);
  for (let step = 0; step < n; step++) {
    let hardestRow = -1;
    let hardestColumn = -1;
    let hardestMin = -Infinity;
    for (let i = 0; i < n; i++) {
      if (assignment[i] !== -1) continue;
      let best = -1;
      for (let j = 0; j < n; j++) {
        if (!rotatedTaken[j] && (best === -1 || distance[i * n + j]! < distance[i * n + best]!)) best = j;
      }
      if (distance[i * n + best]! > hardestMin) {
        hardestMin = distance[i * n + best]!;
        hardestRow = i;
        hardestColumn = best;
      }
    }
    assignment[hardestRow] = hardestColumn;
    rotatedTaken[hardestColumn] = 1;
  }
  return assignment;
}

/**
 * `n` spin permutations P: the k-th null map is null_k[i] = y[P[k][i]] — region i receives the value
 * of the region whose rotated centroid was assigned to i's position. Left centroids are rotated by R,
 * right ones by S·R·S with S = diag(−1, 1, 1), so both hemispheres spin as mirror images.
 * Each permutation maps each hemisphere onto itself; with `counterpart` it also maps pairs to pairs.
 */
export function spinPermutations(options: SpinOptions): Int32Array[] {
  const { sphere, hemisphere, n, seed, method, counterpart } = options;
  const regionCount = hemisphere.length;
  if (sphere.length !== 3 * regionCount) {
    throw new RangeError(`sphere has ${sphere.length / 3} centroids for ${regionCount} hemisphere labels`);
  }
  if (counterpart && counterpart.length !== regionCount) {
    throw new RangeError(`counterpart has ${counterpart.length} entries for ${regionCount} regions`);
  }
  const groups = spinGroups(sphere, hemisphere, counterpart);

  const rng = createRng(seed);
  const permutations: Int32Array[] = [];
  for (let k = 0; k < n; k++) {
    const rotation = randomRotation(rng);
    const permutation = new Int32Array(regionCount);
    for (const { side, indices, points } of groups) {
      const rotated = rotatePoints(points, side === 'L' ? rotation : mirrorRotation(rotation));
      const distance = distanceMatrix(points, rotated);
      const assignment =
        method === 'hungarian' ? hungarian(distance, indices.length) : vasaAssignment(distance, indices.length);
      indices.forEach((region, local) => (permutation[region] = indices[assignment[local]!]!));
    }
    if (counterpart) {
      hemisphere.forEach((side, i) => {
        if (side === 'L' && counterpart[i]! >= 0) permutation[counterpart[i]!] = counterpart[permutation[i]!]!;
      });
    }
    permutations.push(permutation);
  }
  return permutations;
}

/** null[i] = y[P[i]]. */
export function permute(y: Float64Array, permutation: Int32Array): Float64Array {
  return Float64Array.from(permutation, (source) => y[source]!);
}

/**
 * Permutation p-value with the observed statistic counted as one of the draws (Phipson & Smyth 2010):
 * p = (1 + #{nullₖ ≥ observed}) / (1 + n); 'two-sided' compares |nullₖ| ≥ |observed|.
 * NaN nulls (a constant spun map) count as not exceeding.
 */
export function spinPValue(observed: number, nulls: ArrayLike<number>, tail: 'greater' | 'two-sided'): number {
  let exceed = 0;
  for (let k = 0; k < nulls.length; k++) {
    const value = nulls[k]!;
    if (tail === 'greater' ? value >= observed : Math.abs(value) >= Math.abs(observed)) exceed++;
  }
  return (1 + exceed) / (1 + nulls.length);
}
