/**
 * The contract between the autodiff layer and the two compute backends.
 *
 * A backend owns storage and runs primitive kernels; it knows nothing of gradients or tapes
 * (those live in `tensor.ts` / `ops.ts`, above it) and nothing of brains.
 *
 * Conventions shared by both implementations:
 * - Storage is row-major float32. A `RawTensor` is a shape plus backend-owned storage.
 * - Shapes are rank 0–4. Model tensors are rank 3, `[B, rows, cols]`, where B is the number of
 *   independent models trained at once; an operand with leading size 1 broadcasts over B.
 * - Binary ops broadcast numpy-style (right-aligned; a size-1 axis stretches).
 * - Primitives never mutate their inputs, except `adamUpdate` (in place by design).
 * - Results come back asynchronously only through `read`: every other call just records work.
 */

export type Shape = readonly number[];

/** Backend-owned storage with a shape. `storage` is a Float32Array on cpu, a GPUBuffer on webgpu. */
export interface RawTensor {
  readonly shape: Shape;
  readonly size: number;
  readonly backend: Backend;
}

/** Epilogue activations fused into matmul; each one's derivative is expressible from its output. */
export type Activation = 'none' | 'relu' | 'tanh' | 'sigmoid' | 'softplus';

/**
 * Elementwise unary ops. `scale` and `addScalar` take `alpha`:
 * scale: α·x, addScalar: x + α, neg: −x, exp, log, sqrt, square: x², abs,
 * relu: max(x,0), tanh, sigmoid: 1/(1+e^−x), softplus: log(1+e^x) (computed stably).
 */
export type UnaryOp =
  'scale' | 'addScalar' | 'neg' | 'exp' | 'log' | 'sqrt' | 'square' | 'abs' | 'relu' | 'tanh' | 'sigmoid' | 'softplus';

/** Elementwise binary ops with broadcasting. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

/** Reductions over an axis: sum or mean. */
export type ReduceOp = 'sum' | 'mean';

/**
 * Sparse symmetric matrix in compressed sparse row form, N×N (a graph Laplacian).
 * Row i's entries are colIndex[rowPtr[i] .. rowPtr[i+1]) with values in `values`.
 */
export interface CsrMatrix {
  readonly n: number;
  readonly rowPtr: Uint32Array;
  readonly colIndex: Uint32Array;
  readonly values: Float32Array;
}

/** A CSR matrix placed on a backend once (uploaded on webgpu) and reused every step. */
export interface DeviceCsr {
  readonly n: number;
  readonly nnz: number;
  readonly backend: Backend;
}

/**
 * Where a view may start, in elements: 64 float32 = 256 bytes, the largest storage-buffer offset
 * alignment WebGPU lets a device ask for, so a view binds at its offset on every device.
 */
export const VIEW_ALIGNMENT = 64;

/**
 * A tensor a primitive writes its result into instead of new storage (it must have the result's
 * shape); the primitive then returns a new view of it. The backward pass writes gradients into
 * their slots of a parameter arena this way.
 */
export interface OutputOption {
  output?: RawTensor;
}

/**
 * A gradient gathered so far, added last to a primitive's result and rounded once more, so that
 * `f(a, b, { addend })` gives what `binary('add', addend, f(a, b))` gives, in one kernel.
 */
export interface AddendOption {
  /** Shape of the result. */
  addend?: RawTensor;
}

/** The gradients μ and logσ² have gathered before reparameterize's backward adds its share. */
export interface ReparameterizeGathered {
  mu?: RawTensor | undefined;
  logVar?: RawTensor | undefined;
}

/** A backend matmul's transposes, bias, fused activation, addend and output. */
export interface MatmulOptions extends OutputOption {
  /** Use Aᵀ (A stored [B, K, M]) instead of A ([B, M, K]). */
  transA?: boolean;
  /** Use Bᵀ (B stored [B, N, K]) instead of B ([B, K, N]). */
  transB?: boolean;
  /** Added to every row of the product: shape [B|1, 1, N]. */
  bias?: RawTensor;
  /** Applied after the bias. */
  activation?: Activation;
  /**
   * Added last, C = act(op(A)·op(B) + bias) + addend, rounded once more ([B, M, N]; not the output):
   * the gradient gathered so far plus a product's share, as `binary('add', addend, C)` gives it.
   */
  addend?: RawTensor;
}

