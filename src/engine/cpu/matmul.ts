/** Batched matrix product with optional transposes and a fused bias + activation epilogue. */
import type { Activation, Shape } from '../backend';
import { activate } from '../activation';
import { planMatmul } from '../matmul-plan';

export interface MatmulOperand {
  readonly data: Float32Array;
  readonly shape: Shape;
}

/**
 * C[b] = act(op(A[b]) · op(B[b]) + bias[b]), inner products accumulated in float64.
 * B in [K, N]: loop i, k, j (row of C += A[i,k] · row k of B, both contiguous);
 * B stored [N, K] (transB): loop i, j, k (C[i,j] = row i of op(A) · row j of B).
 */
export function matmulCpu(
  a: MatmulOperand,
  b: MatmulOperand,
  transA: boolean,
  transB: boolean,
  bias: MatmulOperand | undefined,
  activation: Activation,
): { data: Float32Array; shape: Shape } {
  const { batch, m, k, n } = planMatmul(a.shape, b.shape, transA, transB, bias?.shape);
  const out = new Float32Array(batch * m * n);
  const batchA = a.shape.length === 3 ? a.shape[0]! : 1;
  const batchB = b.shape.length === 3 ? b.shape[0]! : 1;
  const batchBias = bias ? bias.shape[0]! : 1;
  // element (i, kk) of op(A) sits at i·aRow + kk·aCol
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const row = new Float64Array(n);
  const aData = a.data;
  const bData = b.data;
  for (let bb = 0; bb < batch; bb++) {
    const aBase = (batchA === 1 ? 0 : bb) * m * k;
    const bBase = (batchB === 1 ? 0 : bb) * k * n;
    const biasBase = (batchBias === 1 ? 0 : bb) * n;
    for (let i = 0; i < m; i++) {
      const aRowBase = aBase + i * aRow;
      if (transB) {
        for (let j = 0; j < n; j++) {
          const bRowBase = bBase + j * k;
          let dot = 0;
          for (let kk = 0; kk < k; kk++) dot += aData[aRowBase + kk * aCol]! * bData[bRowBase + kk]!;
          row[j] = dot;
        }
      } else {
        row.fill(0);
        for (let kk = 0; kk < k; kk++) {
          const aik = aData[aRowBase + kk * aCol]!;
          const bRowBase = bBase + kk * n;
          for (let j = 0; j < n; j++) row[j]! += aik * bData[bRowBase + j]!;
        }
      }
      const outBase = (bb * m + i) * n;
      for (let j = 0; j < n; j++) {
        const pre = row[j]! + (bias ? bias.data[biasBase + j]! : 0);
        out[outBase + j] = activate(activation, pre);
      }
    }
  }
  return { data: out, shape: [batch, m, n] };
}

/** s[b, j] = Σ_kk op(B)[b, kk, j] (float64 sums), shape [batch, 1, n]; a batch-1 B repeats over the batch. */
export function columnSumsCpu(b: MatmulOperand, transB: boolean, batch: number, k: number, n: number): Float32Array {
  const sums = new Float32Array(batch * n);
  const batchB = b.shape.length === 3 ? b.shape[0]! : 1;
  // element (kk, j) of op(B) sits at kk·bRow + j·bCol
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  for (let bb = 0; bb < batch; bb++) {
    const bBase = (batchB === 1 ? 0 : bb) * k * n;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let kk = 0; kk < k; kk++) sum += b.data[bBase + kk * bRow + j * bCol]!;
      sums[bb * n + j] = sum;
    }
  }
  return sums;
}
