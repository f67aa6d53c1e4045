/** Shape planning of the batched matrix product, shared by both backends. */
import { EngineError, type Shape } from './backend';
import { formatShape } from './broadcast';

export interface MatmulPlan {
  batch: number;
  m: number;
  k: number;
  n: number;
}

/** Rank-2 operands are batch 1: [r, c] → [1, r, c]. */
function asBatched(op: string, name: string, shape: Shape): readonly [number, number, number] {
  if (shape.length === 2) return [1, shape[0]!, shape[1]!];
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  throw new EngineError(`${op}: ${name} must be rank 2 or 3, got ${formatShape(shape)}`);
}

/**
 * Validates shapes: A [Ba, M, K] (transA: [Ba, K, M]), B [Bb, K, N] (transB: [Bb, N, K]),
 * Ba = Bb or one of them 1, bias [Ba|Bb|1, 1, N]. Returns the output dimensions.
 */
export function planMatmul(a: Shape, b: Shape, transA: boolean, transB: boolean, bias: Shape | undefined): MatmulPlan {
  const [batchA, rowsA, colsA] = asBatched('matmul', 'A', a);
  const [batchB, rowsB, colsB] = asBatched('matmul', 'B', b);
  const [m, kA] = transA ? [colsA, rowsA] : [rowsA, colsA];
  const [kB, n] = transB ? [colsB, rowsB] : [rowsB, colsB];
  if (kA !== kB) {
    throw new EngineError(`matmul: inner dimensions differ: A ${formatShape(a)} vs B ${formatShape(b)}`);
  }
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new EngineError(`matmul: batch sizes differ: A ${formatShape(a)} vs B ${formatShape(b)}`);
  }
  const batch = Math.max(batchA, batchB);
  if (bias !== undefined) {
    const ok = bias.length === 3 && (bias[0] === batch || bias[0] === 1) && bias[1] === 1 && bias[2] === n;
    if (!ok) {
      throw new EngineError(
        `matmul: bias ${formatShape(bias)} must be [${batch}|1,1,${n}] for output [${batch},${m},${n}]`,
      );
    }
  }
  return { batch, m, k: kA, n };
}
