/**
 * CPU backend primitives against naive, index-by-index expectations written here independently
 * (float64 throughout), on awkward shapes: sizes 1, 3, 17, 68 and batches 1 and 3.
 * Tolerance: |cpu − naive| ≤ 1e-5·(1 + |naive|) (float32 storage of float64 results).
 */
import { describe, expect, test } from 'vitest';
import {
  EngineError,
  shapeSize,
  type Activation,
  type BinaryOp,
  type CsrMatrix,
  type UnaryOp,
} from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { randomArray, seededRandom } from './helpers/finite-diff';

const random = seededRandom(99);
const backend = new CpuBackend();

function expectClose(actual: Float32Array, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(actual[i]! - e) <= tol * (1 + Math.abs(e)))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${e}`);
    }
  }
}

/** Multi-index of flat position `flat` in a row-major shape. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return index;
}

function ravel(index: readonly number[], shape: readonly number[]): number {
  return index.reduce((flat, v, i) => flat * shape[i]! + v, 0);
}

const naiveActivation: Record<Activation, (x: number) => number> = {
  none: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => Math.log(1 + Math.exp(x)),
};

describe('matmul', () => {
  const dims: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 5],
    [68, 3, 17],
    [17, 68, 1],
  ];
  for (const [m, k, n] of dims) {
    for (const [batchA, batchB] of [
      [1, 1],
      [3, 3],
      [1, 3],
      [3, 1],
    ] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          test(`M=${m} K=${k} N=${n}, batches ${batchA}×${batchB}, transA=${transA} transB=${transB}`, async () => {
            const shapeA = transA ? [batchA, k, m] : [batchA, m, k];
            const shapeB = transB ? [batchB, n, k] : [batchB, k, n];
            const a = randomArray(random, shapeSize(shapeA));
            const b = randomArray(random, shapeSize(shapeB));
            const batch = Math.max(batchA, batchB);
            const expected: number[] = [];
            for (let bb = 0; bb < batch; bb++) {
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < n; j++) {
                  let s = 0;
                  for (let kk = 0; kk < k; kk++) {
                    const ab = batchA === 1 ? 0 : bb;
                    const bbIndex = batchB === 1 ? 0 : bb;
                    const aVal = a[ravel(transA ? [ab, kk, i] : [ab, i, kk], shapeA)]!;
                    const bVal = b[ravel(transB ? [bbIndex, j, kk] : [bbIndex, kk, j], shapeB)]!;
                    s += aVal * bVal;
                  }
                  expected.push(s);
                }
              }
            }
            const c = backend.matmul(backend.upload(a, shapeA), backend.upload(b, shapeB), { transA, transB });
            expect(c.shape).toEqual([batch, m, n]);
            expectClose(await backend.read(c), expected);
          });
        }
      }
    }
  }

  const activations: Activation[] = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'];
  for (const activation of activations) {
    test(`rank-2 operands, shared and per-member bias, ${activation} epilogue`, async () => {
      const a = randomArray(random, 3 * 17 * 4, -2, 2);
      const w = randomArray(random, 4 * 3, -2, 2);
      for (const biasBatch of [1, 3]) {
        const bias = randomArray(random, biasBatch * 3);
        const c = backend.matmul(backend.upload(a, [3, 17, 4]), backend.upload(w, [4, 3]), {
          bias: backend.upload(bias, [biasBatch, 1, 3]),
          activation,
        });
        const expected: number[] = [];
        for (let bb = 0; bb < 3; bb++) {
          for (let i = 0; i < 17; i++) {
            for (let j = 0; j < 3; j++) {
              let s = bias[(biasBatch === 1 ? 0 : bb) * 3 + j]!;
              for (let kk = 0; kk < 4; kk++) s += a[(bb * 17 + i) * 4 + kk]! * w[kk * 3 + j]!;
              expected.push(naiveActivation[activation](s));
            }
          }
        }
        expectClose(await backend.read(c), expected);
      }
    });
  }

  test('matmulWithColumnSums: the product and 1ᵀ·op(B), by hand', async () => {
    // op(A) = Aᵀ for A [1, 2, 3]; op(B) = B [2, 2, 2] (batch 2, A broadcast)
    const a = backend.upload(Float32Array.of(1, 2, 3, 4, 5, 6), [1, 2, 3]);
    const b = backend.upload(Float32Array.of(1, 0, 0, 1, 2, 3, 4, 5), [2, 2, 2]);
    const { product, columnSums } = backend.matmulWithColumnSums(a, b, { transA: true });
    // Aᵀ = [[1,4],[2,5],[3,6]]; member 0: Aᵀ·I; member 1: Aᵀ·[[2,3],[4,5]]
    expect(Array.from(await backend.read(product))).toEqual([1, 4, 2, 5, 3, 6, 18, 23, 24, 31, 30, 39]);
    expect(columnSums.shape).toEqual([2, 1, 2]);
    expect(Array.from(await backend.read(columnSums))).toEqual([1, 1, 6, 8]);
    // transB: op(B) = Bᵀ for B stored [1, 3, 2] = rows (1,2), (3,4), (5,6): column sums of op(B) are B's row sums
    const t = backend.matmulWithColumnSums(b, backend.reshape(a, [1, 3, 2]), { transA: true, transB: true });
    expect(Array.from(await backend.read(t.columnSums))).toEqual([3, 7, 11, 3, 7, 11]);
  });

  test('rank-2 × rank-2 gives [1, M, N]', () => {
    const c = backend.matmul(backend.fill([3, 2], 1), backend.fill([2, 5], 1));
    expect(c.shape).toEqual([1, 3, 5]);
  });

  test('softplus and sigmoid epilogues stay finite for large inputs', async () => {
    const c = backend.matmul(backend.upload(new Float32Array([100, -100]), [1, 2, 1]), backend.fill([1, 1], 1), {
      activation: 'softplus',
    });
    expectClose(await backend.read(c), [100, 0]);
    const s = backend.matmul(backend.upload(new Float32Array([100, -800]), [1, 2, 1]), backend.fill([1, 1], 1), {
      activation: 'sigmoid',
    });
    expectClose(await backend.read(s), [1, 0]);
  });

  test('shape errors name the op and both shapes', () => {
    expect(() => backend.matmul(backend.fill([3, 17, 5], 0), backend.fill([3, 4, 2], 0))).toThrow(
      new EngineError('matmul: inner dimensions differ: A [3,17,5] vs B [3,4,2]'),
    );
    expect(() => backend.matmul(backend.fill([3, 2, 5], 0), backend.fill([2, 5, 2], 0))).toThrow(
      'matmul: batch sizes differ: A [3,2,5] vs B [2,5,2]',
    );
    expect(() =>
      backend.matmul(backend.fill([2, 5], 0), backend.fill([5, 4], 0), { bias: backend.fill([1, 4], 0) }),
    ).toThrow('matmul: bias [1,4] must be [1|1,1,4] for output [1,2,4]');
    expect(() => backend.matmul(backend.fill([5], 0), backend.fill([5, 4], 0))).toThrow(
      'matmul: A must be rank 2 or 3, got [5]',
    );
  });
});

describe('elementwise', () => {
  const naiveUnary: Record<UnaryOp, (x: number) => number> = {
    scale: (x) => -1.5 * x,
    addScalar: (x) => x - 1.5,
    neg: (x) => -x,
    exp: Math.exp,
    log: Math.log,
    sqrt: Math.sqrt,
    square: (x) => x * x,
    abs: Math.abs,
    relu: (x) => Math.max(x, 0),
    tanh: Math.tanh,
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    softplus: (x) => Math.log1p(Math.exp(x)),
  };
  for (const op of Object.keys(naiveUnary) as UnaryOp[]) {
    test(`unary ${op} on [3,17]`, async () => {
      const positive = op === 'log' || op === 'sqrt';
      const x = randomArray(random, 51, positive ? 0.01 : -3, 3);
      const alpha = op === 'scale' ? -1.5 : op === 'addScalar' ? -1.5 : undefined;
      const y = backend.unary(op, backend.upload(x, [3, 17]), alpha);
      expect(y.shape).toEqual([3, 17]);
      expectClose(await backend.read(y), Array.from(x, naiveUnary[op]));
    });
  }

  test('scale without alpha is an error', () => {
    expect(() => backend.unary('scale', backend.fill([2], 1))).toThrow('unary scale: alpha must be a finite number');
  });

  const naiveBinary: Record<BinaryOp, (a: number, b: number) => number> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    max: Math.max,
    min: Math.min,
  };
  const pairs: [number[], number[], number[]][] = [
    [
      [3, 17],
      [3, 17],
      [3, 17],
    ],
    [
      [3, 1, 17],
      [68, 1],
      [3, 68, 17],
    ],
    [[1], [2, 3, 1, 4], [2, 3, 1, 4]],
    [[], [17], [17]],
    [
      [3, 1, 5, 1],
      [1, 4, 1, 2],
      [3, 4, 5, 2],
    ],
    [
      [0, 3],
      [1, 3],
      [0, 3],
    ],
  ];
  for (const [shapeA, shapeB, shapeOut] of pairs) {
    test(`binary ops broadcast ${JSON.stringify(shapeA)} with ${JSON.stringify(shapeB)}`, async () => {
      const a = randomArray(random, shapeSize(shapeA), 0.5, 2);
      const b = randomArray(random, shapeSize(shapeB), 0.5, 2);
      for (const op of Object.keys(naiveBinary) as BinaryOp[]) {
        const c = backend.binary(op, backend.upload(a, shapeA), backend.upload(b, shapeB));
        expect(c.shape).toEqual(shapeOut);
        const expected = Array.from({ length: shapeSize(shapeOut) }, (_, flat) => {
          const index = unravel(flat, shapeOut);
          const pick = (shape: number[]) =>
            ravel(
              shape.map((d, i) => (d === 1 ? 0 : index[i + shapeOut.length - shape.length]!)),
              shape,
            );
          return naiveBinary[op](a[pick(shapeA)]!, b[pick(shapeB)]!);
        });
        expectClose(await backend.read(c), expected);
      }
    });
  }

  test('incompatible broadcast names both shapes', () => {
    expect(() => backend.binary('add', backend.fill([3, 4], 0), backend.fill([3], 0))).toThrow(
      'add: shapes do not broadcast: [3,4] vs [3]',
    );
  });

  test('activationGrad is dy ⊙ act′ through the output', async () => {
    const y = Float32Array.from([-0.5, 0, 0.25, 0.9]);
    const dy = Float32Array.from([1, 2, 3, 4]);
    const read = (a: Activation) =>
      backend.read(backend.activationGrad(a, backend.upload(y, [4]), backend.upload(dy, [4])));
    expectClose(await read('none'), dy);
    expectClose(await read('relu'), [0, 0, 3, 4]);
    expectClose(
      await read('tanh'),
      Array.from(y, (v, i) => dy[i]! * (1 - v * v)),
    );
    expectClose(
      await read('sigmoid'),
      Array.from(y, (v, i) => dy[i]! * v * (1 - v)),
    );
    expectClose(
      await read('softplus'),
      Array.from(y, (v, i) => dy[i]! * (1 - Math.exp(-v))),
    );
    expect(() => backend.activationGrad('tanh', backend.fill([4], 0), backend.fill([2, 2], 0))).toThrow(
      'activationGrad tanh: y and dy must have the same shape: [4] vs [2,2]',
    );
  });
});

describe('reduce', () => {
  const shape = [3, 17, 1, 4];
  const x = randomArray(random, shapeSize(shape));
  const axesCases = [[0], [1], [3], [-1], [0, 1], [1, 3], [0, 1, 2, 3], []];
  for (const axes of axesCases) {
    test(`sum and mean over ${JSON.stringify(axes)} of [3,17,1,4]`, async () => {
      const normal = axes.map((a) => (a < 0 ? a + shape.length : a));
      const outShape = shape.map((d, i) => (normal.includes(i) ? 1 : d));
      const sums = new Array<number>(shapeSize(outShape)).fill(0);
      for (let flat = 0; flat < x.length; flat++) {
        const index = unravel(flat, shape).map((v, i) => (normal.includes(i) ? 0 : v));
        sums[ravel(index, outShape)]! += x[flat]!;
      }
      const count = x.length / sums.length;
      const s = backend.reduce('sum', backend.upload(x, shape), axes);
      const m = backend.reduce('mean', backend.upload(x, shape), axes);
      expect(s.shape).toEqual(outShape);
      expectClose(await backend.read(s), sums);
      expectClose(
        await backend.read(m),
        sums.map((v) => v / count),
      );
    });
  }

  test('rank 0 and bad axes', async () => {
    expectClose(await backend.read(backend.reduce('sum', backend.fill([], 2.5), [])), [2.5]);
    expect(() => backend.reduce('sum', backend.fill([2, 3], 0), [2])).toThrow(
      'reduce sum: axis 2 is out of range for shape [2,3]',
    );
    expect(() => backend.reduce('mean', backend.fill([2, 3], 0), [1, -1])).toThrow(
      'reduce mean: axis -1 is listed twice for shape [2,3]',
    );
  });
});

/** A random symmetric N×N matrix with ~`density` off-diagonal entries, as CSR and dense. */
function randomSymmetric(n: number, density: number): { csr: CsrMatrix; dense: Float64Array } {
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = Math.fround(1 + random());
    for (let j = i + 1; j < n; j++) {
      if (random() < density) {
        const v = Math.fround(random() - 0.5);
        dense[i * n + j] = v;
        dense[j * n + i] = v;
      }
    }
  }
  const rowPtr = new Uint32Array(n + 1);
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (dense[i * n + j] !== 0) {
        cols.push(j);
        values.push(dense[i * n + j]!);
      }
    }
    rowPtr[i + 1] = cols.length;
  }
  return { csr: { n, rowPtr, colIndex: Uint32Array.from(cols), values: Float32Array.from(values) }, dense };
}

describe('fused kernels', () => {
  for (const [batch, n, k] of [
    [1, 68, 16],
    [3, 17, 1],
    [3, 1, 3],
  ] as const) {
    test(`laplacianSmoothness B=${batch} N=${n} K=${k} against dense tr(Zᵀ L Z) and 2 L Z`, async () => {
      const { csr, dense } = randomSymmetric(n, 0.1);
      const z = randomArray(random, batch * n * k);
      const { value, grad } = backend.laplacianSmoothness(backend.upload(z, [batch, n, k]), backend.uploadCsr(csr));
      const values: number[] = [];
      const grads: number[] = [];
      for (let b = 0; b < batch; b++) {
        let trace = 0;
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < k; c++) {
            let lz = 0;
            for (let j = 0; j < n; j++) lz += dense[i * n + j]! * z[(b * n + j) * k + c]!;
            trace += z[(b * n + i) * k + c]! * lz;
            grads.push(2 * lz);
          }
        }
        values.push(trace);
      }
      expect(value.shape).toEqual([batch]);
      expectClose(await backend.read(value), values);
      expectClose(await backend.read(grad), grads);
    });
  }

  test('uploadCsr rejects malformed and asymmetric matrices', () => {
    const base = {
      n: 2,
      rowPtr: Uint32Array.from([0, 1, 2]),
      colIndex: Uint32Array.from([1, 0]),
      values: Float32Array.from([1, 2]),
    };
    expect(() => backend.uploadCsr(base)).toThrow('uploadCsr: matrix is not symmetric: L[0,1] = 1 but L[1,0] = 2');
    expect(() => backend.uploadCsr({ ...base, colIndex: Uint32Array.from([1, 2]) })).toThrow(
      'uploadCsr: row 1 has column 2, outside 0..1',
    );
    expect(() => backend.uploadCsr({ ...base, rowPtr: Uint32Array.from([0, 2]) })).toThrow(
      'uploadCsr: rowPtr has 2 entries, expected n + 1 = 3',
    );
    expect(() =>
      backend.laplacianSmoothness(
        backend.fill([1, 3, 2], 0),
        backend.uploadCsr({ ...base, values: Float32Array.from([1, 1]) }),
      ),
    ).toThrow('laplacianSmoothness: Z [1,3,2] must be [B,2,K] for a 2×2 Laplacian');
  });

  test('mse with a per-member mask and a shared target, and with an all-zero mask', async () => {
    const [batch, n, c] = [3, 17, 2];
    const pred = randomArray(random, batch * n * c);
    const target = randomArray(random, n * c);
    const mask = Float32Array.from({ length: batch * n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    mask.fill(0, 2 * n); // member 2: nothing observed, so value 0 and grad 0 (denominator max(1, 0) = 1)
    const { value, grad } = backend.mse(
      backend.upload(pred, [batch, n, c]),
      backend.upload(target, [1, n, c]),
      backend.upload(mask, [batch, n, 1]),
    );
    const values: number[] = [];
    const grads: number[] = [];
    for (let b = 0; b < batch; b++) {
      let weight = 0;
      for (let i = 0; i < n; i++) weight += mask[b * n + i]!;
      const denominator = Math.max(1, c * weight);
      let total = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < c; j++) {
          const diff = pred[(b * n + i) * c + j]! - target[i * c + j]!;
          total += mask[b * n + i]! * diff * diff;
          grads.push((2 * mask[b * n + i]! * diff) / denominator);
        }
      }
      values.push(total / denominator);
    }
    expectClose(await backend.read(value), values);
    expectClose(await backend.read(grad), grads);
    expect(values[2]).toBe(0);
    expect(() => backend.mse(backend.fill([3, 17, 2], 0), backend.fill([2, 17, 2], 0))).toThrow(
      'mse: target [2,17,2] must be [3|1,17,2] for pred [3,17,2]',
    );
  });

  test('kl against the closed form', async () => {
    const [batch, n, k] = [3, 17, 4];
    const mu = randomArray(random, batch * n * k);
    const logVar = randomArray(random, batch * n * k, -2, 1);
    const { value, gradMu, gradLogVar } = backend.kl(
      backend.upload(mu, [batch, n, k]),
      backend.upload(logVar, [batch, n, k]),
    );
    const s = n * k;
    const values = Array.from({ length: batch }, (_, b) => {
      let total = 0;
      for (let i = b * s; i < (b + 1) * s; i++) total += 1 + logVar[i]! - mu[i]! ** 2 - Math.exp(logVar[i]!);
      return (-0.5 * total) / s;
    });
    expectClose(await backend.read(value), values);
    expectClose(
      await backend.read(gradMu),
      Array.from(mu, (m) => m / s),
    );
    expectClose(
      await backend.read(gradLogVar),
      Array.from(logVar, (lv) => (0.5 * (Math.exp(lv) - 1)) / s),
    );
  });

  test('adamUpdate: two AdamW steps in place against the textbook recursion', async () => {
    const n = 17;
    const p0 = randomArray(random, n);
    const grads = [randomArray(random, n), randomArray(random, n)];
    const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
    const param = backend.upload(p0, [n]);
    const m = backend.fill([n], 0);
    const v = backend.fill([n], 0);
    const expected = Array.from(p0, Number);
    const mm = new Array<number>(n).fill(0);
    const vv = new Array<number>(n).fill(0);
    for (let t = 1; t <= 2; t++) {
      const g = grads[t - 1]!;
      backend.adamUpdate([{ param, grad: backend.upload(g, [n]), m, v }], { ...hyper, step: t });
      for (let i = 0; i < n; i++) {
        mm[i] = 0.9 * mm[i]! + 0.1 * g[i]!;
        vv[i] = 0.999 * vv[i]! + 0.001 * g[i]! ** 2;
        const update = mm[i]! / (1 - 0.9 ** t) / (Math.sqrt(vv[i]! / (1 - 0.999 ** t)) + 1e-8);
        expected[i] = expected[i]! - 0.01 * (update + 0.1 * expected[i]!);
      }
    }
    expectClose(await backend.read(param), expected);
    expectClose(await backend.read(m), mm);
    expect(() => backend.adamUpdate([{ param, grad: backend.fill([n + 1], 0), m, v }], { ...hyper, step: 1 })).toThrow(
      'adamUpdate: param, grad, m and v must have the same shape: [17] vs [18]',
    );
  });
});

describe('storage', () => {
  test('upload copies, read copies, and sizes are checked', async () => {
    const data = Float32Array.from([1, 2, 3]);
    const t = backend.upload(data, [3]);
    data[0] = 9;
    const back = await backend.read(t);
    back[1] = 9;
    expectClose(await backend.read(t), [1, 2, 3]);
    expect(() => backend.upload(data, [2, 2])).toThrow('upload: 3 values do not fill shape [2,2] (4 values)');
    expect(() => backend.fill([1, 1, 1, 1, 1], 0)).toThrow(
      'fill: shape [1,1,1,1,1] has rank 5; the engine supports rank 0–4',
    );
  });

  test('using a released tensor throws, and liveTensors counts handles', async () => {
    const local = new CpuBackend();
    const t = local.fill([2, 3], 1);
    const u = local.unary('exp', t);
    expect(local.liveTensors).toBe(2);
    local.release(t);
    expect(local.liveTensors).toBe(1);
    expect(() => local.unary('neg', t)).toThrow('unary neg: tensor [2,3] was released');
    await expect(local.read(t)).rejects.toThrow(EngineError);
    expect(() => local.release(t)).toThrow('release: tensor [2,3] was released');
    expect(() => backend.binary('add', u, backend.fill([2, 3], 0))).toThrow(
      'add: tensor [2,3] does not belong to this cpu backend',
    );
  });

  test('reshape views share storage and release independently', async () => {
    const local = new CpuBackend();
    const t = local.upload(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const view = local.reshape(t, [3, 1, 2]);
    local.release(t);
    expect(view.shape).toEqual([3, 1, 2]);
    expectClose(await local.read(view), [1, 2, 3, 4, 5, 6]);
    expect(() => local.reshape(view, [4])).toThrow('reshape: cannot view [3,1,2] (6 values) as [4] (4 values)');
  });
});
