/**
 * The one harness every peer library runs under, so the comparison is fair: the same seeded
 * matmul inputs checked against our cpu reference, the same warm-up and median-of-N sampling
 * (bench/timing.ts) as cortex-vae's kernels and training, every sample ending only when the work
 * is complete (a VAE sample when the last epoch's losses are read back to the host, as cortex-vae's
 * training samples end on their loss readback), and a failure anywhere recorded in its row.
 */
import { shapeSize, type Shape } from '../../src/engine/backend';
import { formatShape } from '../../src/engine/broadcast';
import { matmulCpu } from '../../src/engine/cpu/matmul';
import { compareOutputs, seededValues } from '../accuracy';
import { packageVersion } from '../machine';
import { measure, type RepPlan } from '../timing';
import type { TrainData } from '../train-data';
import type { PeerConfig, PeerResult, PeerRow, TimingStats } from '../types';
import { benchVaeInputs, layoutNote, VAE_ROW_NOTE, type PeerVae, type PeerVaeInputs, type VaeLayout } from './peer-vae';

/** Inputs in [−1, 1), inner sizes ≤ 1024: |peer − cpu| ≤ 1e-4·(1 + |cpu|), as our kernels. */
const MATMUL_TOLERANCE = 1e-4;

/** C = A·B with A [1|B, M, K] and B [1|B, K, N] broadcast over the batch. */
export interface PeerMatmul {
  case: string;
  a: Shape;
  b: Shape;
  /** How cortex-vae's row for this case differs (e.g. its fused bias + relu epilogue). */
  note?: string;
}

/** One epoch of B models at one training shape. */
export interface PeerVaeCase {
  case: string;
  data: TrainData;
  batch: number;
}

export interface PeerPlan {
  matmuls: PeerMatmul[];
  vaes: PeerVaeCase[];
  /** cortex-vae's kernel sampling, for the matmuls. */
  matmulRep: RepPlan;
  /** cortex-vae's training sampling (one warm-up interval, the same number of intervals), for the epochs. */
  vaeRep: RepPlan;
  /** A VAE case projected (from the same peer's last row at its shape) to take longer than this is skipped (cortex-vae's training budget). */
  vaeBudgetMs: number;
  /** Peers whose VAE cases are not run, with the reason. */
  vaeSkipped: Record<string, string>;
}

export interface MatmulInputs {
  a: Float32Array;
  b: Float32Array;
  expected: Float32Array;
}

/** A product set up on a peer. */
export interface PeerProduct {
  /** Runs the product `launches` times; resolves once all of them are complete. */
  run(launches: number): Promise<void>;
  /** Runs it once and reads the output back. */
  output(): Promise<Float32Array>;
  dispose(): void;
  /** How the peer computed it, where that differs from one batched product. */
  note?: string;
}

/** A peer library started on one backend. */
export interface PeerBackend {
  config: PeerConfig;
  /** Sets up a product; `layout` (for B > 1) is one of matmulLayouts. */
  matmul(m: PeerMatmul, inputs: MatmulInputs, layout?: VaeLayout): Promise<PeerProduct>;
  /** The layouts it runs a product of B > 1 members in, each timed in its own row (default: one batched product). */
  matmulLayouts?: VaeLayout[];
  /** Builds its VAE for these inputs in this layout (null: the library does not train; see vaeUnavailable). */
  vae: ((inputs: PeerVaeInputs, layout: VaeLayout) => PeerVae) | null;
  /** The layouts it trains B > 1 models in, each timed in its own row (B = 1 runs the first). */
  vaeLayouts: VaeLayout[];
  vaeUnavailable?: string;
  dispose(): Promise<void> | void;
}

/** A peer before it starts: its name, the npm package it is, and how to start it. */
export interface PeerSpec {
  name: string;
  package: string;
  /** Loads the library and starts the backend; throws with the reason when it cannot. */
  open(): Promise<PeerBackend>;
}

