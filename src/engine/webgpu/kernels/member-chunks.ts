/**
 * How the fused per-batch-member kernels (laplacian smoothness, mse, kl) split work: each member's
 * `perMember` elements are cut into chunks of LANES·perThread, one workgroup per (member, chunk),
 * each writing one partial sum into `partials` [B, chunks]. Members of up to 8192 elements take a
 * single workgroup, so their value needs no second pass; longer ones are totalled by a reduce.
 */
import type { KernelContext } from '../kernel-context';
import type { KernelSpec } from './kernel-registry';
import memberChunksSource from './member-chunks.wgsl';

/** The WGSL helpers (LANES, workgroup_sum) prepended to every kernel that uses this layout. */
export const MEMBER_CHUNKS_WGSL = memberChunksSource;

/** Elements per lane per workgroup at most: 32·LANES (8192 for 256 lanes) elements per chunk, so the shipped
 * 66 × 75 expression (4,950 per member) is one workgroup per member and needs no second pass. */
const MAX_PER_THREAD = 32;

export interface MemberChunks {
  /** Elements each lane handles (strided by LANES). */
  readonly perThread: number;
  /** Workgroups (and partial sums) per member. */
  readonly chunks: number;
  readonly grid: [number, number, number];
}

/**
 * perThread = min(32, ⌈perMember/LANES⌉), chunks = ⌈perMember / (LANES·perThread)⌉, B·chunks
 * workgroups, where LANES is `spec`'s workgroup size (read from its WGSL).
 */
export function planMemberChunks(
  ctx: KernelContext,
  spec: KernelSpec,
  members: number,
  perMember: number,
): MemberChunks {
  const lanes = ctx.lanes(spec);
  const perThread = Math.max(1, Math.min(MAX_PER_THREAD, Math.ceil(perMember / lanes)));
  const chunks = Math.max(1, Math.ceil(perMember / (lanes * perThread)));
  return { perThread, chunks, grid: ctx.grid(members * chunks) };
}
