/**
 * The benchmark suite: kernels against the cpu reference, fused against unfused, fixed overheads,
 * end-to-end training throughput over batch sizes, and the JavaScript peers (bench/peers) on the
 * same matmuls and VAE epochs, with cortex-vae / best peer per case. `runBench` is what both
 * `npm run bench` (bench/main.ts) and `cortex-vae bench` call.
 */
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { requestGpuBackend, type WebGpuBackend } from '../src/engine/webgpu';
import { defaultDataDir } from '../src/pipeline/cli/config';
import { dk68Graph } from './graphs';
import { runKernelCase } from './kernel-case';
import { kernelSuite } from './kernel-suite';
import { choosePeak, describeMachine } from './machine';
import { DEFAULT_OUT, type BenchOptions } from './options';
import { measureOverheads } from './overheads';
import { peerComparisons } from './peers/comparisons';
import { peerPlanOf } from './peers/peer-plan';
import { runPeers } from './peers/run-peers';
import { FULL_PLAN, GPU_PLAN, QUICK_PLAN, type BenchPlan } from './plan';
import { runProfiles } from './profile';
import { trainData, type TrainData } from './train-data';
import { projectCpu, timeBatches } from './training';
import type { BenchResult, CpuProjection, FusionPair, KernelRow, Overheads, PeerResult, TrainingRow } from './types';
import { writeResults } from './write-results';

export type { BenchOptions } from './options';
export type { BenchResult } from './types';

/** A fresh webgpu backend, or the reason there is none. */
async function openSubject(notes: string[]): Promise<WebGpuBackend | null> {
  const request = await requestGpuBackend();
  if ('backend' in request) return request.backend;
  notes.push(`webgpu unavailable (${request.reason}): only the cpu reference was timed`);
  return null;
}

function fusionPairs(rows: readonly KernelRow[], pairs: ReturnType<typeof kernelSuite>['pairs']): FusionPair[] {
  return pairs.map(({ name, fused, unfused }) => {
    const f = rows.find((r) => r.name === fused);
    const u = rows.find((r) => r.name === unfused);
    if (f?.subject && u?.subject) return { name, fused, unfused, speedup: u.subject.medianMs / f.subject.medianMs };
    const missing = [f, u].find((r) => !r?.subject);
    return { name, fused, unfused, speedup: null, reason: missing?.reason ?? 'not run' };
  });
}

const PEERS_NOTE =
  'peers at their best: each case is compared with the fastest configuration of any peer ' +
  '(library, build — tfjs-wasm threaded and single-threaded — and layout of B > 1 models, batched or a loop ' +
  'of single-model programs); every configuration keeps its own row';

/** The best matmul GFLOP/s of the run (ours, the reference's, the peers'), with who reached it. */
function bestMatmul(rows: readonly KernelRow[], peers: readonly PeerResult[]): { gflops: number; by: string } | null {
  const candidates: { gflops: number; by: string }[] = [];
  for (const r of rows.filter((row) => row.group === 'matmul')) {
    if (r.subjectGflops !== null) candidates.push({ gflops: r.subjectGflops, by: `${r.name}, backend under test` });
    if (r.referenceGflops !== null) candidates.push({ gflops: r.referenceGflops, by: `${r.name}, cpu reference` });
  }
  for (const p of peers)
    for (const r of p.rows)
      if (r.flops && r.gflops !== null && r.withinTolerance)
        candidates.push({ gflops: r.gflops, by: `${p.name} ${r.workload}` });
  return candidates.reduce<{ gflops: number; by: string } | null>(
    (best, c) => (best && best.gflops >= c.gflops ? best : c),
    null,
  );
}

async function runKernels(
  plan: BenchPlan,
  subject: WebGpuBackend | null,
  reference: CpuBackend,
  dataDir: string,
  log: (line: string) => void,
) {
  const dk = dk68Graph(dataDir);
  const suite = kernelSuite(plan, subject, dk);
  const rows: KernelRow[] = [];
  for (const c of suite.cases) {
    log(`kernel ${c.name} ${c.shape}`);
    rows.push(await runKernelCase(c, subject, reference, plan.kernelRep));
  }
  return { rows, fusion: fusionPairs(rows, suite.pairs), dk };
}

async function runTraining(
  plan: BenchPlan,
  subject: WebGpuBackend | null,
  reference: CpuBackend,
  shapes: TrainData[],
  log: (line: string) => void,
) {
  const subjectEngine = subject ? new Engine(subject) : null;
  const cpuEngine = new Engine(reference);
  const rows: TrainingRow[] = [];
  const cpuProjection: CpuProjection[] = [];
  for (const data of shapes) {
    const [batches, cpuBatches] =
      data.shape.name === 'shipped'
        ? [plan.training.batches, plan.training.cpuBatches]
        : [plan.paperBatches, plan.paperCpuBatches];
    if (subjectEngine) rows.push(...(await timeBatches(subjectEngine, 'webgpu', data, batches, plan.training, log)));
    const cpuRows = await timeBatches(cpuEngine, 'cpu', data, cpuBatches, plan.training, log);
    rows.push(...cpuRows);
    cpuProjection.push(...projectCpu(data.shape, cpuRows, batches));
  }
  return { shapes: shapes.map((d) => d.shape), rows, cpuProjection };
}

