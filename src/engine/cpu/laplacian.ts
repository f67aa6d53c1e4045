/** CSR validation and the fused Laplacian smoothness kernel tr(Zᵀ L Z) with gradient 2 L Z. */
import { EngineError, type CsrMatrix, type Shape } from '../backend';
import { formatShape } from '../broadcast';

/** Checks CSR structure (row pointers, column range, lengths, finiteness) and symmetry L = Lᵀ. */
export function validateCsr(m: CsrMatrix): void {
  const { n, rowPtr, colIndex, values } = m;
  if (!Number.isInteger(n) || n < 0) throw new EngineError(`uploadCsr: n must be a non-negative integer, got ${n}`);
  if (rowPtr.length !== n + 1) throw new EngineError(`uploadCsr: rowPtr has ${rowPtr.length} entries, expected n + 1 = ${n + 1}`);
  if (rowPtr[0] !== 0) throw new EngineError(`uploadCsr: rowPtr[0] must be 0, got ${rowPtr[0]}`);
  if (colIndex.length !== values.length || rowPtr[n] !== values.length) {
    throw new EngineError(
      `uploadCsr: rowPtr[n] = ${rowPtr[n]}, colIndex has ${colIndex.length} and values ${values.length} entries; all three must agree`,
    );
  }
  const entries = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (rowPtr[i + 1]! < rowPtr[i]!) throw new EngineError(`uploadCsr: rowPtr decreases at row ${i}`);
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) {
      const j = colIndex[e]!;
      if (j >= n) throw new EngineError(`uploadCsr: row ${i} has column ${j}, outside 0..${n - 1}`);
      if (!Number.isFinite(values[e]!)) throw new EngineError(`uploadCsr: L[${i},${j}] is ${values[e]}`);
      const key = i * n + j;
      if (entries.has(key)) throw new EngineError(`uploadCsr: L[${i},${j}] is stored twice`);
      entries.set(key, values[e]!);
    }
  }
  for (const [key, v] of entries) {
    const i = Math.floor(key / n);
    const j = key % n;
    const mirror = entries.get(j * n + i) ?? 0;
    if (mirror !== v) throw new EngineError(`uploadCsr: matrix is not symmetric: L[${i},${j}] = ${v} but L[${j},${i}] = ${mirror}`);
  }
}

/**
 * For each batch member b: (LZ)[i,k] = Σ_j L[i,j] Z[b,j,k]; value[b] = Σ_{i,k} Z[b,i,k]·(LZ)[i,k]
 * = tr(Zᵀ L Z); grad[b] = 2·LZ (L symmetric). Float64 accumulation.
 */
export function laplacianSmoothnessCpu(
  z: { data: Float32Array; shape: Shape },
  m: CsrMatrix,
): { value: Float32Array; grad: Float32Array } {
  if (z.shape.length !== 3 || z.shape[1] !== m.n) {
    throw new EngineError(`laplacianSmoothness: Z ${formatShape(z.shape)} must be [B,${m.n},K] for a ${m.n}×${m.n} Laplacian`);
  }
  const [batch, n, k] = z.shape as [number, number, number];
  const value = new Float32Array(batch);
  const grad = new Float32Array(z.data.length);
  const lz = new Float64Array(k);
  for (let b = 0; b < batch; b++) {
    const base = b * n * k;
    let total = 0;
    for (let i = 0; i < n; i++) {
      lz.fill(0);
      for (let e = m.rowPtr[i]!; e < m.rowPtr[i + 1]!; e++) {
        const w = m.values[e]!;
        const row = base + m.colIndex[e]! * k;
        for (let c = 0; c < k; c++) lz[c]! += w * z.data[row + c]!;
      }
      for (let c = 0; c < k; c++) {
        total += z.data[base + i * k + c]! * lz[c]!;
        grad[base + i * k + c] = 2 * lz[c]!;
      }
    }
    value[b] = total;
  }
  return { value, grad };
}
