/**
 * Test-only readers for the shipped geometry files and a generator of spatially smooth random maps.
 * (Plain comma-split CSV: these files have no quoted fields.)
 */
import { readFileSync } from 'node:fs';
import type { Hemisphere } from '../src/pipeline/atlas';
import type { Rng } from '../src/pipeline/evaluation/rng';
import { DATA_DIR } from './fixtures/shipped-data';

export { DATA_DIR };
export const SPIN_FILE = `${DATA_DIR}/dk68_spin_permutations_1000_seed1234.csv`;

export interface Centroids {
  regions: string[];
  hemisphere: Hemisphere[];
  /** N×3 sphere centroids (radius 100, each hemisphere in its own frame). */
  sphere: Float64Array;
  /** N×3 cortical-surface centroids (fsaverage mm, one frame). */
  surface: Float64Array;
}

export function readCentroids(): Centroids {
  const [header, ...rows] = readFileSync(`${DATA_DIR}/dk68_centroids_fsa5.csv`, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
  const col = (name: string): number => header!.indexOf(name);
  const triple = (names: string[]): Float64Array =>
    Float64Array.from(rows.flatMap((r) => names.map((c) => Number(r[col(c)]))));
  return {
    regions: rows.map((r) => r[col('region')]!),
    hemisphere: rows.map((r) => r[col('hemi')] as Hemisphere),
    sphere: triple(['sphere_x', 'sphere_y', 'sphere_z']),
    surface: triple(['surf_x', 'surf_y', 'surf_z']),
  };
}

/**
 * A smooth random map: white noise ε smoothed with a Gaussian kernel over the sphere centroids,
 * mᵢ = Σⱼ exp(−‖cᵢ − cⱼ‖² / (2ℓ²)) εⱼ, summing within each hemisphere's own sphere.
 */
export function smoothRandomMap(c: Centroids, lengthScale: number, rng: Rng): Float64Array {
  const n = c.regions.length;
  const noise = Float64Array.from({ length: n }, () => rng.normal());
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) {
      if (c.hemisphere[j] !== c.hemisphere[i]) continue;
      const d2 =
        (c.sphere[3 * i]! - c.sphere[3 * j]!) ** 2 +
        (c.sphere[3 * i + 1]! - c.sphere[3 * j + 1]!) ** 2 +
        (c.sphere[3 * i + 2]! - c.sphere[3 * j + 2]!) ** 2;
      s += Math.exp(-d2 / (2 * lengthScale * lengthScale)) * noise[j]!;
    }
    return s;
  });
}
