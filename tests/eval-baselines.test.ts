import { describe, expect, it } from 'vitest';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { fitGeneScaler } from '../src/pipeline/data/scaling';
import { genePc1 } from '../src/pipeline/evaluation/baselines/gene-pc1';
import { pls } from '../src/pipeline/evaluation/baselines/pls';
import { ridge } from '../src/pipeline/evaluation/baselines/ridge';
import { spatialOnly } from '../src/pipeline/evaluation/baselines/spatial-only';
import { cholesky, choleskySolve, solve, symmetricEigen } from '../src/pipeline/evaluation/linalg';
import { pearson } from '../src/pipeline/evaluation/metrics';
import type { FitTask } from '../src/pipeline/evaluation/models';
import { createRng } from '../src/pipeline/evaluation/rng';
import { repeatedKFold } from '../src/pipeline/evaluation/splits';

const randomMatrix = (rows: number, cols: number, seed: number): Float64Array => {
  const rng = createRng(seed);
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
};

/** X̃ = X scaled on the training rows (the same scaler the models use), centred on the training mean. */
function trainScaledCentred(X: Float64Array, n: number, g: number, train: number[]): Float64Array {
  const s = fitGeneScaler(X, n, g, train, 'zscore').apply(X, n);
  for (let c = 0; c < g; c++) {
    const m = train.reduce((acc, t) => acc + s[t * g + c]!, 0) / train.length;
    for (let r = 0; r < n; r++) s[r * g + c]! -= m;
  }
  return s;
}

describe('linear algebra helpers', () => {
  it('Cholesky solve, general solve and Jacobi eigendecomposition on a random SPD matrix', () => {
    const n = 7;
    const b = randomMatrix(n, n, 1);
    const a = new Float64Array(n * n); // A = BBᵀ + I
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) a[i * n + j]! += b[i * n + k]! * b[j * n + k]! + (i === j && k === 0 ? 1 : 0);
    const rhs = Float64Array.from({ length: n }, (_, i) => i - 3);
    const residual = (x: Float64Array): number =>
      Math.max(...rhs.map((v, i) => Math.abs(a.slice(i * n, i * n + n).reduce((s, aij, j) => s + aij * x[j]!, 0) - v)));
    expect(residual(choleskySolve(cholesky(a, n), n, rhs))).toBeLessThan(1e-10);
    expect(residual(solve(a, n, rhs))).toBeLessThan(1e-10);
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
      for (let i = 0; i < n; i++) {
        const av = a.slice(i * n, i * n + n).reduce((s, aij, j) => s + aij * vectors[j * n + k]!, 0);
        expect(av).toBeCloseTo(values[k]! * vectors[i * n + k]!, 9); // A v = λ v
      }
      for (let l = 0; l < n; l++) {
        const vkvl = Array.from({ length: n }, (_, i) => vectors[i * n + k]! * vectors[i * n + l]!).reduce(
          (s, x) => s + x,
          0,
        );
        expect(vkvl).toBeCloseTo(k === l ? 1 : 0, 12); // VᵀV = I
      }
    }
    // repeated eigenvalues and a 1×1 matrix
    expect(Array.from(symmetricEigen(Float64Array.of(2, 0, 0, 0, 2, 0, 0, 0, 5), 3).values)).toEqual([5, 2, 2]);
    expect(Array.from(symmetricEigen(Float64Array.of(-3), 1).values)).toEqual([-3]);
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/positive definite/);
  });
});

