/**
 * Records kernel launches into one command encoder (one compute pass, many dispatches) and submits
 * only when asked. Each recorded batch runs inside its own validation and out-of-memory error
 * scopes, so an error anywhere in it (bind groups, dispatch, submit) becomes a KernelError naming
 * the kernel Dawn blames, or the batch's kernels when the message names none.
 */
import { EngineError, KernelError, type CapturedWork, type Shape } from '../backend';
import { formatShape } from '../broadcast';
import { packParams, type ParamValues } from './kernels/kernel-registry';
import { UNIFORM_USAGE, type BufferPool } from './buffer-pool';
import {
  createProfiler,
  type DispatchProfiler,
  type DispatchWork,
  type KernelTiming,
  type ProfileClock,
  type RecordedDispatch,
} from './dispatch-profiler';
import { GpuTensor } from './gpu-tensor';
import type { CompiledKernel } from './pipeline-cache';

/** A storage binding: a tensor, or a raw buffer (CSR arrays, the empty placeholder). */
export type Binding = GpuTensor | GPUBuffer;

/** A recorded dispatch with its bind group, kept to be encoded again (replay) or rerun (profiler). */
interface Launch extends Omit<RecordedDispatch, 'work' | 'uniform'> {
  bindGroup: GPUBindGroup;
  uniform: { binding: number; bytes: ArrayBuffer; buffer: GPUBuffer } | null;
  /** Computed when profiling or capturing. */
  work: DispatchWork | null;
}

/** What a launch wrapper may declare about a dispatch for the profiler (bytes are counted here). */
export interface DispatchCost {
  /** Floating-point operations of the dispatch. */
  flops?: number;
  /** Shape text; by default the shape of the tensor the kernel writes first. */
  detail?: string;
}

interface OpenBatch {
  readonly encoder: GPUCommandEncoder;
  pass: GPUComputePassEncoder | null;
  readonly kernels: Set<string>;
}

