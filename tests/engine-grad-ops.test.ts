/**
 * Every differentiable op's VJP against central finite differences on the cpu backend
 * (tests/helpers/finite-diff.ts): L = Σ rᵢ yᵢ for a fixed random r, h = 1e-2 in float32,
 * tolerance |numeric − analytic| ≤ 1e-4 + 1e-3·|analytic| per input element (the worst seen is ~30% of that).
 * Inputs of non-smooth ops (relu, abs, max, min) are kept ≥ 0.1 away from their kinks.
 */
import { describe, expect, test } from 'vitest';
import type { Activation, CsrMatrix, UnaryOp } from '../src/engine/backend';
import * as ops from '../src/engine/ops';
import type { Tensor } from '../src/engine/tensor';
import { checkGradients, randomArray, seededRandom, type GradInput } from './helpers/finite-diff';

const random = seededRandom(2024);

function input(shape: number[], lo = -1, hi = 1): GradInput {
  return {
    data: randomArray(
      random,
      shape.reduce((p, d) => p * d, 1),
      lo,
      hi,
    ),
    shape,
  };
}

/** Values in [−1, 1] with |x| ≥ 0.1, so a ±1e-2 step never crosses 0. */
function awayFromZero(shape: number[]): GradInput {
  const x = input(shape);
  x.data = x.data.map((v) => (Math.abs(v) >= 0.1 ? v : v < 0 ? v - 0.1 : v + 0.1));
  return x;
}

function constant(x: GradInput): GradInput {
  return { ...x, constant: true };
}

async function expectGradientsMatch(
  build: (inputs: Tensor[]) => Tensor,
  inputs: GradInput[],
  h?: number,
): Promise<void> {
  const result = await checkGradients((_engine, tensors) => build(tensors), inputs, h ? { h } : {});
  expect(result.mismatches).toEqual([]);
  expect(result.checked).toBe(inputs.filter((i) => !i.constant).reduce((n, i) => n + i.data.length, 0));
}

describe('finite-difference checker', () => {
  test('rejects a deliberately wrong VJP (dx = dy instead of 2x·dy for x²)', async () => {
    const result = await checkGradients(
      (engine, [x]) => {
        const [raw] = engine.operands('wrongSquare', [x!]);
        return engine.record('wrongSquare', [x!], engine.backend.unary('square', raw!), (_g, dy) => [dy]);
      },
      [input([3, 4], 0.5, 2)],
    );
    expect(result.mismatches.length).toBe(12);
  });
});

describe('matmul gradients', () => {
  const flags = [false, true];
  for (const transA of flags) {
    for (const transB of flags) {
      test(`transA=${transA} transB=${transB}, batch 3`, async () => {
        const [m, k, n] = [4, 3, 5];
        await expectGradientsMatch(
          ([a, b]) => ops.matmul(a!, b!, { transA, transB }),
          [input(transA ? [3, k, m] : [3, m, k]), input(transB ? [3, n, k] : [3, k, n])],
        );
      });
    }
  }

  test('batch-1 A broadcast over B = 3 (grad summed over the batch)', async () => {
    await expectGradientsMatch(([a, b]) => ops.matmul(a!, b!), [input([1, 2, 3]), input([3, 3, 4])]);
  });

  test('rank-2 B (shared weights) with transB', async () => {
    await expectGradientsMatch(([a, b]) => ops.matmul(a!, b!, { transB: true }), [input([3, 2, 4]), input([5, 4])]);
  });

  test('size-1 dimensions everywhere', async () => {
    await expectGradientsMatch(([a, b]) => ops.matmul(a!, b!), [input([1, 1, 1]), input([1, 1, 1])]);
  });

  test('an A two matmuls read (its first gradient added inside the second matmul), plain and transposed', async () => {
    for (const transA of [false, true]) {
      await expectGradientsMatch(
        ([a, b, c]) => ops.add(ops.matmul(a!, b!, { transA }), ops.matmul(a!, c!, { transA })),
        [input(transA ? [2, 3, 4] : [2, 4, 3]), input([2, 3, 5]), input([2, 3, 5])],
      );
    }
  });

  const activations: Activation[] = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'];
  for (const activation of activations) {
    test(`bias + ${activation}, per-member bias and shared bias`, async () => {
      // relu: keep pre-activations away from 0 by pushing the bias (inputs in [0.2, 1] make A·B > 0.04)
      const positive = activation === 'relu';
      const a = positive ? input([2, 3, 4], 0.2, 1) : input([2, 3, 4]);
      const b = positive ? input([4, 2], 0.2, 1) : input([4, 2]);
      await expectGradientsMatch(
        ([x, w, bias]) => ops.matmul(x!, w!, { bias, activation }),
        [a, b, input([2, 1, 2], 0.1, 0.5)],
      );
      await expectGradientsMatch(
        ([x, w, bias]) => ops.matmul(x!, w!, { bias, activation }),
        [a, b, input([1, 1, 2], 0.1, 0.5)],
      );
    });
  }

  test('relu with mixed-sign pre-activations (gradient zero where inactive)', async () => {
    // one row of A is negative and B positive, so that row's outputs are clamped at 0
    const a = input([1, 2, 3], 0.2, 1);
    a.data.set([-0.5, -0.7, -0.4], 0);
    await expectGradientsMatch(([x, w]) => ops.matmul(x!, w!, { activation: 'relu' }), [a, input([3, 2], 0.2, 1)]);
  });
});

