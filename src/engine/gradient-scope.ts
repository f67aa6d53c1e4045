/**
 * The backend primitives a vector–Jacobian product may use, each result remembered so the engine can
 * release every temporary when the VJP returns (all but the gradients it hands back). A gradient
 * rule is therefore just its formula, e.g. √x: `g.binary('div', dy, g.unary('scale', y, 2))`.
 */
import type {
  Activation,
  AddendOption,
  Backend,
  BinaryOp,
  ColumnSumsOptions,
  MatmulOptions,
  OutputOption,
  RawTensor,
  ReduceOp,
  ReparameterizeGathered,
  Shape,
  UnaryOp,
} from './backend';

/** The scope a vector–Jacobian product runs in: backend primitives whose temporaries are freed on return. */
export class GradientScope {
  private readonly made: RawTensor[] = [];

  constructor(
    readonly backend: Backend,
    /**
     * Per input of the op, where its gradient may be written in place (a parameter arena's
     * gradient slot, see parameter-arena.ts), or null. A rule passes it as a primitive's `output`
     * where its result has exactly the input's shape; elsewhere it is ignored.
     */
    private readonly destinations: readonly (RawTensor | null)[] = [],
    /**
     * Per input, the gradient other ops have already given it in this backward pass, or null. A
     * rule may fold it into the kernel that makes its own share (a matmul's `addend`) and return
     * the sum, after `takeGathered(k)`; the engine then adds nothing.
     */
    private readonly gathered: readonly (RawTensor | null)[] = [],
  ) {}

  /** Input k's gradient slot when its gradient may be written there, else undefined. */
  destination(k: number): RawTensor | undefined {
    return this.destinations[k] ?? undefined;
  }

  /** Input k's gradient so far, which the rule now promises to include in what it returns for k. */
  takeGathered(k: number): RawTensor | undefined {
    const g = this.gathered[k] ?? undefined;
    if (g) this.taken.add(k);
    return g;
  }

  /** Whether the gradient returned for input k already includes what was gathered before. */
  tookGathered(k: number): boolean {
    return this.taken.has(k);
  }

  private readonly taken = new Set<number>();

  unary(op: UnaryOp, a: RawTensor, alpha?: number): RawTensor {
    return this.keepTrack(this.backend.unary(op, a, alpha));
  }

  binary(op: BinaryOp, a: RawTensor, b: RawTensor, options?: AddendOption): RawTensor {
    return this.keepTrack(this.backend.binary(op, a, b, options));
  }

  activationGrad(activation: Activation, y: RawTensor, dy: RawTensor): RawTensor {
    return this.keepTrack(this.backend.activationGrad(activation, y, dy));
  }

  reduce(op: ReduceOp, a: RawTensor, axes: readonly number[], options?: OutputOption): RawTensor {
    return this.keepTrack(this.backend.reduce(op, a, axes, options));
  }

  fill(shape: Shape, value: number): RawTensor {
    return this.keepTrack(this.backend.fill(shape, value));
  }

  /** A view of `a` under `shape` (no copy). */
  reshape(a: RawTensor, shape: Shape): RawTensor {
    return this.keepTrack(this.backend.reshape(a, shape));
  }

  matmul(a: RawTensor, b: RawTensor, options?: MatmulOptions): RawTensor {
    return this.keepTrack(this.backend.matmul(a, b, options));
  }

  matmulWithColumnSums(
    a: RawTensor,
    b: RawTensor,
    options?: ColumnSumsOptions,
  ): { product: RawTensor; columnSums: RawTensor } {
    const { product, columnSums } = this.backend.matmulWithColumnSums(a, b, options);
    return { product: this.keepTrack(product), columnSums: this.keepTrack(columnSums) };
  }

  weightedSumGrad(dy: RawTensor, weights: readonly (number | RawTensor)[]): RawTensor[] {
    return this.backend.weightedSumGrad(dy, weights).map((t) => this.keepTrack(t));
  }

  reparameterizeGrad(
    dz: RawTensor,
    logVar: RawTensor,
    eps: RawTensor,
    gathered?: ReparameterizeGathered,
  ): { dMu: RawTensor; dLogVar: RawTensor } {
    const { dMu, dLogVar } = this.backend.reparameterizeGrad(dz, logVar, eps, gathered);
    return { dMu: this.keepTrack(dMu), dLogVar: this.keepTrack(dLogVar) };
  }

  /** Releases every tensor made in this scope except `survivors` (the gradients handed back). */
  close(survivors: readonly (RawTensor | null)[]): void {
    const kept = new Set(survivors);
    for (const t of this.made) if (!kept.has(t)) this.backend.release(t);
    this.made.length = 0;
  }

  private keepTrack(t: RawTensor): RawTensor {
    this.made.push(t);
    return t;
  }
}
