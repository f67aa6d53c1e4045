/**
 * A null distribution as a histogram with the observed statistic as a vertical line,
 * and its permutation p printed: where the observed value falls among the nulls.
 */
import { chartSvg, linearScale, plotArea } from './chart-frame';
import { escapeXml, formatNumber, formatP, px } from './format';
import { niceTicks } from './nice-ticks';

export interface HistogramOptions {
  title: string;
  basis: 'in-sample' | 'out-of-sample';
  values: readonly number[];
  observed: number;
  p: number;
  /** How p is named in print, e.g. "p_spin". */
  pLabel: string;
  xLabel: string;
  /** Number of bins; default √n clamped to [10, 50]. */
  bins?: number;
}

const WIDTH = 520;
const HEIGHT = 380;

/** Counts in `bins` equal bins over [lo, hi]: bin i holds lo + i·w ≤ v < lo + (i+1)·w (the last bin also v = hi). */
export function histogramCounts(values: readonly number[], lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) {
    if (v < lo || v > hi) throw new Error(`histogram: value ${v} outside [${lo}, ${hi}]`);
    const i = width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - lo) / width));
    counts[i]!++;
  }
  return counts;
}

export function histogramChartSvg(options: HistogramOptions): string {
  const { values, observed } = options;
  if (values.length === 0) throw new Error(`histogram '${options.title}': no null values`);
  if (![...values, observed].every(Number.isFinite))
    throw new Error(`histogram '${options.title}': values must be finite`);
  const bins = options.bins ?? Math.min(50, Math.max(10, Math.round(Math.sqrt(values.length))));
  const xAxis = niceTicks(Math.min(observed, ...values), Math.max(observed, ...values), 6);
  const [lo, hi] = xAxis.domain;
  const counts = histogramCounts(values, lo, hi, bins);
  const yAxis = niceTicks(0, Math.max(...counts), 5);
  const area = plotArea(WIDTH, HEIGHT);
  const toX = linearScale([lo, hi], [area.left, area.right]);
  const toY = linearScale(yAxis.domain, [area.bottom, area.top]);
  const binWidth = (hi - lo) / bins;

  const bars = counts
    .map((count, i) => {
      const x0 = toX(lo + i * binWidth);
      const x1 = toX(lo + (i + 1) * binWidth);
      return (
        `<rect class="bin" data-count="${count}" x="${px(x0)}" y="${px(toY(count))}" width="${px(Math.max(0, x1 - x0 - 1))}" height="${px(toY(0) - toY(count))}">` +
        `<title>${escapeXml(`${formatNumber(lo + i * binWidth)} to ${formatNumber(lo + (i + 1) * binWidth)}: ${count}`)}</title></rect>`
      );
    })
    .join('');
  const ox = px(toX(observed));
  const anchor = toX(observed) > (area.left + area.right) / 2 ? 'end' : 'start';
  const marker =
    `<line class="observed" data-value="${observed}" x1="${ox}" x2="${ox}" y1="${area.top}" y2="${area.bottom}" stroke="#b2182b" stroke-width="2.2"/>` +
    `<text x="${anchor === 'end' ? Number(ox) - 6 : Number(ox) + 6}" y="${area.top + 16}" text-anchor="${anchor}" fill="#b2182b" font-weight="600">observed ${escapeXml(formatNumber(observed))}</text>`;

  return chartSvg({
    className: 'histogram',
    title: options.title,
    subtitle: `observed ${formatNumber(observed)} · ${options.pLabel} = ${formatP(options.p)} · n = ${values.length} nulls`,
    basis: options.basis,
    width: WIDTH,
    height: HEIGHT,
    area,
    x: { title: options.xLabel, ticks: xAxis.ticks, toPixel: toX },
    y: { title: 'count', ticks: yAxis.ticks, toPixel: toY },
    body: `<g fill="#8da0cb">${bars}</g>` + marker,
  });
}
