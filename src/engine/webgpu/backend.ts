/**
 * The webgpu backend: the Backend contract on a Dawn device. Ops record kernel launches into one
 * command encoder; `flush` submits, `read` submits and waits. The kernels training uses are
 * compiled at creation, so ops rarely wait for the compiler (a rarer one compiles on first use).
 */
import {
  EngineError,
  KernelError,
  shapeSize,
  type Activation,
  type AddendOption,
  type AdamHyper,
  type AdamTensors,
  type Backend,
  type BinaryOp,
  type CapturedWork,
  type CsrMatrix,
  type DeviceCsr,
  type ColumnSumsOptions,
  type MatmulOptions,
  type OutputOption,
  type RandomKey,
  type RawTensor,
  type ReduceOp,
  type ReparameterizeGathered,
  type Shape,
  type UnaryOp,
} from '../backend';
import { formatShape } from '../broadcast';
import { validateCsr } from '../csr';
import { adamKernels, launchAdamUpdate } from './kernels/adam';
import { launchActivationGrad, launchBinary, launchFill, launchUnary, elementwiseKernels } from './kernels/elementwise';
import { spreadWorkgroups, type KernelSpec, type ParamValues } from './kernels/kernel-registry';
import { GpuCsr, laplacianKernels, launchLaplacianSmoothness } from './kernels/laplacian';
import { launchKl, launchMse, lossKernels } from './kernels/losses';
import { launchMatmul, launchMatmulWithColumnSums, matmulKernels, type MatmulVariant } from './kernels/matmul';
import { launchRandomUniform, launchReparameterize, randomKernels } from './kernels/random';
import { launchReparameterizeGrad, reparameterizeGradKernels } from './kernels/reparameterize-grad';
import { launchWeightedSum, weightedSumKernels } from './kernels/weighted-sum';
import { launchWeightedSumGrad, weightedSumGradKernels } from './kernels/weighted-sum-grad';
import {
  checkAdamStep,
  checkDataLength,
  checkOutput,
  checkRandomKey,
  checkShape,
  checkSumWeights,
  checkView,
  checkWeightedSum,
  requireSameShape,
} from '../argument-checks';
import { launchReduce, reduceKernels } from './kernels/reduce';
import { BufferPool, READBACK_USAGE, STORAGE_USAGE } from './buffer-pool';
import { CommandRecorder, type Binding, type DispatchCost } from './command-recorder';
import type { KernelTiming, ProfileClock } from './dispatch-profiler';
import { openDevice, type AdapterDescription } from './device';
import { GpuStorage, GpuTensor } from './gpu-tensor';
import type { KernelContext } from './kernel-context';
import { PipelineCache } from './pipeline-cache';

/**
 * How to open the WebGPU backend: a `GPU` of your own (a browser's `navigator.gpu`; default Dawn), the
 * fallback adapter, a matmul variant.
 */
export interface WebGpuOptions {
  /** The WebGPU entry point: a browser's `navigator.gpu`; by default Dawn's, loaded on first use. */
  gpu?: GPU;
  /** Ask for the fallback (CPU) adapter. */
  forceFallbackAdapter?: boolean;
  /**
   * Force a matmul variant; by default `subgroups` on CPU adapters with a fixed subgroup size,
   * else `registers` on CPU adapters, `tiled` on GPUs.
   */
  matmulVariant?: MatmulVariant;
}

/**
 * `data`, or a private copy when it views a SharedArrayBuffer (queue.writeBuffer crashes Node on
 * those). Pages that are not cross-origin isolated have no SharedArrayBuffer global at all.
 */
function unshared(data: Float32Array): Float32Array {
  return typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer ? data.slice() : data;
}

/** The kernels compiled together when a backend opens (others compile on first use). */
const kernelsFor = (
  adapter: AdapterDescription,
  variant: MatmulVariant,
  limits: GPUSupportedLimits,
): readonly KernelSpec[] => [
  ...matmulKernels(variant, adapter.subgroupSize),
  ...elementwiseKernels,
  ...reduceKernels,
  ...laplacianKernels,
  ...randomKernels,
  ...reparameterizeGradKernels,
  ...weightedSumKernels,
  ...weightedSumGradKernels,
  ...lossKernels,
  ...adamKernels(limits.maxStorageBuffersPerShaderStage),
];

const MIB = 1024 * 1024;

