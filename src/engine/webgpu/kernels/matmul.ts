/**
 * Launch wrapper for batched matmul C[b] = act(op(A[b])·op(B[b]) + bias[b]) in three variants,
 * one grid layer per batch member:
 * - `subgroups`: no shared memory, loads of op(A) shared across a subgroup by shuffles (best on
 *   CPU adapters with a fixed subgroup size, such as lavapipe); tiles of (SG·QA) × (SG·C), with a
 *   tall narrow tile for outputs of few columns and op(B) read as vec4 where its rows allow (or,
 *   for a transposed op(B), its columns);
 * - `registers`: no shared memory, 8×8 outputs per thread in registers (CPU adapters without
 *   subgroups), 64×64 tiles;
 * - `tiled`: shared-memory tiles (real GPUs), 64×64 tiles.
 */
import { EngineError, type Activation } from '../../backend';
import { checkOutput } from '../../argument-checks';
import { planMatmul } from '../../matmul-plan';
import { formatShape } from '../../broadcast';
import type { GpuTensor } from '../gpu-tensor';
import type { KernelContext } from '../kernel-context';
import { ACTIVATION_CODES } from '../../activation';
import { ACTIVATION_WGSL } from './elementwise';
import { u32Constants, type KernelSpec } from './kernel-registry';
import interfaceSource from './matmul-interface.wgsl';
import storeSource from './matmul-store.wgsl';
import storeVec4Source from './matmul-store-vec4.wgsl';
import registersSource from './matmul-registers.wgsl';
import subgroupsSource from './matmul-subgroups.wgsl';
import subgroupsRowsSource from './matmul-subgroups-rows.wgsl';
import subgroupsVec4Source from './matmul-subgroups-vec4.wgsl';
import subgroupsVec4TransposedSource from './matmul-subgroups-vec4-transposed.wgsl';
import tiledSource from './matmul-tiled.wgsl';

/** The matmul kernel family in use: per-thread register tiles, workgroup-shared tiles, or subgroup shuffles. */
export type MatmulVariant = 'registers' | 'tiled' | 'subgroups';

/** What a matmul does after its sums: add a bias and apply an activation, or also emit column sums; add an addend. */
interface Epilogue {
  activation: Activation;
  columnSums: boolean;
  addend: boolean;
}

/** Rows and columns of C that one workgroup of the portable variants computes. */
const TILE = 64;

/**
 * The subgroup variant's tiles: QA·SG rows × C·SG columns per workgroup (C = 4·C4 in the vec4
 * kernels). `wide` (24×32 at SG = 8) for most outputs — of 2×8, 3×8, 3×6 and 3×4 (QA×C) it took the
 * least total time over the VAE's five big products at 66×787, B = 16 and 64 (lavapipe, 2 cores;
 * 2×8 lost most on P·Wd2ᵀ); `narrow` (32×16) where C has at most 2·SG columns (the VAE's K = 16
 * latent columns), so few computed columns are thrown away; `vec4` (24×64) where op(B)'s rows are
 * whole vec4s (see `subgroupTile`) — of 2×2, 3×1, 3×2, 4×1, 4×2 and 2×3 (QA×C4) 3×2 was fastest
 * on 1024³ and the VAE's products with 256 columns; `vec4Transposed` (24×64) where op(B) = Bᵀ and
 * B's rows are whole vec4s — of 3×2, 3×1, 2×2 and 4×1, 3×2 was fastest on dμ·Wμᵀ (66×16·16×256,
 * B = 1 and 64, in a harness not kept).
 * `vec4Columns`: the kernel computes and stores four adjacent columns at once (constant C4 = C / 4).
 */
const SUBGROUP_TILES = {
  wide: { source: subgroupsSource, entryPoint: 'matmul_subgroups', qa: 3, c: 4, vec4Columns: false },
  narrow: { source: subgroupsSource, entryPoint: 'matmul_subgroups', qa: 4, c: 2, vec4Columns: false },
  vec4: { source: subgroupsVec4Source, entryPoint: 'matmul_subgroups_vec4', qa: 3, c: 8, vec4Columns: true },
  vec4Transposed: {
    source: subgroupsVec4TransposedSource,
    entryPoint: 'matmul_subgroups_vec4_transposed',
    qa: 3,
    c: 8,
    vec4Columns: true,
  },
} as const;
export type SubgroupTile = keyof typeof SUBGROUP_TILES;

const SOURCES = {
  registers: { source: registersSource, entryPoint: 'matmul_registers' },
  tiled: { source: tiledSource, entryPoint: 'matmul_tiled' },
} as const;