/** Seeded inputs and our cpu reference's product, computed once for every peer. */
export function matmulInputs(m: PeerMatmul, cache: Map<string, MatmulInputs>): MatmulInputs {
  let inputs = cache.get(m.case);
  if (!inputs) {
    const a = seededValues(shapeSize(m.a), 11);
    const b = seededValues(shapeSize(m.b), 12);
    const expected = matmulCpu({ data: a, shape: m.a }, { data: b, shape: m.b }, false, false, undefined, 'none').data;
    inputs = { a, b, expected };
    cache.set(m.case, inputs);
  }
  return inputs;
}

/** `measure`, and the process's CPU time over the wall time it took (all threads of the process). */
async function measureWithCpu(
  run: (launches: number) => Promise<void>,
  plan: RepPlan,
): Promise<{ timing: TimingStats; cpuPerWall: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const timing = await measure(run, plan);
  const used = process.cpuUsage(cpu);
  return { timing, cpuPerWall: (used.user + used.system) / 1000 / (performance.now() - start) };
}

const batchOf = (m: PeerMatmul): number => Math.max(m.a[0]!, m.b[0]!);

function matmulLabels(m: PeerMatmul, layout?: VaeLayout): Pick<PeerRow, 'case' | 'workload' | 'shape'> {
  const how = layout && batchOf(m) > 1 ? `, ${layout}` : '';
  return { case: m.case, workload: m.case, shape: `${formatShape(m.a)}·${formatShape(m.b)}${how}` };
}

async function matmulRow(
  peer: PeerBackend,
  m: PeerMatmul,
  inputs: MatmulInputs,
  plan: RepPlan,
  layout?: VaeLayout,
): Promise<PeerRow> {
  const [, rows, inner] = m.a as [number, number, number];
  const cols = m.b[2]!;
  const flops = 2 * batchOf(m) * rows * cols * inner;
  const product = await peer.matmul(m, inputs, layout);
  try {
    const agreement = compareOutputs([await product.output()], [inputs.expected]);
    const { timing, cpuPerWall } = await measureWithCpu((launches) => product.run(launches), plan);
    return {
      ...matmulLabels(m, layout),
      status: 'ok',
      timing,
      flops,
      cpuPerWall,
      gflops: flops / (timing.medianMs * 1e6),
      ...agreement,
      tolerance: MATMUL_TOLERANCE,
      withinTolerance: agreement.maxScaledError <= MATMUL_TOLERANCE,
      ...(product.note ? { note: product.note } : {}),
    };
  } finally {
    product.dispose();
  }
}

function vaeLabels(v: PeerVaeCase, layout?: VaeLayout): Pick<PeerRow, 'case' | 'workload' | 'shape'> {
  const how = layout && v.batch > 1 ? `, ${layout}` : '';
  return {
    case: v.case,
    workload: `VAE epoch (${v.data.shape.name})`,
    shape: `B=${v.batch}${how}, ${v.data.shape.regions}×${v.data.shape.genes}`,
  };
}

async function vaeRow(peer: PeerBackend, v: PeerVaeCase, layout: VaeLayout, plan: RepPlan): Promise<PeerRow> {
  const vae = peer.vae!(benchVaeInputs(v.data, v.batch), layout);
  const note = layoutNote(layout, v.batch);
  try {
    const { timing, cpuPerWall } = await measureWithCpu(async (epochs) => {
      for (let i = 0; i < epochs; i++) vae.step();
      const losses = await vae.lastLosses();
      if (!losses.every(Number.isFinite))
        throw new Error(`a model's loss is not finite (${losses.find((l) => !Number.isFinite(l))})`);
    }, plan);
    return {
      ...vaeLabels(v, layout),
      status: 'ok',
      timing,
      cpuPerWall,
      gflops: null,
      modelsEpochsPerSecond: v.batch / (timing.medianMs / 1000),
      note: [VAE_ROW_NOTE, ...(note ? [note] : [])].join('; '),
    };
  } finally {
    vae.dispose();
  }
}

