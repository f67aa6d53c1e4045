/** Horizontal bars from zero, one per label: positive red, negative blue (e.g. gene loadings, correlations). */
import { chartSvg, linearScale } from './chart-frame';
import { escapeXml, formatNumber, px } from './format';
import { niceTicks } from './nice-ticks';
import type { FigureBasis } from './types';

export interface Bar {
  label: string;
  value: number;
  /** Extra text for the tooltip, e.g. "p_spin = 0.012". */
  note?: string;
}

export interface BarChartOptions {
  title: string;
  subtitle?: string;
  basis: FigureBasis;
  bars: readonly Bar[];
  xLabel: string;
}

const WIDTH = 520;
const BAR_PITCH = 20;
const CHAR_WIDTH = 8.5;

export function barChartSvg(options: BarChartOptions): string {
  const { bars } = options;
  if (bars.length === 0) throw new Error(`bar chart '${options.title}': no bars`);
  if (!bars.every((b) => Number.isFinite(b.value)))
    throw new Error(`bar chart '${options.title}': values must be finite`);
  const values = bars.map((b) => b.value);
  const axis = niceTicks(Math.min(0, ...values), Math.max(0, ...values), 5);
  const left = Math.max(64, 20 + CHAR_WIDTH * Math.max(...bars.map((b) => b.label.length)));
  const top = 62;
  const height = top + bars.length * BAR_PITCH + 8 + 48;
  const area = { left, right: WIDTH - 18, top, bottom: top + bars.length * BAR_PITCH + 8 };
  const toX = linearScale(axis.domain, [area.left, area.right]);
  const x0 = toX(0);

  const marks = bars
    .map((bar, i) => {
      const y = area.top + 4 + i * BAR_PITCH;
      const x = toX(bar.value);
      const tip = `${bar.label}: ${formatNumber(bar.value)}${bar.note ? `, ${bar.note}` : ''}`;
      return (
        `<rect class="bar" data-label="${escapeXml(bar.label)}" data-value="${bar.value}" x="${px(Math.min(x, x0))}" y="${y + 2}" ` +
        `width="${px(Math.abs(x - x0))}" height="${BAR_PITCH - 5}" fill="${bar.value >= 0 ? '#d6604d' : '#4393c3'}"><title>${escapeXml(tip)}</title></rect>` +
        `<text x="${area.left - 6}" y="${y + BAR_PITCH - 6}" text-anchor="end">${escapeXml(bar.label)}</text>`
      );
    })
    .join('');
  const zero = `<line x1="${px(x0)}" x2="${px(x0)}" y1="${area.top}" y2="${area.bottom}" stroke="#444"/>`;

  return chartSvg({
    className: 'bar-chart',
    title: options.title,
    ...(options.subtitle ? { subtitle: options.subtitle } : {}),
    basis: options.basis,
    width: WIDTH,
    height,
    area,
    x: { title: options.xLabel, ticks: axis.ticks, toPixel: toX },
    y: { title: '', ticks: [], toPixel: () => 0 },
    body: marks + zero,
  });
}