/** matmulWithColumnSums's options: transposes, and where the product and the column sums go. */
export interface ColumnSumsOptions extends Pick<MatmulOptions, 'transA' | 'transB' | 'output'> {
  columnSumsOutput?: RawTensor;
}

/** Adam(W) hyperparameters as the backend's fused update takes them (exported as AdamKernelSettings). */
export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay (AdamW); 0 for plain Adam. */
  weightDecay: number;
}

/**
 * The bias corrections of step t: from t itself (1-based; 1 − βᵗ computed in float64 on the host),
 * or read from a [2] tensor holding (1 − β1ᵗ, 1 − β2ᵗ) when the work runs, so a replayed step
 * (see `capture`) uses the values written before it (inside `capture`, only the tensor is taken).
 */
export type AdamStep = { step: number } | { corrections: RawTensor };

/** Everything one fused Adam update needs besides the tensors: the settings and the step's bias corrections. */
export type AdamHyper = AdamSettings & AdamStep;

/** One parameter's tensors for an Adam step: updated in place except grad. */
export interface AdamTensors {
  param: RawTensor;
  grad: RawTensor;
  m: RawTensor;
  v: RawTensor;
}

/** Per-batch-member seeds for counter-based random numbers (Philox4x32-10). */
export interface RandomKey {
  /** One 32-bit seed per batch member (length B of the output's leading axis). */
  seeds: Uint32Array;
  /**
   * Stream position, e.g. the training step, so every step draws fresh numbers: an integer in
   * 0..2³²−1, or a [1] tensor holding one below 2²⁴ (exact in float32), read when the work runs
   * (inside `capture` it must be the tensor).
   */
  step: number | RawTensor;
}

/** Work recorded once by `Backend.capture` and rerun by `replay` with no JavaScript per kernel. */
export interface CapturedWork {
  /** Kernel launches one replay records. */
  readonly dispatches: number;
  /** Records the captured kernels again, on the same buffers with the same parameters. */
  replay(): void;
  /** Lets the buffers the captured work uses return to the pool once their tensors are released. */
  dispose(): void;
}

/**
 * What a compute backend provides: storage, the primitives the ops run on, fused kernels, and capture/replay
 * of recorded work.
 */
export interface Backend {
  readonly name: 'cpu' | 'webgpu';
  /** Human-readable description (adapter, driver) for reports and benchmarks. */
  describe(): string;

  // ---- storage --------------------------------------------------------------------------------
  upload(data: Float32Array, shape: Shape): RawTensor;
  fill(shape: Shape, value: number): RawTensor;
  /** Copies the tensor's values back to the host. The only call that waits for the device. */
  read(t: RawTensor): Promise<Float32Array>;
  /**
   * The same storage viewed under another shape of equal size (no copy). Releasing either the
   * view or the source leaves the other usable; storage returns to the pool when both are released.
   */
  reshape(t: RawTensor, shape: Shape): RawTensor;
  /**
   * A view of t's values from element `offset` (a multiple of VIEW_ALIGNMENT) under `shape`, which
   * must fit inside t (no copy; released as `reshape`'s views). Kernels read and write it in place:
   * a parameter arena's parameters and gradient slots are such views.
   */
  view(t: RawTensor, offset: number, shape: Shape): RawTensor;
  /** Whether a and b are views of the same values (same storage, offset and size). */
  aliases(a: RawTensor, b: RawTensor): boolean;
  /**
   * Overwrites t's values with data (same length): work recorded before sees the old values, work
   * recorded after the new ones (on webgpu, work recorded and not yet submitted is submitted first).
   */
  write(t: RawTensor, data: Float32Array): void;
  /**
   * Runs fn, which records kernels, and keeps what it recorded as work that `replay` reruns:
   * the same kernels on the same buffers with the same parameters, no JavaScript per kernel. So
   * values that change from one step to the next must come from tensors written (`write`) before
   * each replay, never from numbers inside fn, and uploads inside fn are constants. The values
   * that are per-step by nature are refused as numbers inside fn (an EngineError): a RandomKey's
   * `step` must be a [1] tensor and adamUpdate must take `corrections`, not `step`. fn must not
   * read. Returns null on a backend that runs kernels as they are called (cpu): call fn again there.
   */
  capture(fn: () => void): CapturedWork | null;
  /** Returns storage to the backend's pool. Using `t` afterwards is an error. */
  release(t: RawTensor): void;
  /** Submits recorded work (webgpu); a no-op on cpu. */
  flush(): void;
  /** Releases every resource; the process can exit afterwards. */
  destroy(): void;