/**
 * The subgroup tile for an op(A)·op(B) of inner size k and n columns: `narrow` up to 2·SG
 * columns; `vec4` where op(B) is not transposed and n is a multiple of 4 (then every row of B, and
 * every batch of k·n values, starts on a vec4); `vec4Transposed` where op(B) = Bᵀ and both k and
 * n are multiples of 4 (likewise for B's rows of k values; a version with four scalar stores in
 * place of the vec4 store, for n not a multiple of 4, lost to `wide` on P·Wd2ᵀ at 66×75 in one
 * profile, 0.30 against 0.23 ms, and was not kept);
 * `wide` otherwise.
 */
export function subgroupTile(n: number, k: number, transB: boolean, subgroupSize: number): SubgroupTile {
  if (n <= SUBGROUP_TILES.narrow.c * subgroupSize) return 'narrow';
  if (n % 4 !== 0) return 'wide';
  if (!transB) return 'vec4';
  return k % 4 === 0 ? 'vec4Transposed' : 'wide';
}

const specs = new Map<string, KernelSpec>();

/**
 * The kernel of one variant (and subgroup tile) with one epilogue, its constants prepended.
 * Specs are made once and shared, so each compiles once.
 */
function matmulSpec(
  variant: MatmulVariant,
  tile: SubgroupTile | null,
  subgroupSize: number | null,
  epilogue: Epilogue,
): KernelSpec {
  const key = `${variant}:${tile}:${subgroupSize}:${epilogue.activation}:${epilogue.columnSums}:${epilogue.addend}`;
  let spec = specs.get(key);
  if (!spec) {
    const constants =
      u32Constants({ EPILOGUE_ACTIVATION: ACTIVATION_CODES[epilogue.activation] }) +
      `const COLUMN_SUMS: bool = ${epilogue.columnSums};\nconst ADDEND: bool = ${epilogue.addend};\n`;
    const shape = tile ? SUBGROUP_TILES[tile] : null;
    const tileConstants = shape
      ? u32Constants(
          shape.vec4Columns
            ? { SG: subgroupSize!, QA: shape.qa, C4: shape.c / 4 }
            : { SG: subgroupSize!, QA: shape.qa, C: shape.c },
        )
      : '';
    const { source, entryPoint } = shape ?? SOURCES[variant as keyof typeof SOURCES];
    spec = {
      name: tile ? `matmul-${variant}-${tile}` : `matmul-${variant}`,
      source: `${tile ? 'enable subgroups;\n' : ''}${tileConstants}${constants}${ACTIVATION_WGSL}${interfaceSource}${tile ? subgroupsRowsSource : ''}${shape?.vec4Columns ? storeVec4Source : storeSource}${source}`,
      entryPoint,
    };
    specs.set(key, spec);
  }
  return spec;
}

/** The epilogues training uses most, compiled when a backend opens; any other compiles on first use. */
const COMMON_EPILOGUES: readonly Epilogue[] = [
  { activation: 'none', columnSums: false, addend: false },
  { activation: 'relu', columnSums: false, addend: false },
  { activation: 'none', columnSums: true, addend: false },
  { activation: 'none', columnSums: false, addend: true },
];

/**
 * The matmul kernels to compile when a backend opens: the common epilogues of `variant` (both
 * subgroup tiles for the subgroups variant, which needs the adapter's fixed subgroup size).
 */
export function matmulKernels(variant: MatmulVariant, subgroupSize: number | null): KernelSpec[] {
  const tiles: (SubgroupTile | null)[] =
    variant === 'subgroups' ? (Object.keys(SUBGROUP_TILES) as SubgroupTile[]) : [null];
  return tiles.flatMap((tile) => COMMON_EPILOGUES.map((e) => matmulSpec(variant, tile, subgroupSize, e)));
}

/** The kernel and grid for a (rows)×n output of `batch` members. */
function plan(
  ctx: KernelContext,
  variant: MatmulVariant,
  epilogue: Epilogue,
  batch: number,
  rows: number,
  n: number,
  k: number,
  transB: boolean,
): { spec: KernelSpec; grid: [number, number, number] } {
  if (variant !== 'subgroups')
    return {
      spec: matmulSpec(variant, null, null, epilogue),
      grid: [Math.ceil(n / TILE), Math.ceil(rows / TILE), batch],
    };
  const sg = ctx.subgroupSize;
  if (sg === null) throw new EngineError('matmul: the subgroups variant needs an adapter with one fixed subgroup size');
  const tile = subgroupTile(n, k, transB, sg);
  const { qa, c } = SUBGROUP_TILES[tile];
  return {
    spec: matmulSpec(variant, tile, sg, epilogue),
    grid: [Math.ceil(n / (c * sg)), Math.ceil(rows / (qa * sg)), batch],
  };
}

