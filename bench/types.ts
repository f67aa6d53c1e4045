import type { TrainingProfile } from '../src/model/profile-training';
/** What one benchmark run produces: the shape of bench/results/latest.json. */

/** Wall-clock times of one measured thing over repeated samples, in milliseconds per launch. */
export interface TimingStats {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Interquartile range [q1, q3] of the samples. */
  q1Ms: number;
  q3Ms: number;
  /** Samples taken after warm-up. */
  samples: number;
  /** Launches recorded per sample (each sample's time is divided by this). */
  launchesPerSample: number;
}

/**
 * ok: measured and checked; unavailable: the backend threw (e.g. a kernel not implemented yet);
 * skipped: not run, for the reason given (memory, time, a dense matrix that cannot exist).
 */
export type RowStatus = 'ok' | 'unavailable' | 'skipped';

export type KernelGroup = 'matmul' | 'elementwise' | 'reduce' | 'laplacian' | 'sampling' | 'loss' | 'adam' | 'fusion';

/** One kernel (or op chain) timed on the subject backend and on the cpu reference, and checked. */
export interface KernelRow {
  group: KernelGroup;
  name: string;
  shape: string;
  status: RowStatus;
  reason?: string;
  note?: string;
  /** Floating-point operations of one launch (matmul: 2·B·M·N·K), when meaningful. */
  flops?: number;
  /** Minimum bytes one launch must move (inputs read once, outputs written once). */
  bytes?: number;
  /** Dispatches (kernel launches) one run records on the subject backend. */
  dispatches?: number;
  subject: TimingStats | null;
  reference: TimingStats | null;
  /** reference median / subject median: how many times faster the subject is. */
  speedup: number | null;
  subjectGflops: number | null;
  referenceGflops: number | null;
  subjectGBps: number | null;
  referenceGBps: number | null;
  /** max |subject − reference| over every output element. */
  maxAbsError: number | null;
  /** max |subject − reference| / (1 + |reference|): what `tolerance` bounds. */
  maxScaledError: number | null;
  tolerance: number;
  withinTolerance: boolean | null;
  /** subjectGflops / peak GFLOP/s (matmul rows, when a peak is known). */
  fractionOfPeak?: number | null;
}

/** A fused kernel against the op chain it replaces, both on the subject backend. */
export interface FusionPair {
  name: string;
  fused: string;
  unfused: string;
  /** unfused median / fused median on the subject backend; null when either did not run. */
  speedup: number | null;
  reason?: string;
}

export interface Overheads {
  /** Cost of one more empty dispatch inside a submit: (T(n) − T(1)) / (n − 1). */
  emptyDispatchUs: number | null;
  /** One empty dispatch, submitted and waited for. */
  emptySubmit: TimingStats | null;
  /** `dispatches` empty dispatches in one submit, waited for. */
  emptyBatch: { dispatches: number; timing: TimingStats } | null;
  /** Submit + copy + map of a 4-byte tensor. */
  roundTrip: TimingStats | null;
  /** Shader module + compute pipeline creation for a never-seen source. */
  compileEmpty: TimingStats | null;
  compileMatmul: TimingStats | null;
  reason?: string;
}

export type TrainShapeName = 'shipped' | 'paper';

export interface TrainShape {
  name: TrainShapeName;
  regions: number;
  genes: number;
  hidden: number;
  latent: number;
  edges: number;
  /** Where X, y and the graph came from. */
  source: string;
}

export interface TrainingRow {
  shape: TrainShapeName;
  backend: 'webgpu' | 'cpu';
  batch: number;
  status: RowStatus;
  reason?: string;
  /** Time of one epoch of all B models (forward, backward, Adam; one loss readback per logEvery epochs). */
  epoch: TimingStats | null;
  modelsEpochsPerSecond: number | null;
  /** Batched runs the trainer split the B models into (per-binding size limit). */
  runs: number | null;
  logEvery: number | null;
  /** Total loss of model 0 at the first logged epoch (same seed on every backend). */
  firstLoss: number | null;
}

