/**
 * Curves over epochs (loss terms), several series with a legend, optionally on a log y axis.
 * Non-finite values (and values ≤ 0 on a log axis) break the line and are counted in the subtitle.
 */
import { chartSvg, linearScale, plotArea } from './chart-frame';
import { escapeXml, px } from './format';
import { logTicks, niceTicks } from './nice-ticks';
import type { FigureBasis } from './types';

export interface LineChartOptions {
  title: string;
  basis: FigureBasis;
  /** Series name → one value per epoch (epoch 1 first), or per entry of `x`. */
  series: Record<string, readonly number[]>;
  /** The x value of each point, shared by every series (default 1, 2, 3, …). */
  x?: readonly number[];
  logY?: boolean;
  xLabel?: string;
  yLabel?: string;
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

const WIDTH = 560;
const HEIGHT = 380;

export function lineChartSvg(options: LineChartOptions): string {
  const names = Object.keys(options.series);
  if (names.length === 0) throw new Error(`line chart '${options.title}': no series`);
  const logY = options.logY ?? false;
  const drawable = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  const allValues = names.flatMap((n) => options.series[n]!.filter(drawable));
  if (allValues.length === 0)
    throw new Error(`line chart '${options.title}': no ${logY ? 'positive ' : ''}finite values to draw`);
  const hidden = names.reduce((sum, n) => sum + options.series[n]!.filter((v) => !drawable(v)).length, 0);
  const epochs = Math.max(...names.map((n) => options.series[n]!.length));
  if (options.x && options.x.length < epochs)
    throw new Error(`line chart '${options.title}': ${options.x.length} x values for ${epochs} points`);
  const xOf = (i: number): number => options.x?.[i] ?? i + 1;

  const xAxis = options.x
    ? niceTicks(Math.min(...options.x), Math.max(...options.x), 6)
    : niceTicks(1, Math.max(2, epochs), 6);
  const yAxis = logY
    ? logTicks(Math.min(...allValues), Math.max(...allValues))
    : niceTicks(Math.min(...allValues), Math.max(...allValues), 5);
  const area = plotArea(WIDTH, HEIGHT);
  const toX = linearScale(xAxis.domain, [area.left, area.right]);
  const toYLinear = linearScale(logY ? [Math.log10(yAxis.domain[0]), Math.log10(yAxis.domain[1])] : yAxis.domain, [
    area.bottom,
    area.top,
  ]);
  const toY = logY ? (v: number) => toYLinear(Math.log10(v)) : toYLinear;

  const paths = names
    .map((name, s) => {
      const values = options.series[name]!;
      let d = '';
      let penDown = false;
      values.forEach((v, i) => {
        if (!drawable(v)) {
          penDown = false;
          return;
        }
        d += `${penDown ? 'L' : 'M'}${px(toX(xOf(i)))},${px(toY(v))}`;
        penDown = true;
      });
      return (
        `<path class="series" data-series="${escapeXml(name)}" data-points="${values.filter(drawable).length}" d="${d}" ` +
        `fill="none" stroke="${SERIES_COLOURS[s % SERIES_COLOURS.length]}" stroke-width="1.8" stroke-linejoin="round"/>`
      );
    })
    .join('');

  const legendWidth = 34 + 7 * Math.max(...names.map((n) => n.length));
  const lx = area.right - legendWidth - 8;
  const legend =
    `<g class="legend" font-size="12"><rect x="${lx - 6}" y="${area.top + 6}" width="${legendWidth + 6}" height="${names.length * 18 + 8}" fill="#fff" fill-opacity="0.85" stroke="#ccc"/>` +
    names
      .map((name, s) => {
        const y = area.top + 20 + s * 18;
        return (
          `<line x1="${lx}" x2="${lx + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${SERIES_COLOURS[s % SERIES_COLOURS.length]}" stroke-width="2.5"/>` +
          `<text x="${lx + 28}" y="${y}">${escapeXml(name)}</text>`
        );
      })
      .join('') +
    '</g>';

  const notes = [
    logY ? 'log scale' : '',
    hidden > 0 ? `${hidden} value(s) ${logY ? '≤ 0 or ' : ''}not finite, not drawn` : '',
  ].filter(Boolean);
  return chartSvg({
    className: 'line-chart',
    title: options.title,
    ...(notes.length ? { subtitle: notes.join(' · ') } : {}),
    basis: options.basis,
    width: WIDTH,
    height: HEIGHT,
    area,
    x: { title: options.xLabel ?? 'epoch', ticks: xAxis.ticks, toPixel: toX },
    y: { title: options.yLabel ?? 'loss', ticks: yAxis.ticks, toPixel: toY },
    body: paths + legend,
  });
}
