/**
 * Homologous regions of the two hemispheres: `L_<name>` and `R_<name>` are counterparts. The
 * vulnerability maps are nearly symmetric, so a region's counterpart is the strongest no-gene
 * predictor there is; the counterpart-aware schemes, the symmetric nulls and the counterpart-copy
 * baseline are built on this pairing.
 */
import type { Hemisphere } from '../atlas';

/** counterpart[i] = index of region i's homologue in the other hemisphere, or −1 when it is not in the list. */
export function counterpartIndex(regions: readonly string[]): Int32Array {
  const index = new Map(regions.map((region, i) => [region, i]));
  return Int32Array.from(regions, (region) => {
    const side = region.slice(0, 2);
    const other = side === 'L_' ? 'R_' : side === 'R_' ? 'L_' : null;
    return other === null ? -1 : (index.get(other + region.slice(2)) ?? -1);
  });
}

/** Surface centroids with x → |x|: homologous regions land on (nearly) the same point. */
export function mirroredCentroids(surface: Float64Array): Float64Array {
  return surface.map((v, i) => (i % 3 === 0 ? Math.abs(v) : v));
}

/** The matched pairs (left index, right index), in left-index order. */
export function matchedPairs(hemisphere: readonly Hemisphere[], counterpart: Int32Array): [number, number][] {
  const pairs: [number, number][] = [];
  hemisphere.forEach((side, i) => {
    if (side === 'L' && counterpart[i]! >= 0) pairs.push([i, counterpart[i]!]);
  });
  return pairs;
}

/** A set of regions together with the counterparts of its members (sorted). */
export function withCounterparts(regions: readonly number[], counterpart: Int32Array): number[] {
  const set = new Set(regions);
  for (const i of regions) if (counterpart[i]! >= 0) set.add(counterpart[i]!);
  return [...set].sort((a, b) => a - b);
}