/** CPU cost of B models: measured at B = 1 and 16, straight-line extrapolated elsewhere. */
export interface CpuProjection {
  shape: TrainShapeName;
  batch: number;
  secondsPerEpoch: number;
  modelsEpochsPerSecond: number;
  basis: 'measured' | 'extrapolated';
}

export interface PeerRow {
  /** The workload this row times, the key it is compared with cortex-vae under (PeerComparison.case). */
  case: string;
  workload: string;
  shape: string;
  status: RowStatus;
  reason?: string;
  /** How the peer ran this workload where it differs from cortex-vae's (a simplification, a loop over models). */
  note?: string;
  timing: TimingStats | null;
  flops?: number;
  gflops: number | null;
  /** Models·epochs/s for the VAE epoch workload. */
  modelsEpochsPerSecond?: number | null;
  /** Process CPU time over wall time while timing: about the threads kept busy (≤ the cores this process got). */
  cpuPerWall?: number | null;
  maxAbsError?: number | null;
  maxScaledError?: number | null;
  tolerance?: number;
  withinTolerance?: boolean | null;
  fractionOfPeak?: number | null;
}

/** The configuration a peer ran in: what it was given and what it reported back. */
export interface PeerConfig {
  /** Where its work runs, e.g. "wasm (SIMD, 2 threads)" or "webgpu on Dawn". */
  backend: string;
  /** Threads the library computes on, as it reports them after start-up; null for a GPU backend. */
  threads: number | null;
  /** SIMD build in use; null where it does not apply. */
  simd: boolean | null;
  /** How B models are trained: one batched tensor program, or one model after another. */
  batching: string;
  /** Installed versions of the packages it runs on. */
  packages: Record<string, string | null>;
  notes: string[];
}

export interface PeerResult {
  name: string;
  version: string | null;
  status: 'ok' | 'unavailable';
  reason?: string;
  config?: PeerConfig;
  rows: PeerRow[];
}

/** One workload run by cortex-vae and by the peers in the same run. */
export interface PeerComparison {
  case: string;
  unit: 'GFLOP/s' | 'models·epochs/s';
  /** cortex-vae's throughput on the backend under test, and the row it comes from. */
  cortexVae: number | null;
  cortexVaeRow: string;
  /**
   * The fastest configuration of any peer that ran the case (a matmul only if it matched the
   * reference): the peer, and its row's shape, which names the layout of B > 1 models. Every
   * configuration's own figure stays in its peer's rows.
   */
  bestPeer: { name: string; configuration: string; value: number; note?: string } | null;
  /** cortexVae / bestPeer.value: > 1 means cortex-vae is faster; null with the reason when either is missing. */
  ratio: number | null;
  reason?: string;
}

export interface PeakInfo {
  /** GFLOP/s the matmul fractions are taken of; null when unknown. */
  gflops: number | null;
  source: string;
  /** Theoretical fp32 peak, where it can be justified (GPU table); else null with the reason. */
  theoreticalGflops: number | null;
  theoreticalSource: string;
}

export interface MachineInfo {
  subjectBackend: string;
  referenceBackend: string;
  adapter: { vendor: string; architecture: string; device: string; description: string; isCpu: boolean } | null;
  cpus: { model: string; speedMHz: number; count: number };
  totalMemoryGiB: number;
  node: string;
  platform: string;
  packages: Record<string, string | null>;
  commit: string | null;
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  quick: boolean;
  backend: 'webgpu' | 'cpu';
  machine: MachineInfo;
  peak: PeakInfo;
  kernels: KernelRow[];
  fusion: FusionPair[];
  overheads: Overheads;
  training: { shapes: TrainShape[]; rows: TrainingRow[]; cpuProjection: CpuProjection[] };
  peers: PeerResult[];
  /** Where each profiled training epoch's time goes (see src/model/profile-training.ts). */
  profiles: ProfileResult[];
  /** Per workload: cortex-vae's throughput over the best peer's. */
  peerComparisons: PeerComparison[];
  notes: string[];
  /** Files written (absolute paths). */
  files: string[];
}

/** A training profile, or why one could not be taken. */
export type ProfileResult = TrainingProfile | { reason: string; shape: string; batch: number };
