/**
 * Device time of every dispatch while profiling, summed per kernel and per kernel + shape, with the
 * arithmetic (flops) and memory traffic (bytes) the launch wrappers declare, so a report can give
 * GFLOP/s and GB/s. Two clocks:
 * - timestamp queries (adapters with `timestamp-query`): each dispatch runs in a compute pass of
 *   its own whose beginning and end write device timestamps; each submitted batch resolves its
 *   queries into a buffer read back once the batch has run;
 * - otherwise synchronised wall time: every profiled dispatch is remembered and, when the timings
 *   are collected, run again alone (submit, wait) and timed, less the time of an empty submit.
 *   That rerun overwrites what the dispatches write: collect only once every result is read and
 *   nothing else is running on the device.
 */
/** What one dispatch does: shape text for the report, floating-point operations, bytes moved. */
export interface DispatchWork {
  /** Distinguishes dispatches of one kernel, e.g. "[64,66,787]·[64,787,256]". */
  detail: string;
  /** Floating-point operations (0 where counting them means nothing). */
  flops: number;
  /** Bytes the dispatch must read and write at least (each bound tensor once). */
  bytes: number;
}

/** Totals of one kernel (detail '') or of one kernel at one shape. */
export interface KernelTiming {
  kernel: string;
  detail: string;
  dispatches: number;
  deviceMs: number;
  flops: number;
  bytes: number;
}

/** How kernel times were measured: GPU timestamp queries, or wall time around each synchronised dispatch. */
export type ProfileClock = 'timestamp-query' | 'synchronised wall time';

/** Most dispatches one submitted batch may hold while profiling; the recorder submits when full. */
export const DISPATCHES_PER_PROFILED_BATCH = 1024;

const QUERY_RESOLVE = 0x200;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const MAP_READ = 0x1;
const STORAGE = 0x80;
const UNIFORM = 0x40;

/** A query set with the buffers its timestamps are resolved into and read from. */
interface QuerySlot {
  readonly querySet: GPUQuerySet;
  readonly resolve: GPUBuffer;
  readonly readback: GPUBuffer;
}

/** What the command recorder asks of a profiler for each dispatch it records. */
export interface DispatchProfiler {
  readonly clock: ProfileClock;
  /** True when the open batch cannot take another dispatch: submit it first. */
  readonly full: boolean;
  /** A compute pass of the dispatch's own, or null to record it in the batch's shared pass. */
  passFor(encoder: GPUCommandEncoder, kernel: string, work: DispatchWork): GPUComputePassEncoder | null;
  /** Called for every profiled dispatch once it is recorded. */
  recorded(dispatch: RecordedDispatch): void;
  /** Before the batch's encoder is finished. */
  resolve(encoder: GPUCommandEncoder): void;
  /** After the batch was submitted. */
  submitted(): void;
  /** Every timing so far (waits for running batches): per kernel (detail ''), then per shape. */
  collect(): Promise<KernelTiming[]>;
  /** Forgets the timings of everything recorded so far (e.g. warm-up epochs), running or not. */
  reset(): void;
  destroy(): void;
}

/**
 * Enough of a recorded dispatch to run it again: its bindings with the uniform parameters' bytes
 * (pooled uniform buffers are rewritten by later dispatches, so a rerun binds a copy).
 */
export interface RecordedDispatch {
  kernel: string;
  work: DispatchWork;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  /** Storage bindings by binding number, and the uniform's binding number with its bytes. */
  storage: readonly { binding: number; buffer: GPUBuffer }[];
  uniform: { binding: number; bytes: ArrayBuffer } | null;
  workgroups: readonly [number, number, number];
}

/** The profiler the device supports: timestamp queries, else (or when asked) synchronised wall time. */
export function createProfiler(device: GPUDevice, clock?: ProfileClock): DispatchProfiler {
  const timestamps = device.features.has('timestamp-query') && clock !== 'synchronised wall time';
  return timestamps ? new TimestampProfiler(device) : new WallClockProfiler(device);
}

/** Sums of device time per kernel and per kernel + shape. */
class Totals {
  private readonly entries = new Map<string, KernelTiming>();

  add(kernel: string, ms: number, work: DispatchWork): void {
    for (const detail of ['', work.detail]) {
      const key = `${kernel}\n${detail}`;
      const entry = this.entries.get(key) ?? { kernel, detail, dispatches: 0, deviceMs: 0, flops: 0, bytes: 0 };
      entry.dispatches++;
      entry.deviceMs += ms;
      entry.flops += work.flops;
      entry.bytes += work.bytes;
      this.entries.set(key, entry);
    }
  }

  list(): KernelTiming[] {
    return [...this.entries.values()].map((t) => ({ ...t }));
  }

  clear(): void {
    this.entries.clear();
  }
}

class TimestampProfiler implements DispatchProfiler {
  readonly clock = 'timestamp-query' as const;
  private readonly free: QuerySlot[] = [];
  private readonly all: QuerySlot[] = [];
  private current: { slot: QuerySlot; work: { kernel: string; work: DispatchWork }[] } | null = null;
  /** Bumped by reset: batches of an older generation are read but not counted. */
  private generation = 0;
  private readonly pending: Promise<void>[] = [];
  private readonly totals = new Totals();

  constructor(private readonly device: GPUDevice) {}

  get full(): boolean {
    return this.current !== null && this.current.work.length >= DISPATCHES_PER_PROFILED_BATCH;
  }