describe('ridge', () => {
  it('equals the primal closed form ŷ = ȳ + X̃(X̃ᵀX̃ + λI)⁻¹X̃ᵀ(y − ȳ) (N = 13, G = 9 and G = 40; 1e-9)', async () => {
    for (const g of [9, 40]) {
      const n = 13;
      const X = randomMatrix(n, g, g);
      const y = Float64Array.from(randomMatrix(n, 1, 99));
      const train = [0, 1, 2, 4, 5, 7, 8, 9, 11, 12];
      const lambda = 3.7;
      const [predicted] = (await ridge({ lambda }).fitPredict(geneMatrix(X, n, g), [{ y, train, test: [3, 6, 10] }]))
        .predictions;
      const xs = trainScaledCentred(X, n, g, train);
      const meanY = train.reduce((s, t) => s + y[t]!, 0) / train.length;
      const gram = new Float64Array(g * g); // X̃ᵀX̃ + λI over training rows
      const xty = new Float64Array(g);
      for (const t of train) {
        for (let a = 0; a < g; a++) {
          xty[a]! += xs[t * g + a]! * (y[t]! - meanY);
          for (let b = 0; b < g; b++) gram[a * g + b]! += xs[t * g + a]! * xs[t * g + b]!;
        }
      }
      for (let a = 0; a < g; a++) gram[a * g + a]! += lambda;
      const beta = choleskySolve(cholesky(gram, g), g, xty);
      for (let r = 0; r < n; r++) {
        const primal = meanY + beta.reduce((s, bc, c) => s + bc * xs[r * g + c]!, 0);
        expect(predicted![r]).toBeCloseTo(primal, 9);
      }
    }
  });

  it('recovers a planted linear signal out of sample (5-fold, G = 400 ≫ N = 68, r > 0.9)', async () => {
    const { n, g, X, y } = plantedLowRank(400, 5);
    const splits = repeatedKFold(n, 5, 1, 3);
    const { predictions } = await ridge().fitPredict(
      geneMatrix(X, n, g),
      splits.map((s) => ({ y, train: s.train, test: s.test })),
    );
    const heldOut = new Float64Array(n);
    splits.forEach((s, k) => s.test.forEach((i) => (heldOut[i] = predictions[k]![i]!)));
    expect(pearson(y, heldOut)).toBeGreaterThan(0.9);
  });

  it("reports each task's λ and grid edge in its fit: on the grid when tuned, the fixed λ with no edge", async () => {
    const { n, g, X, y } = plantedLowRank(40, 6);
    const tasks = repeatedKFold(n, 3, 1, 2).map((s) => ({ y, train: s.train, test: s.test }));
    const tunedFit = await ridge().fitPredict(geneMatrix(X, n, g), tasks);
    expect(tunedFit.lambdas).toHaveLength(3);
    expect(tunedFit.gridEdges).toHaveLength(3);
    expect(tunedFit.lambdas.every((l) => l > 0)).toBe(true);
    const fixed = await ridge({ lambda: 2 }).fitPredict(geneMatrix(X, n, g), tasks);
    expect(fixed).toMatchObject({ lambdas: [2, 2, 2], gridEdges: [null, null, null] });
    expect(fixed.predictions).toHaveLength(3);
  });
});

/** y = Σ_{k<5} β_k x_k + σε over X ~ N(0, 1)^(68×g), β = (2, −1.5, 1, 1, −0.5). */
function plantedLinear(g: number, noise: number, seed: number) {
  const n = 68;
  const X = randomMatrix(n, g, seed);
  const rng = createRng(seed + 1);
  const beta = [2, -1.5, 1, 1, -0.5];
  const y = Float64Array.from(
    { length: n },
    (_, i) => beta.reduce((s, b, k) => s + b * X[i * g + k]!, 0) + noise * rng.normal(),
  );
  return { n, g, X, y };
}

/**
 * Genes driven by 5 latent programs, as expression is: X = F Aᵀ + 0.5·E (F: 68×5 region scores, A: g×5
 * loadings, E noise), y = F b + 0.1ε with b = (2, −1.5, 1, 1, −0.5). y is a linear function of X's
 * dominant subspace, which ridge and PLS can learn from 54 training regions even when g ≫ N.
 */
function plantedLowRank(g: number, seed: number) {
  const n = 68;
  const rank = 5;
  const rng = createRng(seed);
  const f = Float64Array.from({ length: n * rank }, () => rng.normal());
  const a = Float64Array.from({ length: g * rank }, () => rng.normal());
  const X = Float64Array.from({ length: n * g }, (_, k) => {
    const i = Math.floor(k / g);
    const c = k % g;
    let s = 0;
    for (let r = 0; r < rank; r++) s += f[i * rank + r]! * a[c * rank + r]!;
    return s + 0.5 * rng.normal();
  });
  const b = [2, -1.5, 1, 1, -0.5];
  const y = Float64Array.from(
    { length: n },
    (_, i) => b.reduce((s, br, r) => s + br * f[i * rank + r]!, 0) + 0.1 * rng.normal(),
  );
  return { n, g, X, y };
}