/** subgroups on CPU adapters that have them (fastest there), registers on other CPU adapters, tiled on GPUs. */
function defaultMatmulVariant(adapter: AdapterDescription): MatmulVariant {
  if (!adapter.isCpu) return 'tiled';
  return adapter.subgroupSize === null ? 'registers' : 'subgroups';
}

/**
 * The WebGPU backend: WGSL kernels on a device from Dawn in Node or `navigator.gpu` in a browser; create it
 * with `WebGpuBackend.create` or `requestGpuBackend`.
 */
export class WebGpuBackend implements Backend, KernelContext {
  readonly name = 'webgpu' as const;
  readonly maxWorkgroupsPerDimension: number;
  readonly maxStorageBuffersPerStage: number;
  readonly subgroupSize: number | null;
  readonly emptyInput: GPUBuffer;
  readonly scratchOutput: GPUBuffer;
  /** Tensors handed out and not yet released: lets tests prove nothing leaks. */
  liveTensors = 0;
  private readonly pool: BufferPool;
  private readonly recorder: CommandRecorder;
  private destroyed = false;

  private constructor(
    /** The WebGPU device (tests use it to provoke device loss). */
    readonly device: GPUDevice,
    readonly adapter: AdapterDescription,
    readonly matmulVariant: MatmulVariant,
    private readonly pipelines: PipelineCache,
  ) {
    this.maxWorkgroupsPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
    this.maxStorageBuffersPerStage = device.limits.maxStorageBuffersPerShaderStage;
    this.subgroupSize = adapter.subgroupSize;
    this.pool = new BufferPool(device);
    this.recorder = new CommandRecorder(device, this.pool);
    this.emptyInput = this.pool.acquire(16, STORAGE_USAGE, 'empty input');
    this.scratchOutput = this.pool.acquire(16, STORAGE_USAGE, 'unused output');
    void device.lost.then((info) => {
      if (!this.destroyed) this.recorder.deviceLost(`${info.reason}: ${info.message}`);
    });
  }