export interface MatmulLaunch {
  transA: boolean;
  transB: boolean;
  bias: GpuTensor | undefined;
  activation: Activation;
  /** Written instead of new storage (the product's shape; checked here) */
  output?: GpuTensor | undefined;
  /** The column sums' destination, likewise */
  columnSumsOutput?: GpuTensor | undefined;
  /** Added to C after the activation, [batch, m, n] (checked here) */
  addend?: GpuTensor | undefined;
}

/** C[b] = act(op(A[b])·op(B[b]) + bias[b]), [B, M, N]. */
export function launchMatmul(
  ctx: KernelContext,
  variant: MatmulVariant,
  a: GpuTensor,
  b: GpuTensor,
  options: MatmulLaunch,
): GpuTensor {
  return encodeMatmul(ctx, variant, a, b, options, false).product;
}

/**
 * op(A[b])·op(B[b]), [B, M, N], and in the same pass the column sums of op(B[b]), [B, 1, N]: the
 * product computed with an extra row of ones under op(A) (see matmul-interface.wgsl).
 */
export function launchMatmulWithColumnSums(
  ctx: KernelContext,
  variant: MatmulVariant,
  a: GpuTensor,
  b: GpuTensor,
  options: Pick<MatmulLaunch, 'transA' | 'transB' | 'output' | 'columnSumsOutput'>,
): { product: GpuTensor; columnSums: GpuTensor } {
  const launch = { ...options, bias: undefined, activation: 'none' as const, addend: undefined };
  const { product, columnSums } = encodeMatmul(ctx, variant, a, b, launch, true);
  return { product, columnSums: columnSums! };
}

function encodeMatmul(
  ctx: KernelContext,
  variant: MatmulVariant,
  a: GpuTensor,
  b: GpuTensor,
  options: MatmulLaunch,
  withColumnSums: boolean,
): { product: GpuTensor; columnSums: GpuTensor | null } {
  const { transA, transB, bias, activation, addend } = options;
  const { batch, m, k, n } = planMatmul(a.shape, b.shape, transA, transB, bias?.shape);
  if (addend) checkOutput('matmul', addend, [batch, m, n], 'addend');
  const out = destination(ctx, options.output, [batch, m, n]);
  const columnSums = withColumnSums ? destination(ctx, options.columnSumsOutput, [batch, 1, n]) : null;
  if (batch * n === 0 || (m === 0 && !columnSums)) return { product: out, columnSums };
  if (batch > ctx.maxWorkgroupsPerDimension) {
    throw new EngineError(
      `matmul: batch ${batch} of output ${formatShape([batch, m, n])} exceeds this device's ${ctx.maxWorkgroupsPerDimension} workgroups per grid dimension; split the batch`,
    );
  }
  const batchA = a.shape.length === 3 ? a.shape[0]! : 1;
  const batchB = b.shape.length === 3 ? b.shape[0]! : 1;
  // element (i, kk) of op(A) sits at i·a_row + kk·a_col; element (kk, j) of op(B) at kk·b_row + j·b_col
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  const onesRow = columnSums ? 1 : 0;
  const params = {
    m,
    n,
    k,
    a_batch: batchA === 1 ? 0 : m * k,
    a_row: aRow,
    a_col: aCol,
    b_batch: batchB === 1 ? 0 : k * n,
    b_row: bRow,
    b_col: bCol,
    bias_batch: bias && bias.shape[0] !== 1 ? n : 0,
    has_bias: bias ? 1 : 0,
    rows: m + onesRow,
  };
  const buffers = {
    a,
    b,
    bias: bias ?? ctx.emptyInput,
    c: out,
    column_sums: columnSums ?? ctx.scratchOutput,
    addend: addend ?? ctx.emptyInput,
  };
  const shapes = `${formatShape([batchA, m, k])}·${formatShape([batchB, k, n])}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}${onesRow ? ' +1ᵀ' : ''}`;
  const cost = { flops: 2 * batch * (m + onesRow) * n * k, detail: shapes };
  const epilogue = { activation, columnSums: columnSums !== null, addend: addend !== undefined };
  const { spec, grid } = plan(ctx, variant, epilogue, batch, m + onesRow, n, k, transB);
  ctx.dispatch(spec, buffers, params, grid, cost);
  return { product: out, columnSums };
}

/** `output` when given (of the result's shape), else new storage. */
function destination(ctx: KernelContext, output: GpuTensor | undefined, shape: readonly number[]): GpuTensor {
  if (!output) return ctx.allocate('matmul', shape);
  checkOutput('matmul', output, shape);
  return output;
}