/** Primal NIPALS PLS1 on X̃ (train-scaled, centred), for comparison with the kernel form. */
function primalPls(
  xs: Float64Array,
  n: number,
  g: number,
  train: number[],
  y: Float64Array,
  components: number,
): Float64Array {
  const m = train.length;
  const meanY = train.reduce((s, t) => s + y[t]!, 0) / m;
  const xa = Float64Array.from({ length: m * g }, (_, k) => xs[train[Math.floor(k / g)]! * g + (k % g)]!);
  const ya = Float64Array.from(train, (t) => y[t]! - meanY);
  const W: Float64Array[] = [];
  const P: Float64Array[] = [];
  const q: number[] = [];
  for (let a = 0; a < components; a++) {
    const w = new Float64Array(g); // w = Xₐᵀyₐ / ‖·‖
    for (let i = 0; i < m; i++) for (let c = 0; c < g; c++) w[c]! += xa[i * g + c]! * ya[i]!;
    const wn = Math.hypot(...w);
    w.forEach((v, c) => (w[c] = v / wn));
    const t = Float64Array.from({ length: m }, (_, i) => w.reduce((s, wc, c) => s + wc * xa[i * g + c]!, 0));
    const tt = t.reduce((s, v) => s + v * v, 0);
    const p = new Float64Array(g);
    for (let i = 0; i < m; i++) for (let c = 0; c < g; c++) p[c]! += (xa[i * g + c]! * t[i]!) / tt;
    const qa = t.reduce((s, ti, i) => s + ti * ya[i]!, 0) / tt;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < g; c++) xa[i * g + c]! -= t[i]! * p[c]!;
      ya[i]! -= qa * t[i]!;
    }
    W.push(w);
    P.push(p);
    q.push(qa);
  }
  // B = W (PᵀW)⁻¹ q
  const ptw = new Float64Array(components * components);
  for (let i = 0; i < components; i++)
    for (let j = 0; j < components; j++) ptw[i * components + j] = P[i]!.reduce((s, v, c) => s + v * W[j]![c]!, 0);
  const coef = solve(ptw, components, q);
  const b = new Float64Array(g);
  W.forEach((w, j) => w.forEach((v, c) => (b[c]! += v * coef[j]!)));
  return Float64Array.from({ length: n }, (_, r) => meanY + b.reduce((s, bc, c) => s + bc * xs[r * g + c]!, 0));
}

describe('PLS', () => {
  it('kernel PLS1 equals primal NIPALS for 1, 2, 3 components (N = 15, G = 30; 1e-8)', async () => {
    const n = 15;
    const g = 30;
    const X = randomMatrix(n, g, 11);
    const y = Float64Array.from(randomMatrix(n, 1, 12));
    const train = [0, 1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 14];
    const xs = trainScaledCentred(X, n, g, train);
    for (const components of [1, 2, 3]) {
      const [predicted] = (
        await pls({ nComponents: components }).fitPredict(geneMatrix(X, n, g), [{ y, train, test: [4, 7, 11] }])
      ).predictions;
      const primal = primalPls(xs, n, g, train, y, components);
      primal.forEach((v, r) => expect(predicted![r]).toBeCloseTo(v, 8));
    }
  });

  it('recovers a planted linear signal out of sample with components chosen by inner CV (r > 0.9)', async () => {
    const { n, g, X, y } = plantedLowRank(150, 21);
    const splits = repeatedKFold(n, 5, 1, 4);
    const model = pls({ maxComponents: 10 });
    const { predictions, components } = await model.fitPredict(
      geneMatrix(X, n, g),
      splits.map((s) => ({ y, train: s.train, test: s.test })),
    );
    const heldOut = new Float64Array(n);
    splits.forEach((s, k) => s.test.forEach((i) => (heldOut[i] = predictions[k]![i]!)));
    expect(pearson(y, heldOut)).toBeGreaterThan(0.9);
    components.forEach((a) => expect(a).toBeGreaterThan(1)); // five planted genes need more than one component
  });
});

describe('gene PC1', () => {
  it('recovers a target that is the first principal component (r > 0.95 out of sample) and ignores the PC sign', async () => {
    // X = s aᵀ·3 + noise: one dominant component with region scores s; y = 2s + 1
    const n = 40;
    const g = 60;
    const rng = createRng(31);
    const s = Float64Array.from({ length: n }, () => rng.normal());
    const a = Float64Array.from({ length: g }, () => rng.normal());
    const X = Float64Array.from({ length: n * g }, (_, k) => 3 * s[Math.floor(k / g)]! * a[k % g]! + rng.normal());
    const y = s.map((v) => 2 * v + 1);
    const splits = repeatedKFold(n, 4, 1, 5);
    const { predictions } = await genePc1().fitPredict(
      geneMatrix(X, n, g),
      splits.map((sp) => ({ y, train: sp.train, test: sp.test })),
    );
    const heldOut = new Float64Array(n);
    splits.forEach((sp, k) => sp.test.forEach((i) => (heldOut[i] = predictions[k]![i]!)));
    expect(pearson(y, heldOut)).toBeGreaterThan(0.95);
    expect(heldOut.reduce((acc, v, i) => acc + Math.abs(v - y[i]!), 0) / n).toBeLessThan(0.5); // slope sign is right
  });
});

