/** Launch wrapper for the fused gradients of the reparameterised sample with respect to μ and logσ². */
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import source from './reparameterize-grad.wgsl';

const reparameterizeGradKernel: KernelSpec = { name: 'reparameterizeGrad', source, entryPoint: 'reparameterize_grad' };

export const reparameterizeGradKernels: readonly KernelSpec[] = [reparameterizeGradKernel];

/**
 * dμ = gathered_μ + dz and dlogσ² = gathered_logσ² + ½·((dz · exp(½·logσ²)) · ε) in one pass; every
 * tensor has dz's shape (checked by the caller); an absent gathered gradient counts as none.
 */
export function launchReparameterizeGrad(
  ctx: KernelContext,
  dz: GpuTensor,
  logVar: GpuTensor,
  eps: GpuTensor,
  gathered: { mu?: GpuTensor | undefined; logVar?: GpuTensor | undefined },
): { dMu: GpuTensor; dLogVar: GpuTensor } {
  const dMu = ctx.allocate('reparameterizeGrad', dz.shape);
  const dLogVar = ctx.allocate('reparameterizeGrad', dz.shape);
  if (dz.size === 0) return { dMu, dLogVar };
  const params = { size: dz.size, has_mu_so_far: gathered.mu ? 1 : 0, has_log_var_so_far: gathered.logVar ? 1 : 0 };
  const bindings = {
    dz,
    log_var: logVar,
    eps,
    d_mu: dMu,
    d_log_var: dLogVar,
    mu_so_far: gathered.mu ?? ctx.emptyInput,
    log_var_so_far: gathered.logVar ?? ctx.emptyInput,
  };
  ctx.dispatch(reparameterizeGradKernel, bindings, params, ctx.workgroupsFor(reparameterizeGradKernel, dz.size));
  return { dMu, dLogVar };
}
