/**
 * Launch wrapper for sum/mean over any set of axes (kept as size 1). Short reductions — at most
 * 2048 values per output (bias gradients: sums over the N region rows of [B, N, H]; per-member
 * totals) — run one thread per output. Long ones run as a tree: each pass sums chunks of 1024
 * values per workgroup into partial sums (two-level workgroup_sum, two barriers), and passes repeat
 * until one value per output remains, so float32 rounding grows slowly with count, not linearly.
 * The choice depends on the length of the sums only, never on how many outputs (batch members)
 * there are, so a model's sums are the same whatever batch it trains in. (A workgroup per short
 * output dominated training; barriers are costly on CPU adapters.)
 */
import { shapeSize, type ReduceOp } from '../../backend';
import { checkOutput } from '../../argument-checks';
import { padShape, rowMajorStrides } from '../../broadcast';
import { normaliseAxes, reducedShape } from '../../reduce-axes';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import { u32Constants, type KernelSpec } from './kernel-registry';
import { MEMBER_CHUNKS_WGSL } from './member-chunks';
import reduceSource from './reduce.wgsl';

/** Values each reduce_tree lane adds before the workgroup sum: a chunk is LANES·TREE_PER_THREAD values. */
const TREE_PER_THREAD = 4;
const source = u32Constants({ PER_THREAD: TREE_PER_THREAD }) + MEMBER_CHUNKS_WGSL + reduceSource;
const serialKernel: KernelSpec = { name: 'reduce-serial', source, entryPoint: 'reduce_serial' };
const treeKernel: KernelSpec = { name: 'reduce-tree', source, entryPoint: 'reduce_tree' };

export const reduceKernels: readonly KernelSpec[] = [serialKernel, treeKernel];

const SERIAL_LIMIT = 2048;

/** Index maps of one pass: output index → kept offset, reduced index → reduced offset (rank 4). */
interface PassLayout {
  out_dims: number[];
  kept_strides: number[];
  reduced_dims: number[];
  reduced_strides: number[];
  out_count: number;
  reduced_count: number;
}

/** The first pass reads the input tensor: strides split into kept and reduced axes. */
function inputLayout(shape: readonly number[], axes: readonly number[]): PassLayout {
  const lead = 4 - shape.length;
  const dims = padShape(shape);
  const strides = rowMajorStrides(dims);
  const reduced = (axis: number) => axes.includes(axis - lead);
  return {
    out_dims: dims.map((d, i) => (reduced(i) ? 1 : d)),
    kept_strides: strides.map((s, i) => (reduced(i) ? 0 : s)),
    reduced_dims: dims.map((d, i) => (reduced(i) ? d : 1)),
    reduced_strides: strides.map((s, i) => (reduced(i) ? s : 0)),
    out_count: shapeSize(reducedShape(shape, axes)),
    reduced_count: axes.reduce((p, axis) => p * shape[axis]!, 1),
  };
}

/** Later passes read partial sums laid out [out_count, count], reducing the last axis. */
function partialsLayout(outCount: number, count: number): PassLayout {
  return {
    out_dims: [1, 1, 1, outCount],
    kept_strides: [0, 0, 0, count],
    reduced_dims: [1, 1, 1, count],
    reduced_strides: [0, 0, 0, 1],
    out_count: outCount,
    reduced_count: count,
  };
}

/** Sum or mean of x over `axes`, into `output` when given (of the result's shape), else new storage. */
export function launchReduce(
  ctx: KernelContext,
  op: ReduceOp,
  x: GpuTensor,
  axesIn: readonly number[],
  output?: GpuTensor,
): GpuTensor {
  const name = `reduce ${op}`;
  const axes = normaliseAxes(name, x.shape, axesIn);
  const shape = reducedShape(x.shape, axes);
  let layout = inputLayout(x.shape, axes);
  if (output) checkOutput(name, output, shape);
  const out = output ?? ctx.allocate(name, shape);
  if (layout.out_count === 0) return out;
  // mean divides by the number of values folded into each output, once, in the last pass
  const finalScale = op === 'mean' ? 1 / layout.reduced_count : 1;
  if (layout.reduced_count <= SERIAL_LIMIT) {
    const params = { ...layout, chunks: 1, scale: finalScale };
    ctx.dispatch(serialKernel, { x, out }, params, ctx.workgroupsFor(serialKernel, layout.out_count));
    return out;
  }
  let input = x;
  while (true) {
    const chunks = Math.ceil(layout.reduced_count / (ctx.lanes(treeKernel) * TREE_PER_THREAD));
    const last = chunks === 1;
    const target = last ? out : ctx.allocate(name, [layout.out_count, chunks]);
    const params = { ...layout, chunks, scale: last ? finalScale : 1 };
    ctx.dispatch(treeKernel, { x: input, out: target }, params, ctx.grid(layout.out_count * chunks));
    if (input !== x) ctx.release(input);
    if (last) return out;
    input = target;
    layout = partialsLayout(layout.out_count, chunks);
  }
}
