/**
 * Lines over a log–log plane (throughput against batch size), drawn in the report's chart frame.
 * Points that are not positive and finite are left out and counted in the subtitle.
 */
import { chartSvg, linearScale, plotArea } from '../../src/pipeline/report/chart-frame';
import { escapeXml, formatNumber, px } from '../../src/pipeline/report/format';
import { SERIES_COLOURS } from '../../src/pipeline/report/line-chart';
import { logTicks } from '../../src/pipeline/report/nice-ticks';

export interface LogSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  /** Drawn dashed (e.g. extrapolated values). */
  dashed?: boolean;
}

export interface LogChartOptions {
  title: string;
  series: readonly LogSeries[];
  xLabel: string;
  yLabel: string;
}

const PLOT_WIDTH = 560;
const HEIGHT = 400;
const CHAR_WIDTH = 7;

/** Position on a log axis: p = linear map of log10(v). */
function logScale(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const linear = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  return (v) => linear(Math.log10(v));
}

export function logLogChartSvg(options: LogChartOptions): string {
  const drawable = (p: { x: number; y: number }) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y);
  const points = options.series.flatMap((s) => s.points.filter(drawable));
  if (points.length === 0) throw new Error(`chart '${options.title}': no positive finite points`);
  const hidden = options.series.reduce((n, s) => n + s.points.filter((p) => !drawable(p)).length, 0);
  const xAxis = logTicks(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)));
  const yAxis = logTicks(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y)));
  // legend to the right of the plot, so it never covers a point
  const legendWidth = 34 + CHAR_WIDTH * Math.max(...options.series.map((s) => s.name.length));
  const width = PLOT_WIDTH + legendWidth + 16;
  const area = { ...plotArea(PLOT_WIDTH, HEIGHT, 72) };
  const toX = logScale(xAxis.domain, [area.left, area.right]);
  const toY = logScale(yAxis.domain, [area.bottom, area.top]);

  const marks = options.series
    .map((s, i) => {
      const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
      const shown = s.points.filter(drawable);
      const d = shown.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(toX(p.x))},${px(toY(p.y))}`).join('');
      const dots = shown
        .map(
          (p) =>
            `<circle class="point" cx="${px(toX(p.x))}" cy="${px(toY(p.y))}" r="3.5" fill="${colour}">` +
            `<title>${escapeXml(`${s.name}: ${formatNumber(p.x)} → ${formatNumber(p.y)}`)}</title></circle>`,
        )
        .join('');
      return (
        `<g class="series" data-series="${escapeXml(s.name)}" data-points="${shown.length}">` +
        `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>${dots}</g>`
      );
    })
    .join('');

  const lx = area.right + 18;
  const legend =
    `<g class="legend" font-size="12"><rect x="${lx - 6}" y="${area.top}" width="${legendWidth}" height="${options.series.length * 18 + 8}" fill="#fff" stroke="#ccc"/>` +
    options.series
      .map((s, i) => {
        const y = area.top + 16 + i * 18;
        const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
        return (
          `<line x1="${lx}" x2="${lx + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>` +
          `<text x="${lx + 28}" y="${y}">${escapeXml(s.name)}</text>`
        );
      })
      .join('') +
    '</g>';

  return chartSvg({
    className: 'log-chart',
    title: options.title,
    subtitle: ['log–log', hidden > 0 ? `${hidden} point(s) not positive, not drawn` : ''].filter(Boolean).join(' · '),
    basis: 'observed data',
    width,
    height: HEIGHT,
    area,
    x: { title: options.xLabel, ticks: xAxis.ticks, toPixel: toX },
    y: { title: options.yLabel, ticks: yAxis.ticks, toPixel: toY },
    body: marks + legend,
  });
}