/** Model 0 has the same seed on both backends: its first logged loss should agree closely. */
function lossAgreement(rows: readonly TrainingRow[]): string[] {
  const notes: string[] = [];
  for (const gpu of rows.filter((r) => r.backend === 'webgpu' && r.firstLoss !== null)) {
    const cpu = rows.find(
      (r) => r.backend === 'cpu' && r.shape === gpu.shape && r.logEvery === gpu.logEvery && r.firstLoss !== null,
    );
    if (!cpu) continue;
    const diff = Math.abs(gpu.firstLoss! - cpu.firstLoss!) / Math.max(1e-12, Math.abs(cpu.firstLoss!));
    notes.push(
      `${gpu.shape} B=${gpu.batch}: loss of model 0 at epoch ${gpu.logEvery}: webgpu ${gpu.firstLoss!.toPrecision(7)}, cpu ${cpu.firstLoss!.toPrecision(7)} (relative difference ${diff.toExponential(1)})`,
    );
  }
  return notes;
}

const NO_OVERHEADS: Omit<Overheads, 'reason'> = {
  emptyDispatchUs: null,
  emptySubmit: null,
  emptyBatch: null,
  roundTrip: null,
  compileEmpty: null,
  compileMatmul: null,
};

/**
 * Runs the suite and writes latest.json, a timestamped copy and latest.html into `options.out`.
 * Kernel rows whose backend call throws are recorded "unavailable" with the message; the run goes on.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const startedAt = new Date();
  const plan = options.quick ? QUICK_PLAN : options.gpu ? GPU_PLAN : FULL_PLAN;
  const log = options.log ?? (() => undefined);
  const backend = options.backend ?? 'webgpu';
  const dataDir = options.dataDir ?? defaultDataDir();
  const notes: string[] = [];
  const reference = new CpuBackend();

  // kernels and overheads on one device; training on a fresh one, so pooled kernel buffers are gone
  let subject = backend === 'webgpu' ? await openSubject(notes) : null;
  const machine = describeMachine(subject, reference);
  let kernels: Awaited<ReturnType<typeof runKernels>>;
  let overheads: Overheads;
  try {
    kernels = await runKernels(plan, subject, reference, dataDir, log);
    log('fixed overheads');
    overheads = subject
      ? await measureOverheads(
          subject,
          plan.overheads.rep,
          plan.overheads.dispatchesPerBatch,
          plan.overheads.compileSamples,
        )
      : { ...NO_OVERHEADS, reason: 'no webgpu backend under test' };
  } finally {
    subject?.destroy();
  }

  const shapes = [trainData('shipped', dataDir), trainData('paper', dataDir)];
  subject = subject ? await openSubject(notes) : null;
  let training: BenchResult['training'];
  try {
    training = await runTraining(plan, subject, reference, shapes, log);
  } finally {
    subject?.destroy();
  }

  const profiles = subject
    ? await runProfiles(
        plan.profiles.map((p) => ({ ...p, data: p.shape === 'shipped' ? shapes[0]! : shapes[1]! })),
        log,
      )
    : [];

  // the peers run last, so nothing of theirs (threads, devices, memory) overlaps cortex-vae's timings
  const peerPlan = peerPlanOf(plan, shapes, kernels.rows);
  const peers: PeerResult[] =
    options.peers === false
      ? [{ name: 'peers', version: null, status: 'unavailable', reason: 'skipped (--no-peers)', rows: [] }]
      : await runPeers(peerPlan, log);

  const peak = choosePeak(subject, bestMatmul(kernels.rows, peers));
  const fraction = (gflops: number | null) => (gflops !== null && peak.gflops ? gflops / peak.gflops : null);
  for (const row of kernels.rows) if (row.group === 'matmul') row.fractionOfPeak = fraction(row.subjectGflops);
  for (const p of peers) for (const row of p.rows) if (row.flops) row.fractionOfPeak = fraction(row.gflops);

  const finishedAt = new Date();
  const result: BenchResult = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    wallSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    quick: options.quick ?? false,
    backend,
    machine,
    peak,
    kernels: kernels.rows,
    fusion: kernels.fusion,
    overheads,
    training,
    peers,
    profiles,
    peerComparisons: peerComparisons(peerPlan.matmuls, peerPlan.vaes, kernels.rows, training.rows, peers),
    notes: [
      ...notes,
      ...lossAgreement(training.rows),
      PEERS_NOTE,
      `graphs: DK68 from ${kernels.dk.source}`,
      ...shapes.map((d) => `training ${d.shape.name} shape: ${d.shape.source}`),
    ],
    files: [],
  };
  result.files = writeResults(result, options.out ?? DEFAULT_OUT);
  return result;
}
