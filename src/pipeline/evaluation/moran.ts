/**
 * Moran spectral randomisation (Wagner & Dadashkarimi 2018; compared with spins by Burt et al. 2020 and
 * Markello & Mišić 2021), the second null family: surrogate maps with the real map's spatial
 * autocorrelation, reached without rotating a sphere. Over m centroids, W_ij = 1/d_ij (i ≠ j, 0 on the
 * diagonal), doubly centred W̃ = HWH with H = I − 11ᵀ/m; its eigenvectors v_k (Moran eigenvector maps)
 * span the centred maps. With c_k = v_kᵀ(y − ȳ), Moran's I = (m/S₀) Σ λ_k c_k² / Σ c_k², so a
 * surrogate that flips each coefficient's sign at random ("singleton", as BrainSpace does),
 *   y* = ȳ + Σ_k s_k c_k v_k,  s_k ∈ {−1, +1},
 * keeps ȳ, ‖y − ȳ‖ and Moran's I exactly while scrambling where the values sit.
 */
import { symmetricEigen } from './linalg';
import { createRng, type Rng } from './rng';

/** Eigenvectors (m×m row-major, column k = v_k) of the doubly centred inverse-distance matrix over N×3 points. */
export function moranEigenvectors(points: Float64Array): Float64Array {
  const m = points.length / 3;
  const w = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const d = Math.hypot(
        points[3 * i]! - points[3 * j]!,
        points[3 * i + 1]! - points[3 * j + 1]!,
        points[3 * i + 2]! - points[3 * j + 2]!,
      );
      w[i * m + j] = 1 / Math.max(d, 1e-9);
    }
  }
  // W̃ = HWH: subtract row and column means, add back the grand mean
  const rowMean = Float64Array.from(
    { length: m },
    (_, i) => w.subarray(i * m, (i + 1) * m).reduce((s, v) => s + v, 0) / m,
  );
  const grand = rowMean.reduce((s, v) => s + v, 0) / m;
  const centred = Float64Array.from(w, (v, k) => v - rowMean[Math.floor(k / m)]! - rowMean[k % m]! + grand);
  return symmetricEigen(centred, m).vectors;
}

/** y* = ȳ + Σ_k s_k c_k v_k with c_k = v_kᵀ(y − ȳ) and random signs s_k. */
export function flipMoranSigns(values: Float64Array, vectors: Float64Array, rng: Rng): Float64Array {
  const m = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / m;
  const out = new Float64Array(m).fill(mean);
  for (let k = 0; k < m; k++) {
    let c = 0;
    for (let i = 0; i < m; i++) c += vectors[i * m + k]! * (values[i]! - mean);
    const signed = rng.uniform() < 0.5 ? -c : c;
    for (let i = 0; i < m; i++) out[i]! += signed * vectors[i * m + k]!;
  }
  return out;
}

const pick = (points: Float64Array, indices: readonly number[]) =>
  Float64Array.from(indices.flatMap((i) => [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!]));

export interface MoranOptions {
  /** N×3 mirrored surface centroids (|x|, y, z): a pair's two regions share one point. */
  mirrored: Float64Array;
  /** counterpart[i]: region i's homologue or −1 (evaluation/counterparts.ts). */
  counterpart: Int32Array;
  hemisphere: readonly ('L' | 'R')[];
  count: number;
  seed: number;
  /** Randomise these regions only, on their own (e.g. the left hemisphere); the others keep their values. */
  only?: readonly number[];
}

/**
 * `count` Moran surrogates of y. Over both hemispheres the left–right symmetry is kept: each matched
 * pair (l, r) is split into its mean sₚ = (y_l + y_r)/2 and half-difference dₚ = (y_l − y_r)/2; the
 * means (with every unmatched region's own value, at its mirrored centroid) and the half-differences
 * are randomised independently, each over its own Moran basis, and y*_l = s* + d*, y*_r = s* − d*,
 * y*_u = s*_u. The pair structure, and so the map's symmetry, is carried into every surrogate.
 */
export function moranSurrogates(y: Float64Array, options: MoranOptions): Float64Array[] {
  const { mirrored, counterpart, hemisphere, count, seed, only } = options;
  const rng = createRng(seed);
  if (only) {
    const vectors = moranEigenvectors(pick(mirrored, only));
    return Array.from({ length: count }, () => {
      const surrogate = Float64Array.from(y);
      const values = flipMoranSigns(
        Float64Array.from(only, (i) => y[i]!),
        vectors,
        rng,
      );
      only.forEach((i, a) => (surrogate[i] = values[a]!));
      return surrogate;
    });
  }
  const pairs = hemisphere.flatMap((side, i) => (side === 'L' && counterpart[i]! >= 0 ? [i] : []));
  const units = [...pairs, ...hemisphere.flatMap((_, i) => (counterpart[i]! < 0 ? [i] : []))];
  const meanVectors = moranEigenvectors(pick(mirrored, units));
  const differenceVectors = pairs.length > 0 ? moranEigenvectors(pick(mirrored, pairs)) : new Float64Array(0);
  const means = Float64Array.from(units, (i) => (counterpart[i]! >= 0 ? (y[i]! + y[counterpart[i]!]!) / 2 : y[i]!));
  const halfDifferences = Float64Array.from(pairs, (l) => (y[l]! - y[counterpart[l]!]!) / 2);
  return Array.from({ length: count }, () => {
    const s = flipMoranSigns(means, meanVectors, rng);
    const d = flipMoranSigns(halfDifferences, differenceVectors, rng);
    const surrogate = new Float64Array(y.length);
    units.forEach((i, a) => (surrogate[i] = s[a]!));
    pairs.forEach((l, a) => {
      surrogate[l] = s[a]! + d[a]!;
      surrogate[counterpart[l]!] = s[a]! - d[a]!;
    });
    return surrogate;
  });
}