export class CommandRecorder {
  private batch: OpenBatch | null = null;
  private errorChecks: Promise<KernelError | null>[] = [];
  /** Set when the device is lost (not by our own destroy): every later launch fails with it. */
  private lostReason: string | null = null;
  /** Dispatches recorded since creation (for benchmarks and tests). */
  dispatchCount = 0;
  private profiler: DispatchProfiler | null = null;
  /** Launches kept since `beginCapture`, while a capture runs. */
  private capture: Launch[] | null = null;
  /** What made the running capture unusable (a read inside it), reported by endCapture. */
  private captureFault: string | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
  ) {}

  get hasUnsubmittedWork(): boolean {
    return this.batch !== null;
  }

  deviceLost(reason: string): void {
    this.lostReason = reason;
  }

  /** Throws a KernelError for `kernel` if the device is gone. */
  requireDevice(kernel: string): void {
    if (this.lostReason !== null) throw new KernelError(kernel, `the GPU device was lost (${this.lostReason})`);
  }

  /** Starts timing every dispatch (see DispatchProfiler); work recorded but not submitted is submitted first. */
  startProfiling(clock?: ProfileClock): ProfileClock {
    if (this.profiler) throw new EngineError('profiling is already on');
    this.submit();
    this.profiler = createProfiler(this.device, clock);
    return this.profiler.clock;
  }

  /**
   * Stops profiling at once; `collect` then gives the timings of every dispatch since the start (or
   * since `resetProfile`). With the wall-time clock, collect reruns those dispatches: call it when
   * nothing else runs on the device.
   */
  stopProfiling(): { clock: ProfileClock; collect: () => Promise<KernelTiming[]> } {
    const profiler = this.profiler;
    if (!profiler) throw new EngineError('profiling is not on');
    this.submit();
    this.profiler = null;
    return {
      clock: profiler.clock,
      collect: async () => {
        try {
          return await profiler.collect();
        } finally {
          profiler.destroy();
        }
      },
    };
  }

  /** Drops the timings of everything recorded so far, e.g. warm-up epochs. */
  resetProfile(): void {
    if (!this.profiler) throw new EngineError('profiling is not on');
    this.submit();
    this.profiler.reset();
  }

  /**
   * Records `kernel` over a grid of workgroups. `bindings` are named as the WGSL storage variables;
   * `params` fill its uniform struct by field name; `cost` tells the profiler what the dispatch does.
   */
  dispatch(
    kernel: CompiledKernel,
    bindings: Readonly<Record<string, Binding>>,
    params: ParamValues,
    workgroups: readonly [number, number, number],
    cost: DispatchCost = {},
  ): void {
    const { layout } = kernel;
    const name = layout.spec.name;
    this.requireDevice(name);
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (workgroups.some((count) => !Number.isInteger(count) || count < 0 || count > limit)) {
      throw new KernelError(
        name,
        `dispatch grid [${workgroups.join(', ')}] is not 0–${limit} workgroups per dimension`,
      );
    }
    const ranges = Object.fromEntries(Object.entries(bindings).map(([slot, b]) => [slot, bindingRange(b)]));
    checkBindings(kernel, ranges);
    const bytes = packParams(layout, params);
    const uniform = layout.params ? this.pool.acquire(bytes.byteLength, UNIFORM_USAGE, 'params') : null;
    if (uniform) this.device.queue.writeBuffer(uniform, 0, bytes);
    const storageSlots = layout.bindings.filter((slot) => slot.kind !== 'uniform');
    const storage = storageSlots.map((slot) => ({ binding: slot.binding, buffer: ranges[slot.name]!.buffer }));
    const uniformSlot = layout.bindings.find((slot) => slot.kind === 'uniform');
    const entries = [
      ...storageSlots.map((slot) => ({ binding: slot.binding, resource: bufferResource(ranges[slot.name]!) })),
      ...(uniform ? [{ binding: uniformSlot!.binding, resource: { buffer: uniform } }] : []),
    ];
    const bindGroup = this.device.createBindGroup({ label: name, layout: kernel.bindGroupLayout, entries });
    const launch: Launch = {
      kernel: name,
      pipeline: kernel.pipeline,
      layout: kernel.bindGroupLayout,
      bindGroup,
      workgroups,
      storage,
      uniform: uniform ? { binding: uniformSlot!.binding, bytes, buffer: uniform } : null,
      work: this.profiler || this.capture ? dispatchWork(kernel, bindings, cost) : null,
    };
    this.encode(launch);
    this.capture?.push(launch);
    if (uniform) this.pool.release(uniform, true);
  }

  /** Whether a capture is running: launches recorded now are kept for replay. */
  get capturing(): boolean {
    return this.capture !== null;
  }

  /** Starts keeping every launch until `endCapture` (see Backend.capture); recorded work is submitted first. */
  beginCapture(): void {
    if (this.capture) throw new EngineError('capture: a capture is already running (captures do not nest)');
    this.submit();
    this.capture = [];
    this.pool.holdReleases();
  }

  /** The launches since `beginCapture`, as work to replay; the buffers they bind are pinned until it is disposed. */
  endCapture(): CapturedWork {
    const launches = this.capture;
    if (!launches) throw new EngineError('capture: no capture is running');
    const fault = this.captureFault;
    if (fault) {
      this.abandonCapture();
      throw new EngineError(fault);
    }
    this.capture = null;
    const buffers = new Set<GPUBuffer>();
    for (const l of launches) {
      for (const { buffer } of l.storage) buffers.add(buffer);
      if (l.uniform) buffers.add(l.uniform.buffer);
    }
    this.pool.pin(buffers);
    this.pool.endHolding();
    let disposed = false;
    return {
      dispatches: launches.length,
      replay: () => {
        if (disposed) throw new EngineError('replay: the captured work was disposed');
        for (const launch of launches) this.encode(launch);
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.pool.unpin(buffers);
      },
    };
  }

  /** Ends a capture whose function threw: nothing is kept. */
  abandonCapture(): void {
    this.capture = null;
    this.captureFault = null;
    this.pool.endHolding();
  }

  /** Encodes one launch into the open batch (its own timestamped pass while profiling). */
  private encode(launch: Launch): void {
    if (this.profiler?.full) this.submit();
    const batch = this.openBatch();
    batch.kernels.add(launch.kernel);
    const work = this.profiler ? (launch.work ?? { detail: '', flops: 0, bytes: 0 }) : null;
    const ownPass = work ? this.profiler!.passFor(batch.encoder, launch.kernel, work) : null;
    const pass = ownPass ?? this.computePass(batch);
    pass.setPipeline(launch.pipeline);
    pass.setBindGroup(0, launch.bindGroup);
    pass.dispatchWorkgroups(launch.workgroups[0], launch.workgroups[1], launch.workgroups[2]);
    ownPass?.end();
    if (work) this.profiler!.recorded({ ...launch, work });
    this.dispatchCount++;
  }

  /** Records a copy of `byteSize` bytes from `sourceOffset` in source to the start of target (ends the pass). */
  copy(source: GPUBuffer, sourceOffset: number, target: GPUBuffer, byteSize: number): void {
    this.requireDevice('read');
    if (this.capture) {
      this.captureFault ??= 'read: a captured step cannot read back (read after it, between replays)';
      throw new EngineError(this.captureFault);
    }
    const batch = this.openBatch();
    batch.pass?.end();
    batch.pass = null;
    batch.encoder.copyBufferToBuffer(source, sourceOffset, target, 0, byteSize);
  }

  /** Sends the recorded batch to the queue; its errors are collected by `checkErrors`. */
  submit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    batch.pass?.end();
    this.profiler?.resolve(batch.encoder);
    this.device.queue.submit([batch.encoder.finish()]);
    this.profiler?.submitted();
    const outOfMemory = this.device.popErrorScope();
    const validation = this.device.popErrorScope();
    const kernels = [...batch.kernels];
    this.errorChecks.push(
      Promise.all([validation, outOfMemory]).then(
        ([v, o]) => {
          const error = v ?? o;
          return error ? new KernelError(blamedKernel(error.message, kernels), error.message) : null;
        },
        (failure: Error) => new KernelError(kernels.join(', ') || 'submit', failure.message),
      ),
    );
    this.pool.workSubmitted();
  }

  /** Waits for the error reports of every submitted batch; throws the first KernelError. */
  async checkErrors(): Promise<void> {
    const checks = this.errorChecks;
    this.errorChecks = [];
    const errors = await Promise.all(checks);
    const first = errors.find((e) => e !== null);
    if (first) throw first;
  }

  private openBatch(): OpenBatch {
    if (!this.batch) {
      this.device.pushErrorScope('validation');
      this.device.pushErrorScope('out-of-memory');
      this.batch = {
        encoder: this.device.createCommandEncoder({ label: 'cortex-vae batch' }),
        pass: null,
        kernels: new Set(),
      };
    }
    return this.batch;
  }

  private computePass(batch: OpenBatch): GPUComputePassEncoder {
    batch.pass ??= batch.encoder.beginComputePass({ label: 'cortex-vae kernels' });
    return batch.pass;
  }
}

