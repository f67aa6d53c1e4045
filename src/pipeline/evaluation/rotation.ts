/** Uniformly random rotations of 3-space, for spin tests. Matrices are 3×3 row-major Float64Array. */
import type { Rng } from './rng';

/**
 * A rotation drawn from the Haar (uniform) measure on SO(3) (Mezzadri 2007):
 * A has i.i.d. N(0, 1) entries; A = QR by Gram–Schmidt on A's columns, which makes diag(R) > 0 —
 * the "sign correction" Q·diag(sign(diag R)) that renders Q Haar-distributed on O(3); a reflection
 * (det Q = −1) is turned into a rotation by negating Q's first column, as in Váša's rotate_parcellation.
 */
export function randomRotation(rng: Rng): Float64Array {
  const a = Float64Array.from({ length: 9 }, () => rng.normal());
  const q = new Float64Array(9);
  for (let col = 0; col < 3; col++) {
    // v = a_col − Σ_{k<col} (q_k · a_col) q_k, then q_col = v / ‖v‖
    const v = [a[col]!, a[3 + col]!, a[6 + col]!];
    for (let k = 0; k < col; k++) {
      const dot = q[k]! * v[0]! + q[3 + k]! * v[1]! + q[6 + k]! * v[2]!;
      for (let row = 0; row < 3; row++) v[row]! -= dot * q[3 * row + k]!;
    }
    const norm = Math.hypot(v[0]!, v[1]!, v[2]!);
    for (let row = 0; row < 3; row++) q[3 * row + col] = v[row]! / norm;
  }
  if (determinant3(q) < 0) for (let row = 0; row < 3; row++) q[3 * row] = -q[3 * row]!;
  return q;
}

export function determinant3(m: Float64Array): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

/** The mirror image S·R·S of a rotation, S = diag(−1, 1, 1): the same spin seen in the other hemisphere's mirrored sphere frame. */
export function mirrorRotation(r: Float64Array): Float64Array {
  // (S R S)_ij = s_i r_ij s_j with s = (−1, 1, 1): entries in exactly one of row 0 / column 0 flip sign.
  return Float64Array.from(r, (value, k) => ((Math.floor(k / 3) === 0) !== (k % 3 === 0) ? -value : value));
}

/** Rotates N points stored as rows: p′ = p·R (row-vector convention, as in `coord * TL`). */
export function rotatePoints(points: Float64Array, r: Float64Array): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i += 3) {
    for (let col = 0; col < 3; col++) {
      out[i + col] = points[i]! * r[col]! + points[i + 1]! * r[3 + col]! + points[i + 2]! * r[6 + col]!;
    }
  }
  return out;
}
