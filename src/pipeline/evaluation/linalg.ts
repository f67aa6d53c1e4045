/**
 * Small dense linear algebra for the baselines (matrices of at most N×N = 68×68 and N×G kernels).
 * Matrices are row-major Float64Array; `n` is the order of a square matrix.
 */

/** Cholesky factor L (lower triangular, row-major) with A = L Lᵀ; throws if A is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      // L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj, and L_ii = √(A_ii − Σ_{k<i} L_ik²)
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`cholesky: matrix is not positive definite (pivot ${i} = ${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves A x = b from A's Cholesky factor: L z = b forward, then Lᵀ x = z backward. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i]! -= l[i * n + k]! * x[k]!;
    x[i]! /= l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i]! -= l[k * n + i]! * x[k]!;
    x[i]! /= l[i * n + i]!;
  }
  return x;
}

/** Solves a general square system A x = b by Gaussian elimination with partial pivoting. */
export function solve(a: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    if (m[pivot * n + col] === 0) throw new RangeError(`solve: matrix is singular (column ${col})`);
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c]!, m[col * n + c]!];
      [x[col], x[pivot]] = [x[pivot]!, x[col]!];
    }
    for (let r = col + 1; r < n; r++) {
      const factor = m[r * n + col]! / m[col * n + col]!;
      for (let c = col; c < n; c++) m[r * n + c]! -= factor * m[col * n + c]!;
      x[r]! -= factor * x[col]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let c = r + 1; c < n; c++) x[r]! -= m[r * n + c]! * x[c]!;
    x[r]! /= m[r * n + r]!;
  }
  return x;
}

export interface SymmetricEigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** n×n row-major; column k is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition A = V Λ Vᵀ of a symmetric matrix in two O(n³) steps (the EISPACK tred2/tql2
 * algorithms, as in JAMA): Householder reflections reduce A to a tridiagonal T = QᵀAQ, then the
 * implicit QL method with Wilkinson-type shifts diagonalises T, accumulating all rotations into V.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const v = Array.from({ length: n }, (_, i) => Float64Array.from(a.subarray(i * n, i * n + n)));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  householderTridiagonalize(v, d, e, n);
  implicitQl(v, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k]![from]!;
  });
  return { values: Float64Array.from(order, (i) => d[i]!), vectors };
}

/** tred2: on return d = diagonal and e = sub-diagonal (e[0] = 0) of T, and v = Q (A = Q T Qᵀ). */
function householderTridiagonalize(v: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  if (n === 0) return;
  for (let j = 0; j < n; j++) d[j] = v[n - 1]![j]!;
  for (let i = n - 1; i > 0; i--) {
    // reflection that zeroes row i left of the sub-diagonal: H = I − uuᵀ/h, u from the scaled row
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[i - 1]![j]!;
        v[i]![j] = 0;
        v[j]![i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j]![i] = f;
        g = e[j]! + v[j]![j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k]![j]! * d[k]!;
          e[k]! += v[k]![j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k]![j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[i - 1]![j]!;
        v[i]![j] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the reflections into Q
  for (let i = 0; i < n - 1; i++) {
    v[n - 1]![i] = v[i]![i]!;
    v[i]![i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k]![i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k]![i + 1]! * v[k]![j]!;
        for (let k = 0; k <= i; k++) v[k]![j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k]![i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[n - 1]![j]!;
    v[n - 1]![j] = 0;
  }
  v[n - 1]![n - 1] = 1;
  e[0] = 0;
}

/** tql2: diagonalises the tridiagonal (d, e) by implicit QL sweeps; d becomes the eigenvalues, v the eigenvectors. */
function implicitQl(v: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  if (n === 0) return;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++; // find a negligible sub-diagonal element
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error('symmetricEigen: QL iteration did not converge');
        // shift from the leading 2×2 block
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        // plane rotations chase the bulge from m back to l
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const vk = v[k]!;
            h = vk[i + 1]!;
            vk[i + 1] = s * vk[i]! + c * h;
            vk[i] = c * vk[i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** y = A x for an r×c row-major A. */
export function matVec(a: Float64Array, rows: number, cols: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[i * cols + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** y = Aᵀ x for an r×c row-major A. */
export function matTVec(a: Float64Array, rows: number, cols: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    for (let j = 0; j < cols; j++) y[j]! += a[i * cols + j]! * xi;
  }
  return y;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
