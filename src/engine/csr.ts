/** Validation of a sparse symmetric matrix in CSR form, shared by both backends. */
import { EngineError, type CsrMatrix } from './backend';

/** Checks CSR structure (row pointers, column range, lengths, finiteness) and symmetry L = Lᵀ. */
export function validateCsr(m: CsrMatrix): void {
  const { n, rowPtr, colIndex, values } = m;
  if (!Number.isInteger(n) || n < 0) throw new EngineError(`uploadCsr: n must be a non-negative integer, got ${n}`);
  if (rowPtr.length !== n + 1)
    throw new EngineError(`uploadCsr: rowPtr has ${rowPtr.length} entries, expected n + 1 = ${n + 1}`);
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
    if (mirror !== v)
      throw new EngineError(`uploadCsr: matrix is not symmetric: L[${i},${j}] = ${v} but L[${j},${i}] = ${mirror}`);
  }
}