describe('tuning and scaling use training regions only', () => {
  // What is tested: for a task (train, test), changing X and y on the TEST regions leaves the predictions on the
  // TRAINING regions bit-identical (scaling, inner-CV choice and fit see training rows only), and changing y on
  // the test regions alone leaves every prediction bit-identical. The test predictions do change with X_test.
  const { n, g, X, y } = plantedLinear(120, 0.5, 41);
  const test = [3, 10, 11, 12, 30, 47, 60];
  const train = Array.from({ length: n }, (_, i) => i).filter((i) => !test.includes(i));
  const Xp = Float64Array.from(X);
  const yp = Float64Array.from(y);
  for (const i of test) {
    for (let c = 0; c < g; c++) Xp[i * g + c] = 100 * Math.sin(i * c + 1);
    yp[i] = 1e3 * (i % 2 ? 1 : -1);
  }
  const cases = [
    ['ridge (inner CV)', () => ridge()],
    ['PLS (inner CV)', () => pls({ maxComponents: 6 })],
    ['gene PC1', () => genePc1()],
  ] as const;
  for (const [name, make] of cases) {
    it(name, async () => {
      const model = make();
      const task = (yy: Float64Array): FitTask[] => [{ y: yy, train, test }];
      const [base] = (await model.fitPredict(geneMatrix(X, n, g), task(y))).predictions;
      const [yOnly] = (await model.fitPredict(geneMatrix(X, n, g), task(yp))).predictions;
      const [both] = (await model.fitPredict(geneMatrix(Xp, n, g), task(yp))).predictions;
      expect(Array.from(yOnly!)).toEqual(Array.from(base!));
      expect(train.map((i) => both![i])).toEqual(train.map((i) => base![i]));
      expect(test.some((i) => both![i] !== base![i])).toBe(true);
    });
  }
});

describe('spatial-only baseline', () => {
  const n = 12;
  const rng = createRng(51);
  const coords = Float64Array.from({ length: 3 * n }, () => rng.uniform() * 100);
  const trend = Float64Array.from(
    { length: n },
    (_, i) => 5 + 0.3 * coords[3 * i]! - 0.1 * coords[3 * i + 1]! + 0.02 * coords[3 * i + 2]!,
  );
  const task: FitTask = { y: trend, train: [0, 1, 2, 3, 4, 5, 6, 7], test: [8, 9, 10, 11] };

  it('linear: reproduces an exact linear trend at held-out regions and never reads X', async () => {
    const [p] = (await spatialOnly({ coords }).fitPredict(geneMatrix(new Float64Array(0), n, 0), [task])).predictions;
    p!.forEach((v, i) => expect(v).toBeCloseTo(trend[i]!, 9));
  });

  it('kNN: the mean of the k nearest training regions (hand example on a line)', async () => {
    const line = Float64Array.from({ length: 15 }, (_, k) => (k % 3 === 0 ? k / 3 : 0)); // x = 0…4
    const y = Float64Array.of(1, 2, 4, 8, 100);
    const [p] = (
      await spatialOnly({ coords: line, method: 'knn', k: 2 }).fitPredict(geneMatrix(new Float64Array(0), 5, 0), [
        { y, train: [0, 1, 2, 3], test: [4] },
      ])
    ).predictions;
    expect(p![4]).toBe(6); // nearest training regions to x = 4 are x = 3, 2 → (8 + 4)/2
    expect(p![0]).toBe(1.5); // itself and x = 1
  });

  it('rejects malformed tasks with a message naming the task', async () => {
    await expect(
      spatialOnly({ coords }).fitPredict(geneMatrix(new Float64Array(0), n, 0), [task, { ...task, test: [0] }]),
    ).rejects.toThrow(/task 1: region 0 is in both/);
    await expect(
      spatialOnly({ coords }).fitPredict(geneMatrix(new Float64Array(0), n, 0), [{ ...task, y: new Float64Array(3) }]),
    ).rejects.toThrow(/task 0: y has 3/);
  });
});
