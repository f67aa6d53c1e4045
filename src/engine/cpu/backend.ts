/**
 * The cpu reference backend: every primitive of the Backend contract as plain loops over
 * Float32Array (float64 accumulation for long sums). Synchronous; `read` resolves at once.
 */
import {
  EngineError,
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
  type ReparameterizeGathered,
  type ReduceOp,
  type Shape,
  type UnaryOp,
} from '../backend';
import {
  checkAdamStep,
  checkDataLength,
  checkOutput,
  checkRandomKey,
  checkShape,
  checkStepValue,
  checkSumWeights,
  checkView,
  checkWeightedSum,
  requireSameShape,
} from '../argument-checks';
import { formatShape } from '../broadcast';
import { adamUpdateCpu } from './adam';
import { activationGradCpu, binaryCpu, unaryCpu, weightedSumCpu } from './elementwise';
import { laplacianSmoothnessCpu } from './laplacian';
import { validateCsr } from '../csr';
import { klCpu, mseCpu } from './losses';
import { columnSumsCpu, matmulCpu } from './matmul';
import { randomUniformCpu, reparameterizeCpu, reparameterizeGradCpu } from './random';
import { reduceCpu } from './reduce';
import { CpuCsr, CpuTensor } from './storage';

/**
 * The CPU reference backend: every primitive as plain TypeScript loops (float64 accumulation), the ground
 * truth each WebGPU kernel is tested against.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  /** Tensors handed out and not yet released: lets tests prove nothing leaks. */
  liveTensors = 0;
  private destroyed = false;

  describe(): string {
    return 'cpu reference backend (plain TypeScript loops, float64 accumulation)';
  }

  // ---- storage ----------------------------------------------------------------------------------

  upload(data: Float32Array, shape: Shape): RawTensor {
    const checked = checkShape('upload', shape);
    checkDataLength('upload', data, checked);
    return this.wrap(data.slice(), checked);
  }

  fill(shape: Shape, value: number): RawTensor {
    const checked = checkShape('fill', shape);
    return this.wrap(new Float32Array(shapeSize(checked)).fill(value), checked);
  }

  async read(t: RawTensor): Promise<Float32Array> {
    return this.data('read', t).slice();
  }

  write(t: RawTensor, data: Float32Array): void {
    const target = this.storage('write', t);
    checkDataLength('write', data, target.shape);
    target.data.set(data);
  }

  /** Kernels run as they are called here: fn runs once, and there is nothing to replay. */
  capture(fn: () => void): CapturedWork | null {
    this.checkAlive('capture');
    fn();
    return null;
  }

  release(t: RawTensor): void {
    this.storage('release', t).released = true;
    this.liveTensors--;
  }

  /**
   * A new tensor of another shape over the same storage (same element count): what the autodiff
   * layer's `reshape` needs. Releasing either one leaves the other usable.
   */
  reshape(t: RawTensor, shape: Shape): RawTensor {
    const source = this.storage('reshape', t);
    const checked = checkShape('reshape', shape);
    if (shapeSize(checked) !== source.size) {
      throw new EngineError(
        `reshape: cannot view ${formatShape(source.shape)} (${source.size} values) as ${formatShape(checked)} (${shapeSize(checked)} values)`,
      );
    }
    return this.wrap(source.data, checked);
  }

  view(t: RawTensor, offset: number, shape: Shape): RawTensor {
    const source = this.storage('view', t);
    const checked = checkView(source, offset, shape);
    return this.wrap(source.data.subarray(offset, offset + shapeSize(checked)), checked);
  }

  aliases(a: RawTensor, b: RawTensor): boolean {
    const [x, y] = [this.data('aliases', a), this.data('aliases', b)];
    return x.buffer === y.buffer && x.byteOffset === y.byteOffset && x.length === y.length;
  }

  flush(): void {
    this.checkAlive('flush');
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** result += addend, each sum rounded to float32 as the add op rounds it (see AddendOption). */
  private addAddend(op: string, result: { data: Float32Array; shape: Shape }, addend: RawTensor | undefined): void {
    if (!addend) return;
    const gathered = this.storage(op, addend);
    checkOutput(op, gathered, result.shape, 'addend');
    for (let i = 0; i < result.data.length; i++) result.data[i] = gathered.data[i]! + result.data[i]!;
  }

  // ---- dense kernels ----------------------------------------------------------------------------

  matmul(a: RawTensor, b: RawTensor, options: MatmulOptions = {}): RawTensor {
    const bias = options.bias ? this.operand('matmul', options.bias) : undefined;
    const result = matmulCpu(
      this.operand('matmul', a),
      this.operand('matmul', b),
      options.transA ?? false,
      options.transB ?? false,
      bias,
      options.activation ?? 'none',
    );
    this.addAddend('matmul', result, options.addend);
    return this.place('matmul', result, options.output);
  }

  matmulWithColumnSums(
    a: RawTensor,
    b: RawTensor,
    options: ColumnSumsOptions = {},
  ): { product: RawTensor; columnSums: RawTensor } {
    const transA = options.transA ?? false;
    const transB = options.transB ?? false;
    const [left, right] = [this.operand('matmul', a), this.operand('matmul', b)];
    const product = matmulCpu(left, right, transA, transB, undefined, 'none');
    const [batch, , n] = product.shape as [number, number, number];
    const k = transB ? right.shape[right.shape.length - 1]! : right.shape[right.shape.length - 2]!;
    const sums = columnSumsCpu(right, transB, batch, k, n);
    return {
      product: this.place('matmulWithColumnSums', product, options.output),
      columnSums: this.place('matmulWithColumnSums', { data: sums, shape: [batch, 1, n] }, options.columnSumsOutput),
    };
  }

  unary(op: UnaryOp, a: RawTensor, alpha?: number): RawTensor {
    const x = this.storage(`unary ${op}`, a);
    return this.wrap(unaryCpu(op, x.data, alpha), x.shape);
  }

  binary(op: BinaryOp, a: RawTensor, b: RawTensor, options: AddendOption = {}): RawTensor {
    const result = binaryCpu(op, this.operand(op, a), this.operand(op, b));
    this.addAddend(op, result, options.addend);
    return this.wrap(result.data, result.shape);
  }

  activationGrad(activation: Activation, y: RawTensor, dy: RawTensor): RawTensor {
    const op = `activationGrad ${activation}`;
    const out = this.storage(op, y);
    const upstream = this.storage(op, dy);
    requireSameShape(op, 'y and dy', out.shape, upstream.shape);
    return this.wrap(activationGradCpu(activation, out.data, upstream.data), out.shape);
  }

  reduce(op: ReduceOp, a: RawTensor, axes: readonly number[], options: OutputOption = {}): RawTensor {
    const result = reduceCpu(op, this.operand(`reduce ${op}`, a), axes);
    return this.place(`reduce ${op}`, result, options.output);
  }

  // ---- fused model kernels ----------------------------------------------------------------------

  uploadCsr(matrix: CsrMatrix): DeviceCsr {
    this.checkAlive('uploadCsr');
    validateCsr(matrix);
    const copy: CsrMatrix = {
      n: matrix.n,
      rowPtr: matrix.rowPtr.slice(),
      colIndex: matrix.colIndex.slice(),
      values: matrix.values.slice(),
    };
    return new CpuCsr(copy, this);
  }

  laplacianSmoothness(z: RawTensor, laplacian: DeviceCsr): { value: RawTensor; grad: RawTensor } {
    const zs = this.storage('laplacianSmoothness', z);
    if (!(laplacian instanceof CpuCsr) || laplacian.backend !== this) {
      throw new EngineError('laplacianSmoothness: the Laplacian was not uploaded to this cpu backend');
    }
    const { value, grad } = laplacianSmoothnessCpu(zs, laplacian.matrix);
    return { value: this.wrap(value, [zs.shape[0]!]), grad: this.wrap(grad, zs.shape) };
  }

  randomUniform(shape: Shape, key: RandomKey): RawTensor {
    const checked = checkShape('randomUniform', shape);
    return this.wrap(randomUniformCpu(checked, this.numericKey('randomUniform', checked, key)), checked);
  }

  reparameterize(mu: RawTensor, logVar: RawTensor, key: RandomKey): { z: RawTensor; eps: RawTensor } {
    const m = this.storage('reparameterize', mu);
    const lv = this.storage('reparameterize', logVar);
    requireSameShape('reparameterize', 'mu and logVar', m.shape, lv.shape);
    const { z, eps } = reparameterizeCpu(m, lv.data, this.numericKey('reparameterize', m.shape, key));
    return { z: this.wrap(z, m.shape), eps: this.wrap(eps, m.shape) };
  }

  weightedSum(terms: readonly RawTensor[], weights: readonly (number | RawTensor)[]): RawTensor {
    const factor = checkWeightedSum(terms, weights);
    const factorValue = factor ? this.storage('weightedSum', factor).data[0]! : 1;
    const data = terms.map((t) => this.storage('weightedSum', t).data);
    const w = weights.map((x) => (typeof x === 'number' ? x : factorValue));
    return this.wrap(weightedSumCpu(data, w), terms[0]!.shape);
  }

  weightedSumGrad(dy: RawTensor, weights: readonly (number | RawTensor)[]): RawTensor[] {
    const factor = checkSumWeights('weightedSumGrad', weights);
    const upstream = this.storage('weightedSumGrad', dy);
    const factorValue = factor ? this.storage('weightedSumGrad', factor).data[0]! : 1;
    // d t_k = w_k·dy, a numeric weight multiplying in float64 before the rounding (as the scale op)
    return weights.map((w) => {
      const weight = typeof w === 'number' ? w : factorValue;
      return this.wrap(unaryCpu('scale', upstream.data, weight), upstream.shape);
    });
  }

  reparameterizeGrad(
    dz: RawTensor,
    logVar: RawTensor,
    eps: RawTensor,
    gathered: ReparameterizeGathered = {},
  ): { dMu: RawTensor; dLogVar: RawTensor } {
    const d = this.storage('reparameterizeGrad', dz);
    const lv = this.storage('reparameterizeGrad', logVar);
    const e = this.storage('reparameterizeGrad', eps);
    requireSameShape('reparameterizeGrad', 'dz and logVar', d.shape, lv.shape);
    requireSameShape('reparameterizeGrad', 'dz and eps', d.shape, e.shape);
    const dMu = { data: d.data.slice(), shape: d.shape };
    const dLogVar = { data: reparameterizeGradCpu(d.data, lv.data, e.data), shape: d.shape };
    this.addAddend('reparameterizeGrad', dMu, gathered.mu);
    this.addAddend('reparameterizeGrad', dLogVar, gathered.logVar);
    return { dMu: this.wrap(dMu.data, d.shape), dLogVar: this.wrap(dLogVar.data, d.shape) };
  }

  mse(pred: RawTensor, target: RawTensor, mask?: RawTensor): { value: RawTensor; grad: RawTensor } {
    const p = this.operand('mse', pred);
    const { value, grad } = mseCpu(p, this.operand('mse', target), mask ? this.operand('mse', mask) : undefined);
    return { value: this.wrap(value, [p.shape[0]!]), grad: this.wrap(grad, p.shape) };
  }

  kl(mu: RawTensor, logVar: RawTensor): { value: RawTensor; gradMu: RawTensor; gradLogVar: RawTensor } {
    const m = this.operand('kl', mu);
    const { value, gradMu, gradLogVar } = klCpu(m, this.operand('kl', logVar));
    return {
      value: this.wrap(value, [m.shape[0]!]),
      gradMu: this.wrap(gradMu, m.shape),
      gradLogVar: this.wrap(gradLogVar, m.shape),
    };
  }

  adamUpdate(parameters: readonly AdamTensors[], hyper: AdamHyper): void {
    checkAdamStep(hyper);
    const [correction1, correction2] =
      'corrections' in hyper
        ? this.data('adamUpdate', hyper.corrections)
        : [1 - hyper.beta1 ** hyper.step, 1 - hyper.beta2 ** hyper.step];
    // every set is checked before any is updated
    const sets = parameters.map(({ param, grad, m, v }) => {
      const tensors = [param, grad, m, v].map((t) => this.storage('adamUpdate', t)) as [
        CpuTensor,
        CpuTensor,
        CpuTensor,
        CpuTensor,
      ];
      for (const t of tensors) requireSameShape('adamUpdate', 'param, grad, m and v', tensors[0].shape, t.shape);
      return tensors;
    });
    for (const [p, g, m, v] of sets) adamUpdateCpu(p.data, g.data, m.data, v.data, hyper, correction1!, correction2!);
  }

  /** The key with its step as a number (a step tensor read now: kernels run as they are called). */
  private numericKey(op: string, shape: Shape, key: RandomKey): { seeds: Uint32Array; step: number } {
    checkRandomKey(op, shape, key);
    if (typeof key.step === 'number') return { seeds: key.seeds, step: key.step };
    const step = this.data(op, key.step)[0]!;
    checkStepValue(op, step, 2 ** 24);
    return { seeds: key.seeds, step };
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private checkAlive(op: string): void {
    if (this.destroyed) throw new EngineError(`${op}: the cpu backend was destroyed`);
  }

  private wrap(data: Float32Array, shape: Shape): CpuTensor {
    this.checkAlive('allocate');
    this.liveTensors++;
    return new CpuTensor(Object.freeze([...shape]), data, this);
  }

  /** A result as a new tensor, or copied into `output` and returned as a new view of it. */
  private place(op: string, result: { data: Float32Array; shape: Shape }, output: RawTensor | undefined): CpuTensor {
    if (!output) return this.wrap(result.data, result.shape);
    const target = this.storage(op, output);
    checkOutput(op, target, result.shape);
    target.data.set(result.data);
    return this.wrap(target.data, target.shape);
  }

  /** The live CpuTensor behind `t`, or an EngineError naming the op. */
  private storage(op: string, t: RawTensor): CpuTensor {
    this.checkAlive(op);
    if (!(t instanceof CpuTensor) || t.backend !== this) {
      throw new EngineError(`${op}: tensor ${formatShape(t.shape)} does not belong to this cpu backend`);
    }
    if (t.released) throw new EngineError(`${op}: tensor ${formatShape(t.shape)} was released`);
    return t;
  }

  private data(op: string, t: RawTensor): Float32Array {
    return this.storage(op, t).data;
  }

  private operand(op: string, t: RawTensor): { data: Float32Array; shape: Shape } {
    const s = this.storage(op, t);
    return { data: s.data, shape: s.shape };
  }
}
