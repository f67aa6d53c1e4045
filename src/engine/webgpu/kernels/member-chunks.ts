/**
 * How the fused per-batch-member kernels (laplacian smoothness, mse, kl) split work: each member's
 * `perMember` elements are cut into chunks of LANES·perThread, one workgroup per (member, chunk),
 * each writing one partial sum into `partials` [B, chunks]. Members of up to 4096 elements take a
 * single workgroup, so their value needs no second pass; longer ones are totalled by a reduce.
 */
import type { KernelContext } from '../kernel-context';
import memberChunksSource from './member-chunks.wgsl';

/** The WGSL helpers (LANES, workgroup_sum) prepended to every kernel that uses this layout. */
export const MEMBER_CHUNKS_WGSL = memberChunksSource;

const LANES = 256;
/** Elements per lane per workgroup at most: 16·256 = 4096 elements per chunk. */
const MAX_PER_THREAD = 16;

export interface MemberChunks {
  /** Elements each lane handles (strided by LANES). */
  readonly perThread: number;
  /** Workgroups (and partial sums) per member. */
  readonly chunks: number;
  readonly grid: [number, number, number];
}

/** perThread = min(16, ⌈perMember/256⌉), chunks = ⌈perMember / (256·perThread)⌉, B·chunks workgroups. */
export function planMemberChunks(ctx: KernelContext, members: number, perMember: number): MemberChunks {
  const perThread = Math.max(1, Math.min(MAX_PER_THREAD, Math.ceil(perMember / LANES)));
  const chunks = Math.max(1, Math.ceil(perMember / (LANES * perThread)));
  return { perThread, chunks, grid: ctx.grid(members * chunks) };
}
