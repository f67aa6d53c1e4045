/** Differentiable fused model ops; each backend kernel returns its value and gradient in one pass. */
import type { DeviceCsr, RandomKey, RawTensor } from '../backend';
import type { Tensor } from '../tensor';
import { scaleByMember } from './shape-helpers';

/** value[b] = tr(Z[b]ᵀ L Z[b]) → [B]; dZ[b] = 2 L Z[b] · dy[b] (+ Z's gradient so far, in the same kernel). */
export function laplacianSmoothness(z: Tensor, laplacian: DeviceCsr): Tensor {
  const engine = z.engine;
  const [zRaw] = engine.operands('laplacianSmoothness', [z]) as [RawTensor];
  const { value, grad } = engine.backend.laplacianSmoothness(zRaw, laplacian);
  return engine.record('laplacianSmoothness', [z], value, (g, dy) => [scaleByMember(g, grad, dy, g.takeGathered(0))], [
    grad,
  ]);
}

/**
 * z = μ + exp(½·logσ²) ⊙ ε, ε ~ N(0, 1) from Philox (see Backend.reparameterize).
 * dμ = dz; dlogσ² = ½·((dz ⊙ exp(½·logσ²)) ⊙ ε), both (each plus its input's gradient so far) in
 * one kernel (Backend.reparameterizeGrad).
 */
export function reparameterize(mu: Tensor, logVar: Tensor, key: RandomKey): Tensor {
  const engine = mu.engine;
  const backend = engine.backend;
  const [muRaw, logVarRaw] = engine.operands('reparameterize', [mu, logVar]) as [RawTensor, RawTensor];
  const { z, eps } = backend.reparameterize(muRaw, logVarRaw, key);
  return engine.record(
    'reparameterize',
    [mu, logVar],
    z,
    (g, dz, needs) => {
      if (!needs[1]) return [dz, null];
      const gathered = { mu: needs[0] ? g.takeGathered(0) : undefined, logVar: g.takeGathered(1) };
      const { dMu, dLogVar } = g.reparameterizeGrad(dz, logVarRaw, eps, gathered);
      return [needs[0] ? dMu : null, dLogVar];
    },
    [eps],
  );
}

/**
 * Masked mean squared error per batch member → [B] (see Backend.mse); target and mask are
 * constants. dpred = grad ⊙ dy[b] (+ pred's gradient so far, in the same kernel).
 */
export function mse(pred: Tensor, target: Tensor, mask?: Tensor): Tensor {
  const engine = pred.engine;
  const [predRaw, targetRaw, maskRaw] = engine.operands('mse', mask ? [pred, target, mask] : [pred, target]) as [
    RawTensor,
    RawTensor,
    RawTensor | undefined,
  ];
  const { value, grad } = engine.backend.mse(predRaw, targetRaw, maskRaw);
  return engine.record('mse', [pred], value, (g, dy) => [scaleByMember(g, grad, dy, g.takeGathered(0))], [grad]);
}

/**
 * KL(N(μ, σ²) ‖ N(0, 1)) per batch member, mean over entries → [B] (see Backend.kl).
 * dμ = gradMu ⊙ dy[b]; dlogσ² = gradLogVar ⊙ dy[b] (each + its input's gradient so far, in the same kernel).
 */
export function kl(mu: Tensor, logVar: Tensor): Tensor {
  const engine = mu.engine;
  const [muRaw, logVarRaw] = engine.operands('kl', [mu, logVar]) as [RawTensor, RawTensor];
  const { value, gradMu, gradLogVar } = engine.backend.kl(muRaw, logVarRaw);
  return engine.record(
    'kl',
    [mu, logVar],
    value,
    (g, dy, needs) => [
      needs[0] ? scaleByMember(g, gradMu, dy, g.takeGathered(0)) : null,
      needs[1] ? scaleByMember(g, gradLogVar, dy, g.takeGathered(1)) : null,
    ],
    [gradMu, gradLogVar],
  );
}

/**
 * Σ_k w_k·t_k, summed as (w0·t0 + w1·t1) + (w2·t2 + w3·t3) in one kernel (Backend.weightedSum): 1 to
 * 4 terms of one shape; a weight is a number or a [1] tensor and is not differentiated.
 * d t_k = w_k·dy, all in one kernel (Backend.weightedSumGrad).
 */
export function weightedSum(terms: readonly Tensor[], weights: readonly (number | Tensor)[]): Tensor {
  const engine = terms[0]!.engine;
  const backend = engine.backend;
  const termsRaw = engine.operands('weightedSum', terms);
  const weightsRaw = weights.map((w) => (typeof w === 'number' ? w : engine.operands('weightedSum', [w])[0]!));
  const total = backend.weightedSum(termsRaw, weightsRaw);
  // d t_k = w_k·dy, every term's in one kernel
  return engine.record('weightedSum', terms, total, (g, dy, needs) =>
    g.weightedSumGrad(dy, weightsRaw).map((d, k) => (needs[k] ? d : null)),
  );
}