  /** A compute pass for one dispatch whose start and end are timestamped. */
  passFor(encoder: GPUCommandEncoder, kernel: string, work: DispatchWork): GPUComputePassEncoder {
    this.current ??= { slot: this.takeSlot(), work: [] };
    const index = 2 * this.current.work.length;
    this.current.work.push({ kernel, work });
    return encoder.beginComputePass({
      label: kernel,
      timestampWrites: {
        querySet: this.current.slot.querySet,
        beginningOfPassWriteIndex: index,
        endOfPassWriteIndex: index + 1,
      },
    });
  }

  recorded(): void {}

  /** Resolves the batch's timestamps into a mappable buffer. */
  resolve(encoder: GPUCommandEncoder): void {
    if (!this.current) return;
    const { slot, work } = this.current;
    const count = 2 * work.length;
    encoder.resolveQuerySet(slot.querySet, 0, count, slot.resolve, 0);
    encoder.copyBufferToBuffer(slot.resolve, 0, slot.readback, 0, 8 * count);
  }

  /** Reads the batch's timestamps once it has run. */
  submitted(): void {
    if (!this.current) return;
    const { slot, work } = this.current;
    const generation = this.generation;
    this.current = null;
    this.pending.push(
      slot.readback.mapAsync(GPUMapMode.READ, 0, 16 * work.length).then(() => {
        const stamps = new BigUint64Array(slot.readback.getMappedRange(0, 16 * work.length).slice(0));
        slot.readback.unmap();
        this.free.push(slot);
        if (generation !== this.generation) return;
        work.forEach(({ kernel, work: w }, i) =>
          this.totals.add(kernel, Number(stamps[2 * i + 1]! - stamps[2 * i]!) / 1e6, w),
        );
      }),
    );
  }

  async collect(): Promise<KernelTiming[]> {
    await Promise.all(this.pending.splice(0));
    return this.totals.list();
  }

  reset(): void {
    this.generation++;
    if (this.current) this.current.work.length = 0;
    this.totals.clear();
  }

  destroy(): void {
    for (const slot of this.all) {
      slot.querySet.destroy();
      slot.resolve.destroy();
      slot.readback.destroy();
    }
  }

  private takeSlot(): QuerySlot {
    const reused = this.free.pop();
    if (reused) return reused;
    const count = 2 * DISPATCHES_PER_PROFILED_BATCH;
    const slot = {
      querySet: this.device.createQuerySet({ type: 'timestamp', count, label: 'cortex-vae profiler' }),
      resolve: this.device.createBuffer({
        size: 8 * count,
        usage: QUERY_RESOLVE | COPY_SRC,
        label: 'profiler resolve',
      }),
      readback: this.device.createBuffer({ size: 8 * count, usage: MAP_READ | COPY_DST, label: 'profiler readback' }),
    };
    this.all.push(slot);
    return slot;
  }
}

/** Submits of an empty command buffer timed to find the fixed cost a synchronised dispatch carries. */
const BASELINE_SUBMITS = 20;

class WallClockProfiler implements DispatchProfiler {
  readonly clock = 'synchronised wall time' as const;
  readonly full = false;
  private dispatches: RecordedDispatch[] = [];

  constructor(private readonly device: GPUDevice) {}

  passFor(): null {
    return null;
  }

  recorded(dispatch: RecordedDispatch): void {
    this.dispatches.push(dispatch);
  }

  resolve(): void {}

  submitted(): void {}

  /**
   * Runs every remembered dispatch again alone, timing submit → done (waiting on a 4-byte
   * readback, which resolves reliably in Dawn's Node bindings), less the same for an empty batch.
   */
  async collect(): Promise<KernelTiming[]> {
    const flag = this.device.createBuffer({ size: 4, usage: STORAGE | COPY_SRC, label: 'profiler sync source' });
    const readback = this.device.createBuffer({ size: 4, usage: MAP_READ | COPY_DST, label: 'profiler sync' });
    const timeSubmit = async (encode: (encoder: GPUCommandEncoder) => void): Promise<number> => {
      const encoder = this.device.createCommandEncoder();
      encode(encoder);
      encoder.copyBufferToBuffer(flag, 0, readback, 0, 4);
      const start = performance.now();
      this.device.queue.submit([encoder.finish()]);
      await readback.mapAsync(GPUMapMode.READ);
      const ms = performance.now() - start;
      readback.unmap();
      return ms;
    };
    try {
      await timeSubmit(() => undefined);
      const empty: number[] = [];
      for (let i = 0; i < BASELINE_SUBMITS; i++) empty.push(await timeSubmit(() => undefined));
      const baseline = empty.sort((a, b) => a - b)[empty.length >> 1]!;
      const totals = new Totals();
      for (const d of this.dispatches) {
        const uniform =
          d.uniform &&
          this.device.createBuffer({
            size: d.uniform.bytes.byteLength,
            usage: UNIFORM | COPY_DST,
            label: 'profiler rerun params',
          });
        if (uniform) this.device.queue.writeBuffer(uniform, 0, d.uniform!.bytes);
        const entries = [...d.storage, ...(uniform ? [{ binding: d.uniform!.binding, buffer: uniform }] : [])].map(
          ({ binding, buffer }) => ({ binding, resource: { buffer } }),
        );
        const bindGroup = this.device.createBindGroup({ layout: d.layout, entries });
        const ms = await timeSubmit((encoder) => {
          const pass = encoder.beginComputePass({ label: d.kernel });
          pass.setPipeline(d.pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
          pass.end();
        });
        uniform?.destroy();
        totals.add(d.kernel, Math.max(0, ms - baseline), d.work);
      }
      return totals.list();
    } finally {
      flag.destroy();
      readback.destroy();
    }
  }

  reset(): void {
    this.dispatches = [];
  }

  destroy(): void {
    this.dispatches = [];
  }
}