describe('broadcasting binary op gradients', () => {
  const pairs: [string, number[], number[]][] = [
    ['same shape', [2, 3, 4], [2, 3, 4]],
    ['row vector', [2, 3, 4], [4]],
    ['column against row', [3, 1], [1, 4]],
    ['batch-1 against batch', [1, 3, 2], [3, 3, 2]],
    ['scalar', [2, 3], []],
    ['rank 4', [2, 1, 3, 2], [3, 1, 2]],
  ];
  for (const [label, shapeA, shapeB] of pairs) {
    test(`add, sub, mul, div: ${label} ${JSON.stringify(shapeA)} ∘ ${JSON.stringify(shapeB)}`, async () => {
      await expectGradientsMatch(([a, b]) => ops.add(a!, b!), [input(shapeA), input(shapeB)]);
      await expectGradientsMatch(([a, b]) => ops.sub(a!, b!), [input(shapeA), input(shapeB)]);
      await expectGradientsMatch(([a, b]) => ops.mul(a!, b!), [input(shapeA), input(shapeB)]);
      await expectGradientsMatch(([a, b]) => ops.div(a!, b!), [input(shapeA), input(shapeB, 0.5, 2)]);
    });
  }

  test('maximum and minimum route the gradient to the chosen input', async () => {
    // a and b differ by ≥ 0.1 everywhere (b = a ± offset), so ±1e-2 steps never flip the choice
    const a = input([3, 4]);
    const offsets = awayFromZero([3, 4]);
    const b = { data: a.data.map((v, i) => v + offsets.data[i]!), shape: [3, 4] };
    await expectGradientsMatch(([x, y]) => ops.maximum(x!, y!), [a, b]);
    await expectGradientsMatch(([x, y]) => ops.minimum(x!, y!), [a, b]);
  });

  test('maximum with a broadcast threshold', async () => {
    await expectGradientsMatch(
      ([x, y]) => ops.maximum(x!, y!),
      [awayFromZero([2, 5]), { data: new Float32Array([0]), shape: [1] }],
    );
  });

  test('the same tensor on both sides: x·x and x − x', async () => {
    await expectGradientsMatch(([x]) => ops.mul(x!, x!), [input([2, 3])]);
    await expectGradientsMatch(([x]) => ops.sub(x!, x!), [input([2, 3])]);
  });

  test('a constant operand receives no gradient', async () => {
    await expectGradientsMatch(([a, b]) => ops.mul(a!, b!), [input([2, 3]), constant(input([2, 3]))]);
  });
});

describe('unary op gradients', () => {
  const shape = [2, 3, 5];
  // a Record over UnaryOp, so an op added to the table without a gradient check does not compile
  const cases: Record<UnaryOp, [(x: Tensor) => Tensor, GradInput]> = {
    scale: [(x) => ops.scale(x, -2.5), input(shape)],
    addScalar: [(x) => ops.addScalar(x, 3), input(shape)],
    neg: [(x) => ops.neg(x), input(shape)],
    exp: [(x) => ops.exp(x), input(shape)],
    log: [(x) => ops.log(x), input(shape, 0.5, 3)],
    sqrt: [(x) => ops.sqrt(x), input(shape, 0.5, 3)],
    square: [(x) => ops.square(x), input(shape)],
    abs: [(x) => ops.abs(x), awayFromZero(shape)],
    relu: [(x) => ops.relu(x), awayFromZero(shape)],
    tanh: [(x) => ops.tanh(x), input(shape, -2, 2)],
    sigmoid: [(x) => ops.sigmoid(x), input(shape, -3, 3)],
    softplus: [(x) => ops.softplus(x), input(shape, -3, 3)],
  };
  for (const [name, [op, x]] of Object.entries(cases)) {
    test(name, async () => {
      await expectGradientsMatch(([t]) => op(t!), [x]);
    });
  }
});

