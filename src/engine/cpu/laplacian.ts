/** The fused Laplacian smoothness kernel tr(Zᵀ L Z) with gradient 2 L Z (float64 reference). */
import { EngineError, type CsrMatrix, type Shape } from '../backend';
import { formatShape } from '../broadcast';

/**
 * For each batch member b: (LZ)[i,k] = Σ_j L[i,j] Z[b,j,k]; value[b] = Σ_{i,k} Z[b,i,k]·(LZ)[i,k]
 * = tr(Zᵀ L Z); grad[b] = 2·LZ (L symmetric). Float64 accumulation.
 */
export function laplacianSmoothnessCpu(
  z: { data: Float32Array; shape: Shape },
  m: CsrMatrix,
): { value: Float32Array; grad: Float32Array } {
  if (z.shape.length !== 3 || z.shape[1] !== m.n) {
    throw new EngineError(
      `laplacianSmoothness: Z ${formatShape(z.shape)} must be [B,${m.n},K] for a ${m.n}×${m.n} Laplacian`,
    );
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
