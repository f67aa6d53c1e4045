/**
 * Records kernel launches into one command encoder (one compute pass, many dispatches) and submits
 * only when asked. Each recorded batch runs inside its own validation and out-of-memory error
 * scopes, so an error anywhere in it (bind groups, dispatch, submit) becomes a KernelError naming
 * the kernel Dawn blames, or the batch's kernels when the message names none.
 */
import { EngineError, KernelError } from '../backend';
import { packParams, type ParamValues } from '../../kernels/kernel-registry';
import { UNIFORM_USAGE, type BufferPool } from './buffer-pool';
import type { CompiledKernel } from './pipeline-cache';

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

  /**
   * Records `kernel` over a grid of workgroups. `buffers` are named as the WGSL storage variables;
   * `params` fill its uniform struct by field name.
   */
  dispatch(
    kernel: CompiledKernel,
    buffers: Readonly<Record<string, GPUBuffer>>,
    params: ParamValues,
    workgroups: readonly [number, number, number],
  ): void {
    const { layout } = kernel;
    const name = layout.spec.name;
    this.requireDevice(name);
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (workgroups.some((count) => !Number.isInteger(count) || count < 0 || count > limit)) {
      throw new KernelError(name, `dispatch grid [${workgroups.join(', ')}] is not 0–${limit} workgroups per dimension`);
    }
    checkBindings(kernel, buffers);
    const bytes = packParams(layout, params);
    const uniform = layout.params ? this.pool.acquire(bytes.byteLength, UNIFORM_USAGE, 'params') : null;
    if (uniform) this.device.queue.writeBuffer(uniform, 0, bytes);
    const entries = layout.bindings.map((slot) => ({
      binding: slot.binding,
      resource: { buffer: slot.kind === 'uniform' ? uniform! : buffers[slot.name]! },
    }));
    const batch = this.openBatch();
    batch.kernels.add(name);
    const bindGroup = this.device.createBindGroup({ label: name, layout: kernel.bindGroupLayout, entries });
    const pass = this.computePass(batch);
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.dispatchCount++;
    if (uniform) this.pool.release(uniform, true);
  }

  /** Records a buffer-to-buffer copy (ends the current compute pass). */
  copy(source: GPUBuffer, target: GPUBuffer, byteSize: number): void {
    this.requireDevice('read');
    const batch = this.openBatch();
    batch.pass?.end();
    batch.pass = null;
    batch.encoder.copyBufferToBuffer(source, 0, target, 0, byteSize);
  }

  /** Sends the recorded batch to the queue; its errors are collected by `checkErrors`. */
  submit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    batch.pass?.end();
    this.device.queue.submit([batch.encoder.finish()]);
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
      this.batch = { encoder: this.device.createCommandEncoder({ label: 'cortex-vae batch' }), pass: null, kernels: new Set() };
    }
    return this.batch;
  }

  private computePass(batch: OpenBatch): GPUComputePassEncoder {
    batch.pass ??= batch.encoder.beginComputePass({ label: 'cortex-vae kernels' });
    return batch.pass;
  }
}

/** Every storage binding gets a buffer, no unknown names, and no written buffer bound twice. */
function checkBindings(kernel: CompiledKernel, buffers: Readonly<Record<string, GPUBuffer>>): void {
  const { bindings, spec } = kernel.layout;
  for (const slot of bindings) {
    if (slot.kind !== 'uniform' && !buffers[slot.name]) throw new EngineError(`${spec.name}: no buffer given for WGSL binding ${slot.name}`);
  }
  for (const given of Object.keys(buffers)) {
    if (!bindings.some((slot) => slot.name === given && slot.kind !== 'uniform')) {
      throw new EngineError(`${spec.name}: the WGSL has no storage binding ${given}`);
    }
  }
  // WebGPU forbids a buffer that a dispatch writes from being bound a second time in it
  for (const slot of bindings.filter((b) => b.kind === 'storage')) {
    const clash = bindings.find((other) => other !== slot && buffers[other.name] === buffers[slot.name]);
    if (clash) throw new KernelError(spec.name, `writes ${slot.name} and also binds the same buffer as ${clash.name}; write to a new tensor`);
  }
}

/** The kernel whose label Dawn quotes in the message, else every kernel of the batch. */
function blamedKernel(message: string, kernels: readonly string[]): string {
  const quoted = kernels.filter((k) => message.includes(`"${k}"`));
  const blamed = quoted.length > 0 ? quoted : kernels;
  return blamed.join(', ') || 'copy';
}
