/** Fused per-batch-member losses with their gradients: masked MSE and the Gaussian KL. */
import { EngineError, type Shape } from '../backend';
import { formatShape, sameShape } from '../broadcast';
import { checkMseShapes } from '../argument-checks';

interface Operand {
  readonly data: Float32Array;
  readonly shape: Shape;
}

/**
 * value[b] = Σ_{n,c} m[b,n]·(p − t)² / max(1, C·Σ_n m[b,n]);
 * grad[b,n,c] = 2·m[b,n]·(p − t) / max(1, C·Σ_n m[b,n]).
 */
export function mseCpu(
  pred: Operand,
  target: Operand,
  mask: Operand | undefined,
): { value: Float32Array; grad: Float32Array } {
  const [batch, n, c] = checkMseShapes(pred.shape, target.shape, mask?.shape);
  const value = new Float32Array(batch);
  const grad = new Float32Array(pred.data.length);
  for (let b = 0; b < batch; b++) {
    const tBase = (target.shape[0] === 1 ? 0 : b) * n * c;
    const mBase = mask && mask.shape[0] !== 1 ? b * n : 0;
    const weight = (row: number) => (mask ? mask.data[mBase + row]! : 1);
    let maskSum = 0;
    for (let row = 0; row < n; row++) maskSum += weight(row);
    const denominator = Math.max(1, c * maskSum);
    let total = 0;
    for (let row = 0; row < n; row++) {
      const w = weight(row);
      for (let col = 0; col < c; col++) {
        const at = (b * n + row) * c + col;
        const diff = pred.data[at]! - target.data[tBase + row * c + col]!;
        total += w * diff * diff;
        grad[at] = (2 * w * diff) / denominator;
      }
    }
    value[b] = total / denominator;
  }
  return { value, grad };
}

/**
 * KL(N(μ,σ²) ‖ N(0,1)) averaged over the S = N·K entries of each member:
 * value[b] = −½·mean(1 + logσ² − μ² − e^logσ²); gradMu = μ/S; gradLogVar = ½(e^logσ² − 1)/S.
 */
export function klCpu(
  mu: Operand,
  logVar: Operand,
): { value: Float32Array; gradMu: Float32Array; gradLogVar: Float32Array } {
  if (!sameShape(mu.shape, logVar.shape) || mu.shape.length < 1) {
    throw new EngineError(
      `kl: mu ${formatShape(mu.shape)} and logVar ${formatShape(logVar.shape)} must have the same shape [B,...]`,
    );
  }
  const batch = mu.shape[0]!;
  const perMember = mu.data.length / Math.max(batch, 1);
  const value = new Float32Array(batch);
  const gradMu = new Float32Array(mu.data.length);
  const gradLogVar = new Float32Array(mu.data.length);
  for (let b = 0; b < batch; b++) {
    let total = 0;
    for (let i = b * perMember; i < (b + 1) * perMember; i++) {
      const m = mu.data[i]!;
      const variance = Math.exp(logVar.data[i]!);
      total += 1 + logVar.data[i]! - m * m - variance;
      gradMu[i] = m / perMember;
      gradLogVar[i] = (0.5 * (variance - 1)) / perMember;
    }
    value[b] = (-0.5 * total) / perMember;
  }
  return { value, gradMu, gradLogVar };
}
