/**
 * Per-gene scaling fitted on training regions only and then applied to every region, so held-out
 * regions never influence the statistics (no leakage across cross-validation splits).
 */

export interface FittedScaler { apply(X: Float64Array, rows: number): Float64Array }

/** Per-gene scaling fitted on training regions: 'zscore', or 'srs' (scaled robust sigmoid). */
export type GeneScalingKind = 'zscore' | 'srs';

/**
 * zscore: x' = (x − mean_train) / sd_train (population SD).
 * srs (scaled robust sigmoid, abagen): s = 1 / (1 + exp(−(x − median_train) / (IQR_train / 1.35))),
 *   then x' = (s − min_train s) / (max_train s − min_train s); held-out values may fall outside [0, 1].
 * A gene constant over the training rows has no spread: its scale is taken as 1 (x' = x − centre).
 */
export function fitGeneScaler(X: Float64Array, rows: number, cols: number, trainRows: number[], kind: GeneScalingKind): FittedScaler {
  if (X.length !== rows * cols) throw new Error(`fitGeneScaler: X has ${X.length} values, expected ${rows}×${cols}`);
  if (trainRows.length === 0) throw new Error('fitGeneScaler: no training rows');
  for (const r of trainRows) if (!(r >= 0 && r < rows && Number.isInteger(r))) throw new Error(`fitGeneScaler: training row ${r} outside 0..${rows - 1}`);
  const column = (c: number): number[] => trainRows.map((r) => X[r * cols + c]!);
  if (kind === 'zscore') {
    const mean = new Float64Array(cols);
    const sd = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      const v = column(c);
      mean[c] = v.reduce((s, x) => s + x, 0) / v.length;
      sd[c] = nonZero(Math.sqrt(v.reduce((s, x) => s + (x - mean[c]!) ** 2, 0) / v.length));
    }
    return { apply: (Y, n) => mapColumns(Y, n, cols, (x, c) => (x - mean[c]!) / sd[c]!) };
  }
  const median = new Float64Array(cols);
  const sigma = new Float64Array(cols);
  const low = new Float64Array(cols);
  const range = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const v = column(c).sort((a, b) => a - b);
    median[c] = quantile(v, 0.5);
    sigma[c] = nonZero((quantile(v, 0.75) - quantile(v, 0.25)) / 1.35);
    const s = v.map((x) => sigmoid((x - median[c]!) / sigma[c]!));
    low[c] = Math.min(...s);
    range[c] = nonZero(Math.max(...s) - low[c]!);
  }
  return { apply: (Y, n) => mapColumns(Y, n, cols, (x, c) => (sigmoid((x - median[c]!) / sigma[c]!) - low[c]!) / range[c]!) };
}

/** z = (v − mean) / sd with mean and population sd over trainIdx (default: every entry). */
export function zscore(v: Float64Array, trainIdx?: number[]): Float64Array {
  const idx = trainIdx ?? Array.from(v, (_, i) => i);
  const scaler = fitGeneScaler(v, v.length, 1, idx, 'zscore');
  return scaler.apply(v, v.length);
}

/** Linear-interpolated quantile of sorted values (numpy's default, as abagen uses). */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
const nonZero = (scale: number): number => (scale > 0 ? scale : 1);

function mapColumns(Y: Float64Array, rows: number, cols: number, f: (x: number, c: number) => number): Float64Array {
  if (Y.length !== rows * cols) throw new Error(`scaler.apply: X has ${Y.length} values, expected ${rows}×${cols}`);
  const out = new Float64Array(Y.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = f(Y[r * cols + c]!, c);
  return out;
}
