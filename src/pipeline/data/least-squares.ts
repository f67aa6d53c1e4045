/** Ordinary least squares for small designs through the normal equations AᵀA β = Aᵀy (Gaussian elimination, partial pivoting). */

/** β minimising ‖Aβ − y‖², or undefined when AᵀA is singular (collinear columns). */
export function leastSquares(A: number[][], y: number[]): number[] | undefined {
  const p = A[0]!.length;
  // Augmented normal equations [AᵀA | Aᵀy].
  const M = Array.from({ length: p }, (_, i) => {
    const row = new Array<number>(p + 1).fill(0);
    A.forEach((a, n) => { for (let j = 0; j < p; j++) row[j]! += a[i]! * a[j]!; row[p]! += a[i]! * y[n]!; });
    return row;
  });
  const scale = Math.max(...M.map((r, i) => Math.abs(r[i]!)));
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[pivot]![col]!)) pivot = r;
    if (Math.abs(M[pivot]![col]!) <= 1e-12 * scale) return undefined;
    [M[col], M[pivot]] = [M[pivot]!, M[col]!];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = M[r]![col]! / M[col]![col]!;
      for (let c = col; c <= p; c++) M[r]![c]! -= f * M[col]![c]!;
    }
  }
  return M.map((r, i) => r[p]! / r[i]!);
}
