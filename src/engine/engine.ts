/**
 * The autodiff engine: creates tensors on a backend, records differentiable ops on a tape, runs the
 * reverse pass through backend primitives only, and manages memory with `tidy` scopes.
 *
 * Memory rules:
 * - Tensors made inside `tidy(fn)` are disposed when fn returns, except those returned (handed to
 *   the enclosing scope) and those passed to `keep`. Params and gradients are never tidied.
 * - A disposed tensor that a recorded op still needs for its backward pass keeps its storage until
 *   the tape lets go of it: after `backward`, or when no live tensor depends on that op any more.
 */
import { EngineError, type Backend, type CsrMatrix, type DeviceCsr, type RawTensor, type Shape } from './backend';
import { formatShape, sameShape } from './broadcast';
import { GradientScope } from './gradient-scope';
import { Tensor } from './tensor';

/**
 * Vector–Jacobian product of one recorded op: from the upstream gradient dy (shape of the output)
 * to one gradient per input (its exact shape), or null where `needsGrad` is false. It computes
 * through the scope `g`, which releases every tensor it made except the gradients returned; a
 * returned gradient is one of those or `dy` itself. It never releases anything itself.
 */
export type VectorJacobianProduct = (
  g: GradientScope,
  dy: RawTensor,
  needsGrad: readonly boolean[],
) => (RawTensor | null)[];

/** One recorded op: its inputs and output, the tensors its VJP keeps, and the VJP itself. */
export interface TapeEntry {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** Backend tensors only the VJP uses (ε, fused loss gradients); released with the entry. */
  readonly saved: readonly RawTensor[];
  readonly vjp: VectorJacobianProduct;
}

/** Options of a new tensor: `requiresGrad` makes it a leaf that `backward` gives a `.grad`. */
export interface TensorOptions {
  requiresGrad?: boolean;
}

/**
 * Tensors on one backend, the tape of differentiable ops recorded on them, and `tidy` scopes that free what a
 * step made.
 */
export class Engine {
  private tape: TapeEntry[] = [];
  private readonly scopes: Set<Tensor>[] = [];
  private gradDisabledDepth = 0;

  constructor(readonly backend: Backend) {}

  // ---- creating tensors --------------------------------------------------------------------------

  tensor(data: Float32Array | number[], shape: Shape, opts: TensorOptions = {}): Tensor {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    return this.track(new Tensor(this, this.backend.upload(values, shape), opts.requiresGrad ?? false));
  }

  zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
    return this.fill(shape, 0, opts);
  }

  fill(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
    return this.track(new Tensor(this, this.backend.fill(shape, value), opts.requiresGrad ?? false));
  }

  /** A persistent leaf with requiresGrad = true: never tidied, disposed only explicitly. */
  param(data: Float32Array, shape: Shape): Tensor {
    const t = new Tensor(this, this.backend.upload(data, shape), true);
    t.persistent = true;
    return t;
  }

  csr(m: CsrMatrix): DeviceCsr {
    return this.backend.uploadCsr(m);
  }

  // ---- scopes ------------------------------------------------------------------------------------

  /**
   * Runs fn; then disposes every tensor created inside it that is neither returned (found in the
   * result, its arrays and plain objects) nor kept. Returned tensors join the enclosing scope.
   */
  tidy<T>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.endScope(scope, new Set());
      throw error;
    }
    if (result instanceof Promise) {
      this.endScope(scope, new Set());
      throw new EngineError('tidy: fn returned a Promise; tidy needs a synchronous function (await outside it)');
    }
    this.endScope(scope, collectTensors(result));
    return result;
  }

  /** Exempts t from every enclosing and future tidy; dispose it yourself. */
  keep(t: Tensor): Tensor {
    t.persistent = true;
    for (const scope of this.scopes) scope.delete(t);
    return t;
  }

  /** Runs fn without recording: ops inside produce tensors with requiresGrad = false. */
  noGrad<T>(fn: () => T): T {
    this.gradDisabledDepth++;
    try {
      return fn();
    } finally {
      this.gradDisabledDepth--;
    }
  }

  /** Disposes t (see Tensor.dispose); the tape then forgets ops nothing live depends on. */
  dispose(t: Tensor): void {
    if (t.disposed) return;
    this.disposeOne(t);
    if (t.creator) this.pruneTape();
  }

  private disposeOne(t: Tensor): void {
    t.disposed = true;
    for (const scope of this.scopes) scope.delete(t);
    if (t.grad) {
      t.grad.dispose();
      t.grad = null;
    }
    if (t.tapeUses === 0) this.backend.release(t.rawForTape);
  }

  // ---- recording ---------------------------------------------------------------------------------

  /** Number of ops on the tape (for tests and leak checks). */
  get tapeLength(): number {
    return this.tape.length;
  }

  /** Checks the inputs of `op` are live tensors of this engine; returns their storage. */
  operands(op: string, inputs: readonly Tensor[]): RawTensor[] {
    return inputs.map((t, i) => {
      if (t.engine !== this)
        throw new EngineError(`${op}: input ${i} ${formatShape(t.shape)} belongs to another engine`);
      if (t.disposed) throw new EngineError(`${op}: input ${i} ${formatShape(t.shape)} was disposed`);
      return t.raw;
    });
  }

  /**
   * Wraps an op's output; records it on the tape when gradients are enabled and some input
   * requires one. Otherwise the saved tensors are released at once.
   */
  record(
    op: string,
    inputs: readonly Tensor[],
    output: RawTensor,
    vjp: VectorJacobianProduct,
    saved: readonly RawTensor[] = [],
  ): Tensor {
    const recording = this.gradDisabledDepth === 0 && inputs.some((t) => t.requiresGrad);
    const out = this.track(new Tensor(this, output, recording));
    if (!recording) {
      for (const raw of saved) this.backend.release(raw);
      return out;
    }
    const entry: TapeEntry = { op, inputs, output: out, saved, vjp };
    for (const t of inputs) t.tapeUses++;
    out.tapeUses++;
    out.creator = entry;
    this.tape.push(entry);
    return out;
  }

  /** A view of `raw` with another shape (same element count). */
  reshapeRaw(raw: RawTensor, shape: Shape): RawTensor {
    return this.backend.reshape(raw, shape);
  }

  // ---- reverse pass ------------------------------------------------------------------------------

  /**
   * Reverse pass from `loss`, seeded with ones of its shape (so a [B] loss gives each batch member
   * its own gradient). Accumulates into `.grad` of every leaf with requiresGrad that loss depends
   * on, then clears the tape.
   */
  backward(loss: Tensor): void {
    this.operands('backward', [loss]);
    if (!loss.requiresGrad) {
      throw new EngineError(
        `backward: loss ${formatShape(loss.shape)} depends on no tensor with requiresGrad (computed inside noGrad?)`,
      );
    }
    // the seed is uploaded, not filled by a kernel: inside a capture it is a constant (no dispatch per replay)
    const seed = this.backend.upload(new Float32Array(loss.size).fill(1), loss.shape);
    const grads = new Map<Tensor, RawTensor>([[loss, seed]]);
    try {
      for (let i = this.tape.length - 1; i >= 0; i--) {
        const entry = this.tape[i]!;
        const dy = grads.get(entry.output);
        if (dy === undefined) continue;
        grads.delete(entry.output);
        this.propagate(entry, dy, grads);
      }
      for (const [leaf, g] of grads) this.accumulateLeafGrad(leaf, g);
      grads.clear();
    } finally {
      for (const g of grads.values()) this.backend.release(g);
      this.clearTape();
    }
  }

  /** Releases (or zeroes, by dropping) the `.grad` of each param. */
  zeroGrad(params: readonly Tensor[]): void {
    for (const p of params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  // ---- internals ---------------------------------------------------------------------------------

  private track(t: Tensor): Tensor {
    this.scopes[this.scopes.length - 1]?.add(t);
    return t;
  }

  private endScope(scope: Set<Tensor>, returned: Set<Tensor>): void {
    if (this.scopes.pop() !== scope) throw new EngineError('tidy: scopes closed out of order');
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (returned.has(t)) parent?.add(t);
      else if (!t.persistent) this.disposeOne(t);
    }
    this.pruneTape();
  }

  /** Runs one entry's VJP in a gradient scope and adds each input's gradient into `grads`. */
  private propagate(entry: TapeEntry, dy: RawTensor, grads: Map<Tensor, RawTensor>): void {
    const needs = entry.inputs.map((t) => t.requiresGrad);
    const slots = entry.inputs.map((t, k) => this.slotFor(entry, t, k));
    // an input used once by this entry may have its gradient so far folded into this rule's kernel
    const usedOnce = (t: Tensor) => entry.inputs.indexOf(t) === entry.inputs.lastIndexOf(t);
    const gathered = entry.inputs.map((t) => (usedOnce(t) ? (grads.get(t) ?? null) : null));
    const scope = new GradientScope(this.backend, slots, gathered);
    let inputGrads: (RawTensor | null)[];
    try {
      inputGrads = entry.vjp(scope, dy, needs).map((g, k) => (needs[k] ? (g ?? null) : null));
    } catch (error) {
      scope.close([]);
      this.backend.release(dy);
      throw error;
    }
    scope.close(inputGrads);
    const handedOn = new Set<RawTensor>();
    entry.inputs.forEach((input, k) => {
      let g = inputGrads[k] ?? null;
      if (g === null) return;
      // one tensor may be the gradient of several inputs (dy for add); each slot must own its storage
      if (handedOn.has(g)) g = this.backend.unary('scale', g, 1);
      handedOn.add(g);
      if (!sameShape(g.shape, input.shape)) {
        throw new EngineError(
          `backward: ${entry.op} gave input ${k} a gradient ${formatShape(g.shape)}, expected ${formatShape(input.shape)}`,
        );
      }
      const previous = grads.get(input);
      if (scope.tookGathered(k)) {
        // g = previous + this rule's share, summed in its kernel
        grads.set(input, g);
        if (previous !== undefined && previous !== g) this.backend.release(previous);
      } else if (previous === undefined) {
        grads.set(input, g);
      } else {
        grads.set(input, this.backend.binary('add', previous, g));
        this.backend.release(previous);
        this.backend.release(g);
      }
    });
    if (!handedOn.has(dy)) this.backend.release(dy);
  }

  /**
   * A leaf's gradient slot, when this entry's gradient for input k will be its whole gradient: the
   * leaf's .grad is cleared and no other tape entry or input slot uses it.
   */
  private slotFor(entry: TapeEntry, input: Tensor, k: number): RawTensor | null {
    const soleUse = input.tapeUses === 1 && entry.inputs.indexOf(input) === k && entry.inputs.lastIndexOf(input) === k;
    const clearedLeaf = input.creator === null && input.requiresGrad && input.grad === null;
    return input.gradSlot && clearedLeaf && soleUse ? input.gradSlot : null;
  }

  private accumulateLeafGrad(leaf: Tensor, g: RawTensor): void {
    if (!leaf.requiresGrad) {
      this.backend.release(g);
      return;
    }
    const previous = leaf.grad;
    const total = previous ? this.backend.binary('add', previous.raw, g) : g;
    if (previous) {
      this.backend.release(g);
      previous.dispose();
    }
    const grad = new Tensor(this, total, false);
    grad.persistent = true;
    leaf.grad = grad;
  }

  /** Drops tape entries that no live tensor depends on any more. */
  private pruneTape(): void {
    const needed = new Set<TapeEntry>();
    const stack = this.tape.filter((e) => !e.output.disposed);
    while (stack.length > 0) {
      const entry = stack.pop()!;
      if (needed.has(entry)) continue;
      needed.add(entry);
      for (const input of entry.inputs) if (input.creator && !needed.has(input.creator)) stack.push(input.creator);
    }
    if (needed.size === this.tape.length) return;
    const dropped = this.tape.filter((e) => !needed.has(e));
    this.tape = this.tape.filter((e) => needed.has(e));
    for (const entry of dropped.reverse()) this.dropEntry(entry);
  }

  private clearTape(): void {
    const entries = this.tape;
    this.tape = [];
    for (const entry of entries.reverse()) this.dropEntry(entry);
  }

  private dropEntry(entry: TapeEntry): void {
    for (const raw of entry.saved) this.backend.release(raw);
    if (entry.output.creator === entry) entry.output.creator = null;
    for (const t of [...entry.inputs, entry.output]) {
      t.tapeUses--;
      if (t.tapeUses === 0 && t.disposed) this.backend.release(t.rawForTape);
    }
  }
}

/** Tensors reachable from a tidy result through arrays and plain objects. */
function collectTensors(value: unknown, found = new Set<Tensor>()): Set<Tensor> {
  if (value instanceof Tensor) found.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, found);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, found);
  }
  return found;
}
