/**
 * Predicted against observed, one point per region, on a square plot with equal axes so that
 * the identity line (perfect prediction) is the diagonal; the least-squares line shows shrinkage.
 * Prints Pearson r and R² = 1 − SSres/SStot of the points drawn.
 */
import { chartSvg, linearScale, plotArea } from './chart-frame';
import { escapeXml, formatNumber, px } from './format';
import { niceTicks } from './nice-ticks';
import { pearson, rSquared } from '../evaluation/metrics';
import { linearFit } from './summary-stats';

export interface ScatterOptions {
  title: string;
  basis: 'in-sample' | 'out-of-sample';
  observed: readonly number[];
  predicted: readonly number[];
  /** One label per point (region id), shown on hover. */
  labels?: readonly string[];
  xLabel?: string;
  yLabel?: string;
}

const SIDE = 380;
const WIDTH = 64 + SIDE + 18;
const HEIGHT = 62 + SIDE + 48;

export function scatterChartSvg(options: ScatterOptions): string {
  const { observed, predicted, labels } = options;
  const n = observed.length;
  if (predicted.length !== n || (labels && labels.length !== n)) {
    throw new Error(
      `scatter '${options.title}': observed (${n}), predicted (${predicted.length})${labels ? ` and labels (${labels.length})` : ''} must have equal lengths`,
    );
  }
  if (n < 2) throw new Error(`scatter '${options.title}': needs at least 2 points, got ${n}`);
  const all = [...observed, ...predicted];
  if (!all.every(Number.isFinite)) throw new Error(`scatter '${options.title}': values must be finite`);

  const axis = niceTicks(Math.min(...all), Math.max(...all), 5);
  const [lo, hi] = axis.domain;
  const area = plotArea(WIDTH, HEIGHT);
  const toX = linearScale([lo, hi], [area.left, area.right]);
  const toY = linearScale([lo, hi], [area.bottom, area.top]);

  const fit = linearFit(observed, predicted);
  const segment = fitSegment(fit.intercept, fit.slope, lo, hi);
  const identity =
    `<line class="identity" x1="${px(toX(lo))}" y1="${px(toY(lo))}" x2="${px(toX(hi))}" y2="${px(toY(hi))}" ` +
    `stroke="#777" stroke-width="1.2" stroke-dasharray="5 4"/>`;
  const regression = segment
    ? `<line class="regression" data-slope="${fit.slope}" data-intercept="${fit.intercept}" x1="${px(toX(segment[0]))}" y1="${px(toY(fit.intercept + fit.slope * segment[0]))}" ` +
      `x2="${px(toX(segment[1]))}" y2="${px(toY(fit.intercept + fit.slope * segment[1]))}" stroke="#b2182b" stroke-width="1.8"/>`
    : '';
  const points = observed
    .map((o, i) => {
      const p = predicted[i]!;
      const label = labels ? `${labels[i]}: ` : '';
      return (
        `<circle class="point" cx="${px(toX(o))}" cy="${px(toY(p))}" r="4"${labels ? ` data-region="${escapeXml(labels[i]!)}"` : ''}>` +
        `<title>${escapeXml(`${label}observed ${formatNumber(o)}, predicted ${formatNumber(p)}`)}</title></circle>`
      );
    })
    .join('');
  const legendY = area.bottom - 12;
  const legend =
    `<g class="legend" font-size="12">` +
    `<line x1="${area.right - 150}" x2="${area.right - 128}" y1="${legendY - 18}" y2="${legendY - 18}" stroke="#b2182b" stroke-width="1.8"/>` +
    `<text x="${area.right - 122}" y="${legendY - 14}">least-squares fit</text>` +
    `<line x1="${area.right - 150}" x2="${area.right - 128}" y1="${legendY}" y2="${legendY}" stroke="#777" stroke-width="1.2" stroke-dasharray="5 4"/>` +
    `<text x="${area.right - 122}" y="${legendY + 4}">identity (ŷ = y)</text></g>`;

  return chartSvg({
    className: 'scatter',
    title: options.title,
    subtitle: `r = ${formatNumber(pearson(observed, predicted))} · R² = ${formatNumber(rSquared(observed, predicted))} (1 − SSres/SStot) · n = ${n}`,
    basis: options.basis,
    width: WIDTH,
    height: HEIGHT,
    area,
    x: { title: options.xLabel ?? 'observed', ticks: axis.ticks, toPixel: toX },
    y: { title: options.yLabel ?? 'predicted', ticks: axis.ticks, toPixel: toY },
    body:
      identity +
      regression +
      `<g fill="#2166ac" fill-opacity="0.75" stroke="#fff" stroke-width="0.8">${points}</g>` +
      legend,
  });
}

/** Part [x0, x1] of [lo, hi] where the line a + b·x stays within [lo, hi] vertically; null if none. */
function fitSegment(a: number, b: number, lo: number, hi: number): [number, number] | null {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (b === 0) return a >= lo && a <= hi ? [lo, hi] : null;
  const xAtLo = (lo - a) / b;
  const xAtHi = (hi - a) / b;
  const x0 = Math.max(lo, Math.min(xAtLo, xAtHi));
  const x1 = Math.min(hi, Math.max(xAtLo, xAtHi));
  return x0 < x1 ? [x0, x1] : null;
}