describe('reduction and reshape gradients', () => {
  const x = input([2, 3, 4]);
  const axesCases: (number[] | undefined)[] = [undefined, [0], [1], [2], [-1], [0, 2], [0, 1, 2], []];
  for (const axes of axesCases) {
    test(`sum and mean over ${axes ? JSON.stringify(axes) : 'all axes'}`, async () => {
      await expectGradientsMatch(([t]) => ops.sum(t!, axes), [x]);
      await expectGradientsMatch(([t]) => ops.mean(t!, axes), [x]);
    });
  }

  test('rank 4 and rank 0 inputs', async () => {
    await expectGradientsMatch(([t]) => ops.mean(t!, [1, 3]), [input([2, 3, 1, 4])]);
    await expectGradientsMatch(([t]) => ops.sum(t!), [input([])]);
  });

  test('reshape then a shape-dependent op', async () => {
    await expectGradientsMatch(([t, w]) => ops.mul(ops.reshape(t!, [3, 4]), w!), [input([2, 6]), input([4])]);
  });
});

/** Path graph 0–1–…–(n−1) with an extra chord 0–(n−1): combinatorial Laplacian D − A in CSR. */
function ringLaplacian(n: number): CsrMatrix {
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const neighbours = [(i + n - 1) % n, (i + 1) % n].filter((j, idx, all) => j !== i && all.indexOf(j) === idx);
    rows[i]!.push([i, neighbours.length]);
    for (const j of neighbours) rows[i]!.push([j, -1]);
    rows[i]!.sort((p, q) => p[0] - q[0]);
  }
  const rowPtr = new Uint32Array(n + 1);
  rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i]! + r.length));
  return {
    n,
    rowPtr,
    colIndex: Uint32Array.from(rows.flat().map(([j]) => j)),
    values: Float32Array.from(rows.flat().map(([, v]) => v)),
  };
}

describe('fused op gradients', () => {
  test('laplacianSmoothness on a 5-node ring, B = 3, K = 2', async () => {
    await expectGradientsMatch(
      (t) => ops.laplacianSmoothness(t[0]!, t[0]!.engine.csr(ringLaplacian(5))),
      [input([3, 5, 2])],
    );
  });

  test('reparameterize (same seeds and step every evaluation)', async () => {
    const key = { seeds: new Uint32Array([11, 12]), step: 5 };
    await expectGradientsMatch(
      ([mu, logVar]) => ops.reparameterize(mu!, logVar!, key),
      [input([2, 3, 2]), input([2, 3, 2])],
    );
  });

  test('mse with a mask and a batch-1 target', async () => {
    const mask = { data: new Float32Array([1, 0, 1, 1, 1, 0, 0, 1]), shape: [2, 4, 1], constant: true };
    await expectGradientsMatch(([p, t, m]) => ops.mse(p!, t!, m), [input([2, 4, 3]), constant(input([1, 4, 3])), mask]);
  });

  test('mse without a mask', async () => {
    await expectGradientsMatch(([p, t]) => ops.mse(p!, t!), [input([3, 2, 1]), constant(input([3, 2, 1]))]);
  });

  test('weightedSum of four terms, one weight a [1] tensor (not differentiated)', async () => {
    const beta = { data: new Float32Array([0.7]), shape: [1], constant: true };
    await expectGradientsMatch(
      ([a, b, c, d, w]) => ops.weightedSum([a!, b!, c!, d!], [1, w!, -2.5, 0.01]),
      [input([3]), input([3]), input([3]), input([3]), beta],
    );
    await expectGradientsMatch(([a, b]) => ops.weightedSum([a!, b!], [0.5, 3]), [input([2, 3]), input([2, 3])]);
  });

  test('kl', async () => {
    await expectGradientsMatch(([mu, logVar]) => ops.kl(mu!, logVar!), [input([2, 3, 4]), input([2, 3, 4])]);
  });

  test('a small VAE-shaped composite: encoder, sample, decoder, all losses', async () => {
    const key = { seeds: new Uint32Array([1, 2]), step: 0 };
    const laplacian = ringLaplacian(4);
    await expectGradientsMatch(
      ([x, w1, wMu, wLv, wd]) => {
        const h = ops.matmul(x!, w1!, { activation: 'tanh' });
        const mu = ops.matmul(h, wMu!);
        const logVar = ops.matmul(h, wLv!);
        const z = ops.reparameterize(mu, logVar, key);
        const xHat = ops.matmul(z, wd!);
        const smooth = ops.laplacianSmoothness(mu, x!.engine.csr(laplacian));
        return ops.add(ops.add(ops.mse(xHat, x!), ops.kl(mu, logVar)), ops.scale(smooth, 0.1));
      },
      [constant(input([2, 4, 3])), input([3, 5]), input([5, 2]), input([5, 2], -0.3, 0.3), input([1, 2, 3])],
    );
  });
});