  /** Opens a device and compiles the common kernels; throws EngineError when there is no adapter. */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
    const opened = await openDevice(options.gpu, options.forceFallbackAdapter ?? false);
    if ('reason' in opened) throw new EngineError(`webgpu: ${opened.reason}`);
    const { device, adapter } = opened;
    const variant = options.matmulVariant ?? defaultMatmulVariant(adapter);
    if (variant === 'subgroups' && adapter.subgroupSize === null) {
      device.destroy();
      throw new EngineError('webgpu: the subgroups matmul variant needs an adapter with subgroups of one fixed size');
    }
    const pipelines = new PipelineCache(device);
    try {
      await pipelines.compileAll(kernelsFor(adapter, variant, device.limits));
    } catch (error) {
      device.destroy();
      throw error;
    }
    return new WebGpuBackend(device, adapter, variant, pipelines);
  }

  describe(): string {
    const { vendor, architecture, description, isCpu, implementation } = this.adapter;
    const kind = isCpu ? 'CPU adapter' : 'GPU';
    return `webgpu (${implementation}) on ${description || 'unnamed adapter'} [vendor ${vendor || '?'}, architecture ${architecture || '?'}, ${kind}], matmul variant ${this.matmulVariant}`;
  }

  /** Compiles further kernels (e.g. a test's, or a later family's) so they can be dispatched. */
  compileKernels(specs: readonly KernelSpec[]): Promise<void> {
    return this.pipelines.compileAll(specs);
  }

  /**
   * Starts timing every dispatch with the device's clock (timestamp queries where the adapter has
   * them, else synchronised wall time: see DispatchProfiler; `clock` forces the latter). Returns
   * the clock used.
   */
  startProfiling(clock?: ProfileClock): ProfileClock {
    this.checkAlive('startProfiling');
    return this.recorder.startProfiling(clock);
  }

  /** Drops the timings gathered so far (warm-up). */
  resetProfile(): void {
    this.recorder.resetProfile();
  }

  /**
   * Stops profiling at once; `collect()` gives device time per kernel (detail '') and per kernel and
   * shape since the start. Under the wall-time clock collect reruns the dispatches: call it when
   * every result needed was read and nothing else runs.
   */
  stopProfiling(): { clock: ProfileClock; collect: () => Promise<KernelTiming[]> } {
    return this.recorder.stopProfiling();
  }

  /** Kernel launches recorded so far. */
  get dispatchCount(): number {
    return this.recorder.dispatchCount;
  }

  // ---- KernelContext ----------------------------------------------------------------------------

  allocate(op: string, shape: Shape): GpuTensor {
    this.checkAlive(op);
    const checked = checkShape(op, shape);
    const byteSize = 4 * shapeSize(checked);
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (byteSize > limit) {
      throw new EngineError(
        `${op}: tensor ${formatShape(checked)} needs ${(byteSize / MIB).toFixed(1)} MiB, over this device's maxStorageBufferBindingSize of ${(limit / MIB).toFixed(0)} MiB; split the batch`,
      );
    }
    this.recorder.requireDevice(op);
    const buffer = this.pool.acquire(byteSize, STORAGE_USAGE, 'tensor');
    this.liveTensors++;
    return new GpuTensor(checked, new GpuStorage(buffer, byteSize), this);
  }

  dispatch(
    spec: KernelSpec,
    bindings: Readonly<Record<string, Binding>>,
    params: ParamValues,
    workgroups: readonly [number, number, number],
    cost?: DispatchCost,
  ): void {
    this.recorder.dispatch(this.pipelines.get(spec), bindings, params, workgroups, cost);
  }

  grid(count: number): [number, number, number] {
    return spreadWorkgroups(count, this.maxWorkgroupsPerDimension);
  }
  lanes(spec: KernelSpec): number {
    const [x, y, z] = this.pipelines.get(spec).layout.workgroupSize;
    return x * y * z;
  }

  workgroupsFor(spec: KernelSpec, invocations: number): [number, number, number] {
    return this.grid(Math.ceil(invocations / this.lanes(spec)));
  }

  // ---- storage ----------------------------------------------------------------------------------

  upload(data: Float32Array, shape: Shape): RawTensor {
    checkDataLength('upload', data, checkShape('upload', shape));
    const t = this.allocate('upload', shape);
    if (data.length > 0) {
      const source = unshared(data);
      this.device.queue.writeBuffer(t.buffer, 0, source.buffer, source.byteOffset, source.byteLength);
    }
    return t;
  }

  fill(shape: Shape, value: number): RawTensor {
    return launchFill(this, shape, value);
  }

  async read(t: RawTensor): Promise<Float32Array> {
    const tensor = this.live('read', t);
    const byteSize = tensor.byteLength;
    if (byteSize === 0) {
      this.flush();
      await this.recorder.checkErrors();
      return new Float32Array(0);
    }
    const staging = this.pool.acquire(byteSize, READBACK_USAGE, 'readback');
    this.recorder.copy(tensor.buffer, tensor.byteOffset, staging, byteSize);
    this.flush();
    const [errors, mapped] = await Promise.allSettled([
      this.recorder.checkErrors(),
      staging.mapAsync(GPUMapMode.READ, 0, byteSize),
    ]);
    if (errors.status === 'rejected') throw errors.reason;
    if (mapped.status === 'rejected') {
      this.recorder.requireDevice('read');
      throw new KernelError('read', `mapping the readback buffer failed: ${(mapped.reason as Error).message}`);
    }
    const values = new Float32Array(staging.getMappedRange(0, byteSize).slice(0));
    staging.unmap();
    this.pool.release(staging, false);
    return values;
  }

  write(t: RawTensor, data: Float32Array): void {
    const tensor = this.live('write', t);
    checkDataLength('write', data, tensor.shape);
    if (data.length === 0) return;
    // queue.writeBuffer runs before work not yet submitted: submit that work first, so it sees the old values
    this.recorder.submit();
    const source = unshared(data);
    this.device.queue.writeBuffer(
      tensor.buffer,
      tensor.byteOffset,
      source.buffer,
      source.byteOffset,
      source.byteLength,
    );
  }

  capture(fn: () => void): CapturedWork {
    this.checkAlive('capture');
    this.recorder.beginCapture();
    try {
      fn();
    } catch (error) {
      this.recorder.abandonCapture();
      throw error;
    }
    return this.recorder.endCapture();
  }

  release(t: RawTensor): void {
    const tensor = this.live('release', t);
    tensor.released = true;
    this.liveTensors--;
    const storage = tensor.storage;
    storage.holders--;
    if (storage.holders === 0) this.pool.release(storage.buffer, this.recorder.hasUnsubmittedWork);
  }

  /** A tensor of another shape over the same storage (same element count), for the autodiff layer. */
  reshape(t: RawTensor, shape: Shape): RawTensor {
    const source = this.live('reshape', t);
    const checked = checkShape('reshape', shape);
    if (shapeSize(checked) !== source.size) {
      throw new EngineError(
        `reshape: cannot view ${formatShape(source.shape)} (${source.size} values) as ${formatShape(checked)} (${shapeSize(checked)} values)`,
      );
    }
    source.storage.holders++;
    this.liveTensors++;
    return new GpuTensor(checked, source.storage, this, source.byteOffset);
  }

  view(t: RawTensor, offset: number, shape: Shape): RawTensor {
    const source = this.live('view', t);
    const checked = checkView(source, offset, shape);
    source.storage.holders++;
    this.liveTensors++;
    return new GpuTensor(checked, source.storage, this, source.byteOffset + 4 * offset);
  }

  aliases(a: RawTensor, b: RawTensor): boolean {
    const [x, y] = [this.live('aliases', a), this.live('aliases', b)];
    return x.storage === y.storage && x.byteOffset === y.byteOffset && x.size === y.size;
  }

  flush(): void {
    this.checkAlive('flush');
    this.recorder.submit();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pool.destroyAll();
    this.device.destroy();
  }

  // ---- dense kernels ----------------------------------------------------------------------------

  matmul(a: RawTensor, b: RawTensor, options: MatmulOptions = {}): RawTensor {
    const output = this.liveOutput('matmul', options.output);
    const product = launchMatmul(this, this.matmulVariant, this.live('matmul', a), this.live('matmul', b), {
      transA: options.transA ?? false,
      transB: options.transB ?? false,
      bias: options.bias ? this.live('matmul', options.bias) : undefined,
      activation: options.activation ?? 'none',
      output,
      addend: options.addend ? this.live('matmul', options.addend) : undefined,
    });
    return this.placed(product, output);
  }

  matmulWithColumnSums(
    a: RawTensor,
    b: RawTensor,
    options: ColumnSumsOptions = {},
  ): { product: RawTensor; columnSums: RawTensor } {
    const output = this.liveOutput('matmulWithColumnSums', options.output);
    const columnSumsOutput = this.liveOutput('matmulWithColumnSums', options.columnSumsOutput);
    const [left, right] = [this.live('matmul', a), this.live('matmul', b)];
    const { product, columnSums } = launchMatmulWithColumnSums(this, this.matmulVariant, left, right, {
      transA: options.transA ?? false,
      transB: options.transB ?? false,
      output,
      columnSumsOutput,
    });
    return { product: this.placed(product, output), columnSums: this.placed(columnSums, columnSumsOutput) };
  }

  unary(op: UnaryOp, a: RawTensor, alpha?: number): RawTensor {
    return launchUnary(this, op, this.live(`unary ${op}`, a), alpha);
  }

  binary(op: BinaryOp, a: RawTensor, b: RawTensor, options: AddendOption = {}): RawTensor {
    const addend = options.addend && this.live(op, options.addend);
    return launchBinary(this, op, this.live(op, a), this.live(op, b), addend);
  }

  activationGrad(activation: Activation, y: RawTensor, dy: RawTensor): RawTensor {
    const op = `activationGrad ${activation}`;
    const out = this.live(op, y);
    const upstream = this.live(op, dy);
    requireSameShape(op, 'y and dy', out.shape, upstream.shape);
    return launchActivationGrad(this, activation, out, upstream);
  }

  reduce(op: ReduceOp, a: RawTensor, axes: readonly number[], options: OutputOption = {}): RawTensor {
    const output = this.liveOutput(`reduce ${op}`, options.output);
    return this.placed(launchReduce(this, op, this.live(`reduce ${op}`, a), axes, output), output);
  }

  // ---- fused model kernels ----------------------------------------------------------------------

  uploadCsr(matrix: CsrMatrix): DeviceCsr {
    this.checkAlive('uploadCsr');
    validateCsr(matrix);
    this.recorder.requireDevice('uploadCsr');
    // slice(): a private copy, never a SharedArrayBuffer view (queue.writeBuffer crashes Node on those).
    // The contract has no release for a DeviceCsr: its buffers live until destroy().
    const arrays = [matrix.rowPtr.slice(), matrix.colIndex.slice(), matrix.values.slice()];
    const [rowPtr, colIndex, values] = arrays.map((array, i) => {
      const buffer = this.pool.acquire(
        array.byteLength,
        STORAGE_USAGE,
        ['csr row pointers', 'csr columns', 'csr values'][i]!,
      );
      if (array.byteLength > 0)
        this.device.queue.writeBuffer(buffer, 0, array.buffer, array.byteOffset, array.byteLength);
      return buffer;
    }) as [GPUBuffer, GPUBuffer, GPUBuffer];
    return new GpuCsr(matrix.n, matrix.values.length, rowPtr, colIndex, values, this);
  }

  laplacianSmoothness(z: RawTensor, laplacian: DeviceCsr): { value: RawTensor; grad: RawTensor } {
    const zs = this.live('laplacianSmoothness', z);
    if (!(laplacian instanceof GpuCsr) || laplacian.backend !== this) {
      throw new EngineError('laplacianSmoothness: the Laplacian was not uploaded to this webgpu backend');
    }
    const { partials, grad } = launchLaplacianSmoothness(this, zs, laplacian);
    return { value: this.memberTotals(partials), grad };
  }

  randomUniform(shape: Shape, key: RandomKey): RawTensor {
    const checked = checkShape('randomUniform', shape);
    checkRandomKey('randomUniform', checked, key);
    this.refuseFrozenStep('randomUniform', key);
    const seeds = this.uploadSeeds('randomUniform', key);
    const out = launchRandomUniform(this, checked, seeds, this.stepInput('randomUniform', key));
    this.release(seeds);
    return out;
  }

  reparameterize(mu: RawTensor, logVar: RawTensor, key: RandomKey): { z: RawTensor; eps: RawTensor } {
    const m = this.live('reparameterize', mu);
    const lv = this.live('reparameterize', logVar);
    requireSameShape('reparameterize', 'mu and logVar', m.shape, lv.shape);
    checkRandomKey('reparameterize', m.shape, key);
    this.refuseFrozenStep('reparameterize', key);
    const seeds = this.uploadSeeds('reparameterize', key);
    const sample = launchReparameterize(this, m, lv, seeds, this.stepInput('reparameterize', key));
    this.release(seeds);
    return sample;
  }

  weightedSum(terms: readonly RawTensor[], weights: readonly (number | RawTensor)[]): RawTensor {
    const factor = checkWeightedSum(terms, weights);
    const live = terms.map((t) => this.live('weightedSum', t));
    const liveWeights = weights.map((w) => (typeof w === 'number' ? w : this.live('weightedSum', w)));
    return launchWeightedSum(this, live, liveWeights, factor && this.live('weightedSum', factor));
  }

  weightedSumGrad(dy: RawTensor, weights: readonly (number | RawTensor)[]): RawTensor[] {
    const factor = checkSumWeights('weightedSumGrad', weights);
    const liveWeights = weights.map((w) => (typeof w === 'number' ? w : this.live('weightedSumGrad', w)));
    const liveFactor = factor && this.live('weightedSumGrad', factor);
    return launchWeightedSumGrad(this, this.live('weightedSumGrad', dy), liveWeights, liveFactor);
  }

  reparameterizeGrad(
    dz: RawTensor,
    logVar: RawTensor,
    eps: RawTensor,
    gathered: ReparameterizeGathered = {},
  ): { dMu: RawTensor; dLogVar: RawTensor } {
    const op = 'reparameterizeGrad';
    const d = this.live(op, dz);
    const lv = this.live(op, logVar);
    const e = this.live(op, eps);
    requireSameShape(op, 'dz and logVar', d.shape, lv.shape);
    requireSameShape(op, 'dz and eps', d.shape, e.shape);
    const muSoFar = gathered.mu && this.live(op, gathered.mu);
    const logVarSoFar = gathered.logVar && this.live(op, gathered.logVar);
    if (muSoFar) checkOutput(op, muSoFar, d.shape, 'gathered dμ');
    if (logVarSoFar) checkOutput(op, logVarSoFar, d.shape, 'gathered dlogσ²');
    return launchReparameterizeGrad(this, d, lv, e, { mu: muSoFar, logVar: logVarSoFar });
  }

  mse(pred: RawTensor, target: RawTensor, mask?: RawTensor): { value: RawTensor; grad: RawTensor } {
    const weights = mask ? this.live('mse', mask) : undefined;
    const { partials, grad } = launchMse(this, this.live('mse', pred), this.live('mse', target), weights);
    return { value: this.memberTotals(partials), grad };
  }

  kl(mu: RawTensor, logVar: RawTensor): { value: RawTensor; gradMu: RawTensor; gradLogVar: RawTensor } {
    const { partials, gradMu, gradLogVar } = launchKl(this, this.live('kl', mu), this.live('kl', logVar));
    return { value: this.memberTotals(partials), gradMu, gradLogVar };
  }

  adamUpdate(parameters: readonly AdamTensors[], hyper: AdamHyper): void {
    const sets = parameters.map(({ param, grad, m, v }) => {
      const [p, g, mm, vv] = [param, grad, m, v].map((t) => this.live('adamUpdate', t)) as [
        GpuTensor,
        GpuTensor,
        GpuTensor,
        GpuTensor,
      ];
      for (const t of [g, mm, vv]) requireSameShape('adamUpdate', 'param, grad, m and v', p.shape, t.shape);
      return { param: p, grad: g, m: mm, v: vv };
    });
    checkAdamStep(hyper);
    if ('step' in hyper && this.recorder.capturing) {
      throw new EngineError(
        `adamUpdate: step ${hyper.step} is a number inside capture, so every replay would reuse its bias corrections; ` +
          'pass corrections, a [2] tensor of (1 − β1ᵗ, 1 − β2ᵗ) written before each replay',
      );
    }
    launchAdamUpdate(this, sets, hyper, 'corrections' in hyper ? this.live('adamUpdate', hyper.corrections) : null);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Inside a capture the random step must be a tensor: a number would be frozen into every replay. */
  private refuseFrozenStep(op: string, key: RandomKey): void {
    if (typeof key.step === 'number' && this.recorder.capturing) {
      throw new EngineError(
        `${op}: key.step ${key.step} is a number inside capture, so every replay would draw the same numbers; ` +
          'pass a [1] step tensor written before each replay',
      );
    }
  }

  /** value[b] = Σ_c partials[b, c], shape [B]: a fused kernel's per-workgroup partial sums totalled. */
  private memberTotals(partials: GpuTensor): RawTensor {
    const summed = partials.shape[1] === 1 ? partials : launchReduce(this, 'sum', partials, [1]);
    const value = this.reshape(summed, [partials.shape[0]!]);
    if (summed !== partials) this.release(summed);
    this.release(partials);
    return value;
  }

  /** The key's step as the random kernels take it: a number, or the live [1] tensor. */
  private stepInput(op: string, key: RandomKey): number | GpuTensor {
    return typeof key.step === 'number' ? key.step : this.live(op, key.step);
  }

  /** The key's per-member seeds as a u32 storage buffer (a tensor of the same byte size). */
  private uploadSeeds(op: string, key: RandomKey): GpuTensor {
    const words = Uint32Array.from(key.seeds);
    const seeds = this.allocate(op, [words.length]);
    if (words.length > 0) this.device.queue.writeBuffer(seeds.buffer, 0, words.buffer, 0, words.byteLength);
    return seeds;
  }

  private checkAlive(op: string): void {
    if (this.destroyed) throw new EngineError(`${op}: the webgpu backend was destroyed`);
  }

  /** An `output` option's live tensor (undefined when not given). */
  private liveOutput(op: string, output: RawTensor | undefined): GpuTensor | undefined {
    return output && this.live(op, output);
  }

  /** What a primitive returns: its result, or a new view of the `output` it wrote (the caller keeps that one). */
  private placed(result: GpuTensor, output: GpuTensor | undefined): GpuTensor {
    return output ? (this.reshape(output, output.shape) as GpuTensor) : result;
  }

  /** The live GpuTensor behind `t`, or an EngineError naming the op. */
  private live(op: string, t: RawTensor): GpuTensor {
    this.checkAlive(op);
    if (!(t instanceof GpuTensor) || t.backend !== this) {
      throw new EngineError(`${op}: tensor ${formatShape(t.shape)} does not belong to this webgpu backend`);
    }
    if (t.released) throw new EngineError(`${op}: tensor ${formatShape(t.shape)} was released`);
    return t;
  }
}
