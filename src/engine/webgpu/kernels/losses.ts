/**
 * Launch wrappers for the fused losses: masked MSE and the Gaussian KL, each returning per-
 * workgroup partial sums [B, chunks] of its value and the gradient, from one dispatch.
 */
import { EngineError } from '../../backend';
import { formatShape } from '../../broadcast';
import { checkMseShapes, requireSameShape } from '../../argument-checks';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import lossesSource from './losses.wgsl';
import { MEMBER_CHUNKS_WGSL, planMemberChunks } from './member-chunks';

const source = MEMBER_CHUNKS_WGSL + lossesSource;
const mseKernel: KernelSpec = { name: 'mse', source, entryPoint: 'mse' };
const klKernel: KernelSpec = { name: 'kl', source, entryPoint: 'kl' };

export const lossKernels: readonly KernelSpec[] = [mseKernel, klKernel];

/** value[b] = Σ m·(p − t)²/D and grad = 2·m·(p − t)/D with D = max(1, C·Σ_n m[b, n]). */
export function launchMse(
  ctx: KernelContext,
  pred: GpuTensor,
  target: GpuTensor,
  mask: GpuTensor | undefined,
): { partials: GpuTensor; grad: GpuTensor } {
  const [batch, rows, cols] = checkMseShapes(pred.shape, target.shape, mask?.shape);
  const perMember = rows * cols;
  const { perThread, chunks, grid } = planMemberChunks(ctx, mseKernel, batch, perMember);
  const partials = ctx.allocate('mse', [batch, chunks]);
  const grad = ctx.allocate('mse', pred.shape);
  if (batch === 0) return { partials, grad };
  const params = {
    members: batch,
    rows,
    cols: Math.max(cols, 1),
    per_member: perMember,
    per_thread: perThread,
    chunks,
    target_stride: target.shape[0] === 1 ? 0 : perMember,
    mask_stride: mask && mask.shape[0] !== 1 ? rows : 0,
    has_mask: mask ? 1 : 0,
  };
  const buffers = { pred, targets: target, mask: mask ?? ctx.emptyInput, grad, partials };
  ctx.dispatch(mseKernel, buffers, params, grid);
  return { partials, grad };
}

/** value[b] = −½·mean(1 + logσ² − μ² − e^logσ²), gradMu = μ/S, gradLogVar = ½(e^logσ² − 1)/S. */
export function launchKl(
  ctx: KernelContext,
  mu: GpuTensor,
  logVar: GpuTensor,
): { partials: GpuTensor; gradMu: GpuTensor; gradLogVar: GpuTensor } {
  requireSameShape('kl', 'mu and logVar', mu.shape, logVar.shape);
  if (mu.shape.length < 1) throw new EngineError(`kl: mu ${formatShape(mu.shape)} must have a batch axis [B,...]`);
  const batch = mu.shape[0]!;
  const perMember = batch === 0 ? 0 : mu.size / batch;
  const { perThread, chunks, grid } = planMemberChunks(ctx, klKernel, batch, perMember);
  const partials = ctx.allocate('kl', [batch, chunks]);
  const gradMu = ctx.allocate('kl', mu.shape);
  const gradLogVar = ctx.allocate('kl', mu.shape);
  if (batch === 0) return { partials, gradMu, gradLogVar };
  const params = { members: batch, per_member: perMember, per_thread: perThread, chunks };
  const buffers = { mu, log_var: logVar, grad_mu: gradMu, grad_log_var: gradLogVar, partials };
  ctx.dispatch(klKernel, buffers, params, grid);
  return { partials, gradMu, gradLogVar };
}
