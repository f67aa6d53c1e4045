import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  explainedVariance,
  metricsOf,
  pearson,
  pearsonPValue,
  rSquared,
  spearman,
  summarize,
} from '../src/pipeline/evaluation/metrics';
import { logGamma, regularizedIncompleteBeta, studentTTwoSidedP } from '../src/pipeline/evaluation/special-functions';

// Worked by hand: y = [1,2,3,4,5], ŷ = [2,2,3,5,4].
// e = y − ŷ = [−1,0,0,−1,1]; SS_res = 3; ȳ = 3, SS_tot = 10 → R² = 0.7.
// ē = −0.2, Σ(e − ē)² = 2.8 → Var(e) = 0.56, Var(y) = 2 → EV = 1 − 0.28 = 0.72.
// ŷ − 3.2 = [−1.2,−1.2,−0.2,1.8,0.8]; S_xy = 7, S_ŷŷ = 6.8 → r = 7/√68.
// ranks(ŷ) = [1.5,1.5,3,5,4] (tie averaged); S_xy = 8.5, S_rr = 9.5 → ρ = 8.5/√95.
const y = Float64Array.of(1, 2, 3, 4, 5);
const yhat = Float64Array.of(2, 2, 3, 5, 4);

describe('metrics on a hand-worked example', () => {
  it('R², explained variance, Pearson and Spearman', () => {
    expect(rSquared(y, yhat)).toBeCloseTo(0.7, 14);
    expect(explainedVariance(y, yhat)).toBeCloseTo(0.72, 14);
    expect(pearson(y, yhat)).toBeCloseTo(7 / Math.sqrt(68), 14);
    expect(spearman(y, yhat)).toBeCloseTo(8.5 / Math.sqrt(95), 14);
  });

  it('explained variance ignores a constant offset, R² does not', () => {
    const shifted = yhat.map((v) => v + 10);
    expect(explainedVariance(y, shifted)).toBeCloseTo(0.72, 14);
    expect(rSquared(y, shifted)).toBeCloseTo(1 - (3 + 5 * 100 - 2 * 10 * -1) / 10, 10); // Σ(e−10)² = 3 − 20Σe + 500, Σe = −1
  });

  it('average ranks for ties, Spearman of a monotone transform is 1', () => {
    expect(Array.from(averageRanks([10, 20, 20, 20, 5]))).toEqual([2, 4, 4, 4, 1]);
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 15);
    expect(spearman([1, 1, 2, 2], [4, 4, 3, 3])).toBeCloseTo(-1, 15);
  });

  it('Pearson of a constant vector is NaN, and lengths must match', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(/differ in length/);
  });

  it('metricsOf bundles them with n and the parametric p', () => {
    const m = metricsOf(y, yhat);
    expect(m.n).toBe(5);
    expect(m.r2).toBeCloseTo(0.7, 14);
    expect(m.pParametric).toBeCloseTo(0.06890350891195714, 10); // scipy.stats.pearsonr
  });

  it('bias and spread ratio: a shifted, stretched prediction', () => {
    const truth = [1, 2, 3, 4, 5];
    const m = metricsOf(
      truth,
      truth.map((v) => 2 * (v - 3) + 3 + 0.5),
    );
    expect(m.bias).toBeCloseTo(0.5, 14);
    expect(m.spreadRatio).toBeCloseTo(2, 14);
    expect(m.r).toBeCloseTo(1, 14);
  });
});

describe('parametric p-values (reference values from scipy 1.17)', () => {
  it('r = 0.5, n = 20 → p ≈ 0.0248', () => {
    expect(pearsonPValue(0.5, 20)).toBeCloseTo(0.024769558804109703, 10);
    expect(pearsonPValue(-0.5, 20)).toBeCloseTo(0.024769558804109703, 10);
  });

  it('edge cases: |r| = 1 → 0, r = 0 → 1, n < 3 → NaN', () => {
    expect(pearsonPValue(1, 10)).toBe(0);
    expect(pearsonPValue(0, 10)).toBeCloseTo(1, 14);
    expect(pearsonPValue(0.3, 2)).toBeNaN();
  });

  it('Student t two-sided tail', () => {
    expect(studentTTwoSidedP(1.0, 3)).toBeCloseTo(0.3910022189557705, 10);
    expect(studentTTwoSidedP(3.5, 5)).toBeCloseTo(0.017284431785293358, 10);
    expect(studentTTwoSidedP(0.2, 100)).toBeCloseTo(0.8418867362024508, 10);
    expect(studentTTwoSidedP(2.10092204, 18)).toBeCloseTo(0.05, 8); // t₀.₉₇₅,₁₈
  });

  it('regularised incomplete beta against scipy.special.betainc and closed forms', () => {
    expect(regularizedIncompleteBeta(0.3, 2.5, 4)).toBeCloseTo(0.3521975859067672, 12);
    expect(regularizedIncompleteBeta(0.9, 0.5, 0.5)).toBeCloseTo(0.7951672353008665, 12);
    expect(regularizedIncompleteBeta(0.01, 30, 2) / 3.0700000000000017e-59).toBeCloseTo(1, 10);
    expect(regularizedIncompleteBeta(0.7, 100, 120)).toBeCloseTo(0.9999999999999788, 12);
    expect(regularizedIncompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 14); // I_x(1,1) = x
    expect(regularizedIncompleteBeta(0.37, 3, 1)).toBeCloseTo(0.37 ** 3, 14); // I_x(a,1) = xᵃ
    expect(regularizedIncompleteBeta(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 12); // symmetry
  });

  it('log Γ against scipy.special.gammaln', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.57236494, 7);
    expect(logGamma(3.7)).toBeCloseTo(1.42807233, 7);
    expect(logGamma(50.2)).toBeCloseTo(145.34654536, 6);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 12);
  });
});

describe('summarize', () => {
  it('median, quartiles (linear interpolation), mean, sample SD; NaN left out', () => {
    const s = summarize([100, 3, NaN, 1, 4, 2]);
    expect(s).toMatchObject({ median: 3, q1: 2, q3: 4, mean: 22, n: 5 });
    expect(s.sd).toBeCloseTo(Math.sqrt(7610 / 4), 12); // deviations −21,−20,−19,−18,78
    const even = summarize([1, 2, 3, 4]); // positions 0.75, 1.5, 2.25
    expect([even.q1, even.median, even.q3]).toEqual([1.75, 2.5, 3.25]);
    expect(summarize([NaN]).n).toBe(0);
  });
});