/** The profiler's account of a dispatch: bytes = every bound tensor once; detail = the shape written. */
function dispatchWork(
  kernel: CompiledKernel,
  bindings: Readonly<Record<string, Binding>>,
  cost: DispatchCost,
): DispatchWork {
  let bytes = 0;
  let written: Shape | null = null;
  for (const slot of kernel.layout.bindings) {
    const bound = bindings[slot.name];
    if (!bound) continue;
    bytes += bound instanceof GpuTensor ? bound.byteLength : bound.size;
    if (slot.kind === 'storage' && written === null && bound instanceof GpuTensor) written = bound.shape;
  }
  return { detail: cost.detail ?? (written ? formatShape(written) : ''), flops: cost.flops ?? 0, bytes };
}

/** The part of a buffer a binding covers: a tensor's (GpuTensor.bindingRange), or a whole raw buffer. */
interface BindingRange {
  buffer: GPUBuffer;
  offset: number;
  size: number;
}

function bindingRange(b: Binding): BindingRange {
  return b instanceof GpuTensor ? b.bindingRange : { buffer: b, offset: 0, size: b.size };
}

/** A whole buffer is bound as itself; a view as its range. */
function bufferResource(range: BindingRange): GPUBufferBinding {
  const whole = range.offset === 0 && range.size === range.buffer.size;
  return whole ? { buffer: range.buffer } : { buffer: range.buffer, offset: range.offset, size: range.size };
}

/** Every storage binding gets a buffer, no unknown names, and no written range bound twice. */
function checkBindings(kernel: CompiledKernel, ranges: Readonly<Record<string, BindingRange>>): void {
  const { bindings, spec } = kernel.layout;
  for (const slot of bindings) {
    if (slot.kind !== 'uniform' && !ranges[slot.name]) {
      throw new EngineError(`${spec.name}: no buffer given for WGSL binding ${slot.name}`);
    }
  }
  for (const given of Object.keys(ranges)) {
    if (!bindings.some((slot) => slot.name === given && slot.kind !== 'uniform')) {
      throw new EngineError(`${spec.name}: the WGSL has no storage binding ${given}`);
    }
  }
  // WebGPU forbids a range that a dispatch writes from overlapping another binding of the same buffer
  for (const slot of bindings.filter((b) => b.kind === 'storage')) {
    const mine = ranges[slot.name]!;
    const others = bindings.filter((other) => other !== slot && other.kind !== 'uniform');
    const clash = others.find((other) => overlap(mine, ranges[other.name]!));
    if (clash)
      throw new KernelError(
        spec.name,
        `writes ${slot.name} and also binds the same buffer as ${clash.name}; write to a new tensor`,
      );
  }
}

function overlap(a: BindingRange, b: BindingRange): boolean {
  return a.buffer === b.buffer && a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/** The kernel whose label Dawn quotes in the message, else every kernel of the batch. */
function blamedKernel(message: string, kernels: readonly string[]): string {
  const quoted = kernels.filter((k) => message.includes(`"${k}"`));
  const blamed = quoted.length > 0 ? quoted : kernels;
  return blamed.join(', ') || 'copy';
}
