/**
 * Axis ticks at "nice" numbers: a step of 1, 2 or 5 × 10^k, chosen so that about `target`
 * ticks cover the range, and a domain widened outwards to whole steps.
 */

export interface NiceAxis {
  /** Widened domain [⌊lo/step⌋·step, ⌈hi/step⌉·step]. */
  domain: [number, number];
  step: number;
  ticks: number[];
}

/** Smallest of 1, 2, 5 × 10^k that is ≥ raw step (hi − lo)/target. */
function niceStep(rawStep: number): number {
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const fraction = rawStep / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Removes binary noise (0.30000000000000004 → 0.3) by rounding to the step's decimals. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 20)));
}

export function niceTicks(lo: number, hi: number, target = 5): NiceAxis {
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new Error(`niceTicks: range must be finite, got [${lo}, ${hi}]`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    // A single value: open a window of ±10% (or ±1 around 0) so the axis has extent.
    const half = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= half;
    hi += half;
  }
  const step = niceStep((hi - lo) / Math.max(1, target));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(roundToStep(k * step, step));
  return { domain: [ticks[0]!, ticks[ticks.length - 1]!], step, ticks };
}

/**
 * Ticks for a log axis over positive [lo, hi]: the powers of ten in the widened range
 * [10^⌊log lo⌋, 10^⌈log hi⌉]; with fewer than three decades, 2× and 5× are added.
 */
export function logTicks(lo: number, hi: number): NiceAxis {
  if (!(lo > 0) || !(hi > 0)) throw new Error(`logTicks: range must be positive, got [${lo}, ${hi}]`);
  if (lo > hi) [lo, hi] = [hi, lo];
  const first = Math.floor(Math.log10(lo));
  const last = Math.max(first + 1, Math.ceil(Math.log10(hi)));
  const multiples = last - first < 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) {
    for (const m of multiples) if (k < last || m === 1) ticks.push(Number((m * 10 ** k).toPrecision(12)));
  }
  return { domain: [10 ** first, 10 ** last], step: 10, ticks };
}
