/** Differentiable fused model ops; each backend kernel returns its value and gradient in one pass. */
import type { DeviceCsr, RandomKey, RawTensor } from '../backend';
import type { Tensor } from '../tensor';
import { scaleByMember } from './shape-helpers';

/** value[b] = tr(Z[b]ᵀ L Z[b]) → [B]; dZ[b] = 2 L Z[b] · dy[b]. */
export function laplacianSmoothness(z: Tensor, laplacian: DeviceCsr): Tensor {
  const engine = z.engine;
  const [zRaw] = engine.operands('laplacianSmoothness', [z]) as [RawTensor];
  const { value, grad } = engine.backend.laplacianSmoothness(zRaw, laplacian);
  return engine.record('laplacianSmoothness', [z], value, (dy) => [scaleByMember(engine, grad, dy)], [grad]);
}

/**
 * z = μ + exp(½·logσ²) ⊙ ε, ε ~ N(0, 1) from Philox (see Backend.reparameterize).
 * dμ = dz; dlogσ² = ½·((dz ⊙ exp(½·logσ²)) ⊙ ε) in one kernel (Backend.reparameterizeGrad).
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
    (dz, needs) => {
      const dLogVar = needs[1] ? backend.reparameterizeGrad(dz, logVarRaw, eps) : null;
      return [dz, dLogVar];
    },
    [eps],
  );
}

/**
 * Masked mean squared error per batch member → [B] (see Backend.mse); target and mask are
 * constants. dpred = grad ⊙ dy[b].
 */
export function mse(pred: Tensor, target: Tensor, mask?: Tensor): Tensor {
  const engine = pred.engine;
  const [predRaw, targetRaw, maskRaw] = engine.operands('mse', mask ? [pred, target, mask] : [pred, target]) as [
    RawTensor,
    RawTensor,
    RawTensor | undefined,
  ];
  const { value, grad } = engine.backend.mse(predRaw, targetRaw, maskRaw);
  return engine.record('mse', [pred], value, (dy) => [scaleByMember(engine, grad, dy)], [grad]);
}

/**
 * KL(N(μ, σ²) ‖ N(0, 1)) per batch member, mean over entries → [B] (see Backend.kl).
 * dμ = gradMu ⊙ dy[b]; dlogσ² = gradLogVar ⊙ dy[b].
 */
export function kl(mu: Tensor, logVar: Tensor): Tensor {
  const engine = mu.engine;
  const [muRaw, logVarRaw] = engine.operands('kl', [mu, logVar]) as [RawTensor, RawTensor];
  const { value, gradMu, gradLogVar } = engine.backend.kl(muRaw, logVarRaw);
  return engine.record(
    'kl',
    [mu, logVar],
    value,
    (dy, needs) => [needs[0] ? scaleByMember(engine, gradMu, dy) : null, needs[1] ? scaleByMember(engine, gradLogVar, dy) : null],
    [gradMu, gradLogVar],
  );
}
