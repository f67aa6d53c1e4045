/**
 * Central finite differences for checking the engine's vector–Jacobian products on the cpu backend.
 *
 * The scalar checked is a fixed random projection of the op's output, L = Σ rᵢ·yᵢ with rᵢ ~ U(−1, 1),
 * so every output element's gradient path matters. Inputs are perturbed in float32 by ±h and the
 * difference is divided by the actual float32 step (x₊ − x₋); L is summed in float64 from the read
 * values. Agreement: |numeric − analytic| ≤ atol + rtol·|analytic| for every input element.
 */
import { CpuBackend } from '../../src/engine/cpu/backend';
import { Engine } from '../../src/engine/engine';
import { mul, sum } from '../../src/engine/ops';
import type { Tensor } from '../../src/engine/tensor';

/** mulberry32: a small seeded generator for reproducible test data, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values uniform in [lo, hi). */
export function randomArray(random: () => number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * random());
}

export interface GradInput {
  data: Float32Array;
  shape: number[];
  /** A constant operand: no gradient checked or requested. */
  constant?: boolean;
}

export interface GradCheckOptions {
  /** Perturbation; 1e-2 by default. Tolerances default to atol 1e-4, rtol 1e-3. */
  h?: number;
  atol?: number;
  rtol?: number;
  seed?: number;
}

export interface GradMismatch {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

export interface GradCheckResult {
  /** Elements compared over all non-constant inputs. */
  checked: number;
  mismatches: GradMismatch[];
}

type Build = (engine: Engine, inputs: Tensor[]) => Tensor;

/** y = build(inputs) under noGrad; returns Σ rᵢ yᵢ in float64 and frees everything. */
async function projectedOutput(
  build: Build,
  inputs: GradInput[],
  datas: Float32Array[],
  r: Float32Array,
): Promise<number> {
  const engine = new Engine(new CpuBackend());
  const y = engine.noGrad(() =>
    engine.tidy(() =>
      build(
        engine,
        datas.map((d, i) => engine.tensor(d, inputs[i]!.shape)),
      ),
    ),
  );
  const values = await y.read();
  engine.backend.destroy();
  let total = 0;
  for (let i = 0; i < values.length; i++) total += r[i]! * values[i]!;
  return total;
}

export async function checkGradients(
  build: Build,
  inputs: GradInput[],
  options: GradCheckOptions = {},
): Promise<GradCheckResult> {
  const h = options.h ?? 1e-2;
  const atol = options.atol ?? 1e-4;
  const rtol = options.rtol ?? 1e-3;
  const random = seededRandom(options.seed ?? 7);

  const engine = new Engine(new CpuBackend());
  const tensors = inputs.map((input) => engine.tensor(input.data, input.shape, { requiresGrad: !input.constant }));
  const y = build(engine, tensors);
  const r = randomArray(random, y.size);
  engine.backward(sum(mul(y, engine.tensor(r, y.shape))));
  const analytic = await Promise.all(tensors.map((t) => (t.grad ? t.grad.read() : Promise.resolve(null))));
  engine.backend.destroy();

  const result: GradCheckResult = { checked: 0, mismatches: [] };
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!;
    if (input.constant) continue;
    const grad = analytic[k];
    if (!grad) throw new Error(`input ${k} received no gradient`);
    for (let j = 0; j < input.data.length; j++) {
      const plus = input.data.slice();
      const minus = input.data.slice();
      plus[j] = plus[j]! + h;
      minus[j] = minus[j]! - h;
      const datas = inputs.map((other) => other.data);
      const lossPlus = await projectedOutput(
        build,
        inputs,
        datas.map((d, i) => (i === k ? plus : d)),
        r,
      );
      const lossMinus = await projectedOutput(
        build,
        inputs,
        datas.map((d, i) => (i === k ? minus : d)),
        r,
      );
      const numeric = (lossPlus - lossMinus) / (plus[j]! - minus[j]!);
      result.checked++;
      if (Math.abs(numeric - grad[j]!) > atol + rtol * Math.abs(grad[j]!)) {
        result.mismatches.push({ input: k, index: j, analytic: grad[j]!, numeric });
      }
    }
  }
  return result;
}
