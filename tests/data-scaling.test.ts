import { describe, expect, it } from 'vitest';
import { fitGeneScaler, quantile, zscore } from '../src/pipeline/data/scaling';

/** A 7×3 matrix with an outlier row; columns on different scales. */
const rows = 7;
const cols = 3;
const X = Float64Array.from([1, 10, -5, 2, 20, -4, 3, 35, -3, 4, 40, -3, 5, 55, -1, 6, 60, 0, 100, 1000, 50]);

describe('gene scaling fitted on training rows', () => {
  it('zscore: training columns have mean 0 and population SD 1 (tolerance 1e-12)', () => {
    const train = [0, 1, 2, 3, 4];
    const s = fitGeneScaler(X, rows, cols, train, 'zscore').apply(X, rows);
    for (let c = 0; c < cols; c++) {
      const v = train.map((r) => s[r * cols + c]!);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)).toBeCloseTo(1, 12);
    }
  });

  it('held-out rows do not influence the fit (leakage test) for both kinds', () => {
    for (const kind of ['zscore', 'srs'] as const) {
      const train = [0, 1, 2, 3, 4];
      const a = fitGeneScaler(X, rows, cols, train, kind).apply(X, rows);
      const changed = Float64Array.from(X);
      for (let c = 0; c < cols; c++) {
        changed[5 * cols + c] = -1e6;
        changed[6 * cols + c] = 1e6;
      }
      const b = fitGeneScaler(changed, rows, cols, train, kind).apply(X, rows);
      expect(Array.from(b)).toEqual(Array.from(a));
      // …while changing a training row does change the result
      const trainChanged = Float64Array.from(X);
      trainChanged[0] = 3.5;
      expect(Array.from(fitGeneScaler(trainChanged, rows, cols, train, kind).apply(X, rows))).not.toEqual(
        Array.from(a),
      );
    }
  });

  it('srs matches the abagen formula on a hand-computed column and maps training rows onto [0, 1]', () => {
    const train = [0, 1, 2, 3, 4, 5, 6];
    const s = fitGeneScaler(X, rows, cols, train, 'srs').apply(X, rows);
    const col0 = [1, 2, 3, 4, 5, 6, 100];
    const median = 4;
    const iqr = 5.5 - 2.5; // numpy linear percentiles of the 7 values
    const sig = col0.map((x) => 1 / (1 + Math.exp(-(x - median) / (iqr / 1.35))));
    const lo = Math.min(...sig);
    const hi = Math.max(...sig);
    col0.forEach((_, r) => expect(s[r * cols]!).toBeCloseTo((sig[r]! - lo) / (hi - lo), 12));
    for (let c = 0; c < cols; c++) {
      const v = train.map((r) => s[r * cols + c]!);
      expect(Math.min(...v)).toBeCloseTo(0, 12);
      expect(Math.max(...v)).toBeCloseTo(1, 12);
    }
  });

  it('srs is robust: the outlier row barely moves the other rows, unlike zscore', () => {
    const all = [0, 1, 2, 3, 4, 5, 6];
    const spread = (s: Float64Array) => s[5 * cols]! - s[0]!;
    const srs = fitGeneScaler(X, rows, cols, all, 'srs').apply(X, rows);
    const z = fitGeneScaler(X, rows, cols, all, 'zscore').apply(X, rows);
    expect(spread(srs)).toBeGreaterThan(0.5); // rows 0..5 still span most of [0, 1]
    expect(spread(z)).toBeLessThan(0.3); // z-scores squeezed by the outlier
  });

  it('a column constant over the training rows is centred with scale 1, not divided by zero', () => {
    const Y = Float64Array.from([2, 1, 2, 5, 2, 9]);
    const s = fitGeneScaler(Y, 3, 2, [0, 1, 2], 'zscore').apply(Y, 3);
    expect([s[0], s[2], s[4]]).toEqual([0, 0, 0]);
    expect(s.every(Number.isFinite)).toBe(true);
  });

  it('zscore() on a vector, optionally fitted on a subset; quantile interpolates like numpy', () => {
    const v = Float64Array.from([1, 2, 3, 10]);
    const z = zscore(v, [0, 1, 2]);
    expect(z[1]).toBeCloseTo(0, 12);
    expect(z[3]).toBeCloseTo(8 / Math.sqrt(2 / 3), 12);
    expect(zscore(v).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
  });

  it('bad shapes and rows are refused', () => {
    expect(() => fitGeneScaler(X, rows, 4, [0], 'zscore')).toThrow(/expected 7×4/);
    expect(() => fitGeneScaler(X, rows, cols, [7], 'zscore')).toThrow(/training row 7 outside 0\.\.6/);
    expect(() => fitGeneScaler(X, rows, cols, [], 'srs')).toThrow(/no training rows/);
  });
});
