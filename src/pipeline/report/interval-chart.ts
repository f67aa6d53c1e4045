/**
 * Predictive intervals of held-out regions: one column per region, ordered by predicted value, with
 * nested bars for each interval level (widest level thinnest and lightest), the prediction as a tick
 * and the observed value as a dot — filled when it falls inside the widest interval, hollow when not.
 */
import { chartSvg, linearScale, plotArea } from './chart-frame';
import { escapeXml, formatNumber, px } from './format';
import { niceTicks } from './nice-ticks';
import type { FigureBasis } from './types';

export interface IntervalChartOptions {
  title: string;
  basis: FigureBasis;
  levels: readonly number[];
  points: readonly {
    label: string;
    observed: number;
    center: number;
    /** [lower, upper] per level; infinite bounds run to the edge of the plot */
    bounds: readonly (readonly [number, number])[];
  }[];
  yLabel?: string;
}

const WIDTH = 760;

const bound = (v: number): string => (Number.isFinite(v) ? formatNumber(v) : v > 0 ? '∞' : '−∞');
const HEIGHT = 400;

export function intervalChartSvg(options: IntervalChartOptions): string {
  const points = [...options.points].sort((a, b) => a.center - b.center);
  if (points.length === 0) throw new Error(`interval chart '${options.title}': no points`);
  const order = options.levels.map((level, l) => ({ level, l })).sort((a, b) => b.level - a.level);
  const widest = order[0]!.l;
  const finite = points.flatMap((p) => [p.observed, p.center, ...p.bounds.flat()]).filter(Number.isFinite);
  const yAxis = niceTicks(Math.min(...finite), Math.max(...finite), 6);
  const area = plotArea(WIDTH, HEIGHT);
  const step = (area.right - area.left) / points.length;
  const toX = (i: number) => area.left + (i + 0.5) * step;
  const toY = linearScale(yAxis.domain, [area.bottom, area.top]);
  const clamp = (v: number) => toY(Math.max(yAxis.domain[0], Math.min(yAxis.domain[1], v)));

  const marks = points
    .map((p, i) => {
      const x = px(toX(i));
      const bars = order
        .map(({ l }, k) => {
          const [lo, hi] = p.bounds[l]!;
          const width = Math.max(1.5, Math.min(step * 0.8, 2 + 3 * k));
          return `<line x1="${x}" x2="${x}" y1="${px(clamp(lo))}" y2="${px(clamp(hi))}" stroke="#2166ac" stroke-opacity="${0.25 + (0.5 * k) / Math.max(1, order.length - 1)}" stroke-width="${px(width)}"/>`;
        })
        .join('');
      const [lo, hi] = p.bounds[widest]!;
      const inside = p.observed >= lo && p.observed <= hi;
      const tick = `<line x1="${px(toX(i) - step * 0.4)}" x2="${px(toX(i) + step * 0.4)}" y1="${px(toY(p.center))}" y2="${px(toY(p.center))}" stroke="#222" stroke-width="1.2"/>`;
      const dot =
        `<circle class="point" data-region="${escapeXml(p.label)}" data-inside="${inside}" cx="${x}" cy="${px(toY(p.observed))}" r="3.5" ` +
        `fill="${inside ? '#b2182b' : '#fff'}" stroke="#b2182b" stroke-width="1.5"><title>${escapeXml(
          `${p.label}: observed ${formatNumber(p.observed)}, predicted ${formatNumber(p.center)}, ` +
            options.levels
              .map((level, l) => `${Math.round(100 * level)}% [${bound(p.bounds[l]![0])}, ${bound(p.bounds[l]![1])}]`)
              .join(', '),
        )}</title></circle>`;
      return `<g class="interval">${bars}${tick}${dot}</g>`;
    })
    .join('');
  const inside = points.filter((p) => p.observed >= p.bounds[widest]![0] && p.observed <= p.bounds[widest]![1]).length;
  return chartSvg({
    className: 'interval-chart',
    title: options.title,
    subtitle: `${inside} of ${points.length} observed values inside the ${Math.round(100 * options.levels[widest]!)}% interval (filled dots) · bars: ${order.map(({ level }) => `${Math.round(100 * level)}%`).join(', ')}`,
    basis: options.basis,
    width: WIDTH,
    height: HEIGHT,
    area,
    x: { title: 'held-out regions, ordered by prediction', ticks: [], toPixel: toX },
    y: { title: options.yLabel ?? 'target', ticks: yAxis.ticks, toPixel: toY },
    body: marks,
  });
}
