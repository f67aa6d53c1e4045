/** Launch wrapper for the fused gradient of the reparameterised sample with respect to logσ². */
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import source from './reparameterize-grad.wgsl';

const reparameterizeGradKernel: KernelSpec = { name: 'reparameterizeGrad', source, entryPoint: 'reparameterize_grad' };

export const reparameterizeGradKernels: readonly KernelSpec[] = [reparameterizeGradKernel];

/** dlogσ² = ½·((dz · exp(½·logσ²)) · ε); the three inputs share one shape (checked by the caller). */
export function launchReparameterizeGrad(
  ctx: KernelContext,
  dz: GpuTensor,
  logVar: GpuTensor,
  eps: GpuTensor,
): GpuTensor {
  const out = ctx.allocate('reparameterizeGrad', dz.shape);
  if (out.size === 0) return out;
  const params = { size: out.size };
  ctx.dispatch(
    reparameterizeGradKernel,
    { dz, log_var: logVar, eps, d_log_var: out },
    params,
    ctx.workgroupsFor(reparameterizeGradKernel, out.size),
  );
  return out;
}
