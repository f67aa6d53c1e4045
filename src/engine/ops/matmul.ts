/** Differentiable batched matmul with the fused bias + activation epilogue. */
import type { Activation, RawTensor } from '../backend';
import type { Tensor } from '../tensor';
import { fitMatmulOperand } from './shape-helpers';

/** Transposes, a bias added to every row, and an activation fused into one matmul. */
export interface MatmulOpOptions {
  transA?: boolean;
  transB?: boolean;
  /** [B|1, 1, N], added to every row before the activation. */
  bias?: Tensor;
  activation?: Activation;
}

/**
 * Y = act(op(A)·op(B) + bias). With P = dY ⊙ act′ (through Y):
 *   d op(A) = P·op(B)ᵀ (+ A's gradient from other ops, in the same kernel),  d op(B) = op(A)ᵀ·P,
 *   d bias = Σ_rows P (and Σ over batch for a batch-1 bias);
 * transposed operands take the transpose of those, written as matmuls with transpose flags. A
 * per-member bias's gradient comes out of the d op(B) matmul itself, as the column sums of P.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOpOptions = {}): Tensor {
  const engine = a.engine;
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  const activation = opts.activation ?? 'none';
  const inputs = opts.bias ? [a, b, opts.bias] : [a, b];
  const [aRaw, bRaw, biasRaw] = engine.operands('matmul', inputs) as [RawTensor, RawTensor, RawTensor | undefined];
  const y = engine.backend.matmul(aRaw, bRaw, { transA, transB, bias: biasRaw, activation });
  return engine.record('matmul', inputs, y, (g, dy, needs) => {
    const p = activation === 'none' ? dy : g.activationGrad(activation, y, dy);
    const grads: (RawTensor | null)[] = [null, null, null];
    const perMember = (t: RawTensor) => t.shape.length === 3 && t.shape[0] === p.shape[0];
    if (needs[0]) {
      // d op(A) = P·op(B)ᵀ; for transA, dA = (P·op(B)ᵀ)ᵀ = op(B)·Pᵀ; a [B, ·, ·] A's gradient so far
      // (from other ops) is added in the same kernel
      const addend = perMember(aRaw) ? g.takeGathered(0) : undefined;
      const dA = transA
        ? g.matmul(bRaw, p, { transA: transB, transB: true, addend })
        : g.matmul(p, bRaw, { transB: !transB, addend });
      grads[0] = fitMatmulOperand(g, dA, aRaw.shape);
    }
    const memberBias = biasRaw !== undefined && biasRaw.shape.length === 3 && biasRaw.shape[0] === p.shape[0];
    // a [B, ·, ·] operand's or bias's gradient is written straight into its slot, when it has one
    const intoB = perMember(bRaw) ? g.destination(1) : undefined;
    if (needs[1] && needs[2] && memberBias && !transB) {
      // [d op(B); d bias] = [op(A)ᵀ; 1ᵀ]·P in one pass
      const into = { output: intoB, columnSumsOutput: g.destination(2) };
      const { product, columnSums } = g.matmulWithColumnSums(aRaw, p, { transA: !transA, ...into });
      grads[1] = fitMatmulOperand(g, product, bRaw.shape);
      grads[2] = columnSums;
    } else if (needs[1]) {
      // d op(B) = op(A)ᵀ·P; for transB, dB = (op(A)ᵀ·P)ᵀ = Pᵀ·op(A)
      const dB = transB
        ? g.matmul(p, aRaw, { transA: true, transB: transA, output: intoB })
        : g.matmul(aRaw, p, { transA: !transA, output: intoB });
      grads[1] = fitMatmulOperand(g, dB, bRaw.shape);
    }
    if (biasRaw && needs[2] && grads[2] === null) {
      // d bias = Σ_rows P, and Σ over the batch too for a batch-1 bias
      const overBatch = biasRaw.shape[0] === 1 && p.shape[0] !== 1;
      const intoBias = biasRaw.shape.length === 3 ? g.destination(2) : undefined;
      grads[2] = g.reduce('sum', p, overBatch ? [0, 1] : [1], { output: intoBias });
    }
    return grads.slice(0, inputs.length);
  });
}