  // ---- dense kernels ----------------------------------------------------------------------------
  /**
   * Batched matrix product C[b] = act(op(A[b]) · op(B[b]) + bias[b]).
   * A: [B|1, M, K] (or [B|1, K, M] with transA), B: [B|1, K, N] (or [B|1, N, K] with transB);
   * batch-1 operands broadcast. Rank-2 inputs are treated as batch 1. Result [B, M, N].
   */
  matmul(a: RawTensor, b: RawTensor, options?: MatmulOptions): RawTensor;
  /**
   * C[b] = op(A[b])·op(B[b]) as `matmul`, and in the same pass the column sums of op(B[b]),
   * s[b] = 1ᵀ·op(B[b]), shape [B, 1, N]. In a layer's backward pass, with op(A) = Xᵀ and op(B) =
   * P = dY ⊙ act′, these are the weight gradient Xᵀ·P and the bias gradient Σ_rows P at once.
   */
  matmulWithColumnSums(
    a: RawTensor,
    b: RawTensor,
    options?: ColumnSumsOptions,
  ): { product: RawTensor; columnSums: RawTensor };
  unary(op: UnaryOp, a: RawTensor, alpha?: number): RawTensor;
  /** out = addend + f(a, b) (see AddendOption), with broadcasting of a and b. */
  binary(op: BinaryOp, a: RawTensor, b: RawTensor, options?: AddendOption): RawTensor;
  /** dL/dx for y = act(x), from the output y and upstream dy: dy ⊙ act′ expressed through y. */
  activationGrad(activation: Activation, y: RawTensor, dy: RawTensor): RawTensor;
  /** Sum or mean over the listed axes (negative axes count from the end); keeps them as size 1. */
  reduce(op: ReduceOp, a: RawTensor, axes: readonly number[], options?: OutputOption): RawTensor;