/** A row whose workload threw records the message instead of ending the run. */
async function guarded(
  labels: Pick<PeerRow, 'case' | 'workload' | 'shape'>,
  run: () => Promise<PeerRow>,
): Promise<PeerRow> {
  try {
    return await run();
  } catch (error) {
    return {
      ...labels,
      status: 'unavailable',
      reason: `unavailable: ${(error as Error).message.split('\n')[0]}`,
      timing: null,
      gflops: null,
    };
  }
}

/**
 * Epoch time of this case projected from the same peer's last measured row at the same shape
 * (t·B/B′), and the case skipped when its warm-up and samples would overrun the budget.
 */
function overBudget(v: PeerVaeCase, done: readonly { v: PeerVaeCase; row: PeerRow }[], plan: PeerPlan): string | null {
  const before = [...done].reverse().find((d) => d.v.data === v.data && d.row.status === 'ok');
  if (!before) return null;
  const projectedMs = (before.row.timing!.medianMs * v.batch) / before.v.batch;
  const epochs = plan.vaeRep.warmup + plan.vaeRep.minSamples;
  if (projectedMs * epochs <= plan.vaeBudgetMs) return null;
  return `skipped: projected ${((projectedMs * epochs) / 1000).toFixed(0)} s for ${epochs} epochs (${(projectedMs / 1000).toFixed(2)} s/epoch from B=${before.v.batch}) > budget ${(plan.vaeBudgetMs / 1000).toFixed(0)} s`;
}

/** Starts one peer, runs every case on it, stops it. Never throws. */
export async function runPeer(
  spec: PeerSpec,
  plan: PeerPlan,
  cache: Map<string, MatmulInputs>,
  log: (line: string) => void,
): Promise<PeerResult> {
  const version = packageVersion(spec.package);
  const result: PeerResult = { name: spec.name, version, status: 'ok', rows: [] };
  if (version === null)
    return { ...result, status: 'unavailable', reason: `not installed (npm install -D ${spec.package})` };
  let peer: PeerBackend;
  try {
    log(`peer ${spec.name}: starting`);
    peer = await spec.open();
  } catch (error) {
    return { ...result, status: 'unavailable', reason: (error as Error).message.split('\n')[0] };
  }
  result.config = peer.config;
  try {
    for (const m of plan.matmuls) {
      const layouts = !peer.matmulLayouts
        ? [undefined]
        : batchOf(m) > 1
          ? peer.matmulLayouts
          : peer.matmulLayouts.slice(0, 1);
      for (const layout of layouts) {
        log(`peer ${spec.name}: ${m.case}${layout && batchOf(m) > 1 ? `, ${layout}` : ''}`);
        const row = () => matmulRow(peer, m, matmulInputs(m, cache), plan.matmulRep, layout);
        result.rows.push(await guarded(matmulLabels(m, layout), row));
      }
    }
    const done: { v: PeerVaeCase; row: PeerRow }[] = [];
    for (const v of plan.vaes) {
      const layouts = !peer.vae ? [undefined] : v.batch > 1 ? peer.vaeLayouts : peer.vaeLayouts.slice(0, 1);
      for (const layout of layouts) {
        const skipped =
          !peer.vae || !layout
            ? (peer.vaeUnavailable ?? 'does not train')
            : (plan.vaeSkipped[spec.name] ?? overBudget(v, done, plan));
        if (!skipped) log(`peer ${spec.name}: ${v.case}${v.batch > 1 ? `, ${layout}` : ''}`);
        const row: PeerRow = skipped
          ? { ...vaeLabels(v, layout), status: 'skipped', reason: skipped, timing: null, gflops: null }
          : await guarded(vaeLabels(v, layout), () => vaeRow(peer, v, layout!, plan.vaeRep));
        done.push({ v, row });
        result.rows.push(row);
      }
    }
  } finally {
    await peer.dispose();
  }
  return result;
}