  // ---- fused model kernels -----------------------------------------------------------------------
  uploadCsr(matrix: CsrMatrix): DeviceCsr;
  /**
   * Laplacian smoothness of Z: [B, N, K] under L (N×N CSR), in one pass:
   * value[b] = tr(Z[b]ᵀ L Z[b]) → shape [B]; grad[b] = 2 L Z[b] → shape [B, N, K] (L symmetric).
   */
  laplacianSmoothness(z: RawTensor, laplacian: DeviceCsr): { value: RawTensor; grad: RawTensor };
  /**
   * Uniform numbers in (0, 1] from Philox4x32-10, shape [B, ...]: element i of batch member b uses
   * key (seeds[b], 0x2545F491) and counter (i >> 2, step, 0xC0FFEE, 0), output word i & 3,
   * u = ((bits >>> 8) + 0.5) · 2⁻²⁴ rounded to float32 (so never 0; the top value rounds to 1).
   * Bit-identical on both backends.
   */
  randomUniform(shape: Shape, key: RandomKey): RawTensor;
  /**
   * Reparameterised sample z = μ + exp(½·logσ²) ⊙ ε with ε ~ N(0, 1) from Box–Muller on Philox
   * words: element i of member b uses counter (i >> 1, step, 0xB0C5, 0) and words (2·(i&1), 2·(i&1)+1)
   * → u = ((bits >>> 8) + 0.5) · 2⁻²⁴ kept exact (not rounded to float32, so u1 < 1 and
   * ln u1 stays accurate near 1), ε = √(−2 ln u1) · cos(2π u2).
   * μ, logσ²: [B, N, K]. Returns z and ε (ε is kept for the backward pass).
   */
  reparameterize(mu: RawTensor, logVar: RawTensor, key: RandomKey): { z: RawTensor; eps: RawTensor };
  /**
   * total = (w0·t0 + w1·t1) + (w2·t2 + w3·t3) elementwise, each product and sum rounded to float32
   * in that order: up to 4 terms of one shape (missing ones count as 0). A weight is a number or a
   * [1] tensor (read when the kernel runs, e.g. a β written before each replayed step); all tensor
   * weights must be the same tensor.
   */
  weightedSum(terms: readonly RawTensor[], weights: readonly (number | RawTensor)[]): RawTensor;
  /**
   * weightedSum's gradient in one pass: d t_k = w_k·dy for each of the 1 to 4 weights (taken as in
   * weightedSum), each product rounded to float32 once, as a scale or mul op of its own would.
   */
  weightedSumGrad(dy: RawTensor, weights: readonly (number | RawTensor)[]): RawTensor[];
  /**
   * Both gradients of reparameterize's z = μ + exp(½·logσ²)·ε in one pass, each added to what its
   * input has gathered so far (absent = 0):
   *   dμ = gathered.mu + dz,   dlogσ² = gathered.logVar + ½·((dz · exp(½·logσ²)) · ε),
   * rounded to float32 after each operation in that order (as the chain of elementwise ops it
   * replaces). dz, logVar, eps and the gathered gradients: one shape.
   */
  reparameterizeGrad(
    dz: RawTensor,
    logVar: RawTensor,
    eps: RawTensor,
    gathered?: ReparameterizeGathered,
  ): { dMu: RawTensor; dLogVar: RawTensor };
  /**
   * Masked mean squared error per batch member, value and gradient in one pass:
   * value[b] = Σ_{n,c} m[b,n]·(p[b,n,c] − t[b,n,c])² / max(1, C·Σ_n m[b,n]);
   * grad = ∂value/∂p = 2·m·(p − t) / max(1, C·Σ_n m). pred: [B, N, C]; target: [B|1, N, C];
   * mask: [B|1, N, 1] of 0/1 weights (omitted = all ones). Returns value [B], grad [B, N, C].
   */
  mse(pred: RawTensor, target: RawTensor, mask?: RawTensor): { value: RawTensor; grad: RawTensor };
  /**
   * KL(N(μ, σ²) ‖ N(0, 1)) per batch member, averaged over the N·K entries:
   * value[b] = −½ · mean(1 + logσ² − μ² − exp(logσ²)); gradMu = μ/(N·K),
   * gradLogVar = ½·(exp(logσ²) − 1)/(N·K). Returns value [B], gradMu, gradLogVar [B, N, K].
   */
  kl(mu: RawTensor, logVar: RawTensor): { value: RawTensor; gradMu: RawTensor; gradLogVar: RawTensor };
  /**
   * Fused Adam(W) step of every listed parameter, in place on param, m, v (each set one shape),
   * from grad: m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; m̂ = m/(1−β1ᵗ); v̂ = v/(1−β2ᵗ);
   * p = p − lr·(m̂/(√v̂ + ε) + wd·p). The webgpu backend updates several parameters per dispatch.
   */
  adamUpdate(parameters: readonly AdamTensors[], hyper: AdamHyper): void;
}

/** Number of elements of a shape (1 for rank 0). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Thrown on misuse of the engine: wrong shapes, released tensors, mixed backends. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** Thrown when a GPU kernel fails validation or the device is lost; names the kernel. */
export class KernelError extends Error {
  override name = 'KernelError';
  constructor(
    readonly kernel: string,
    message: string,
  ) {
    super(`kernel ${kernel}: ${message}`);
  }
}
