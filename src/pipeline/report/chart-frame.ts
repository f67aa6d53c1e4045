/**
 * The frame every chart shares: a title, a line naming the basis (in-sample / out-of-sample)
 * followed by the printed statistics, grid lines, tick labels and axis titles.
 */
import type { FigureBasis } from './types';
import { basisTspan } from './basis-label';
import { escapeXml, formatNumber, px } from './format';

/** Pixel rectangle of the plotting area inside the chart. */
export interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface AxisSpec {
  title: string;
  ticks: number[];
  /** Data value → pixel coordinate. */
  toPixel: (value: number) => number;
}

export interface ChartFrame {
  className: string;
  title: string;
  subtitle?: string;
  basis: FigureBasis;
  width: number;
  height: number;
  area: PlotArea;
  x: AxisSpec;
  y: AxisSpec;
  /** SVG drawn over the grid: marks, lines, legend. */
  body: string;
}

export const FONT = 13;
export const TITLE_FONT = 15;
/** Line advance of a wrapped title, and a generous bound on one character's width in its bold face. */
const TITLE_LINE = 19;
const TITLE_CHAR_WIDTH = 0.62 * TITLE_FONT;
const TITLE_X = 12;

/** Words → lines of at most `maxChars` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + word.length <= maxChars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The title as lines that fit the chart's width: a long title wraps instead of running off the edge. */
export function titleLines(title: string, width: number): string[] {
  return wrapWords(title, Math.floor((width - 2 * TITLE_X) / TITLE_CHAR_WIDTH));
}

/** Plot area for a chart of the given size, leaving room for title, subtitle and axis labels. */
export function plotArea(width: number, height: number, left = 64): PlotArea {
  return { left, right: width - 18, top: 62, bottom: height - 48 };
}

/** Linear map from a domain to a pixel range: p = r0 + (v − d0)/(d1 − d0)·(r1 − r0). */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

export function chartSvg(frame: ChartFrame): string {
  const { area, x, y } = frame;
  const line = (a: number, b: number, c: number, d: number) =>
    `<line x1="${px(a)}" y1="${px(b)}" x2="${px(c)}" y2="${px(d)}"/>`;
  const xPixels = x.ticks.map(x.toPixel);
  const yPixels = y.ticks.map(y.toPixel);
  const gridLines =
    xPixels.map((p) => line(p, area.top, p, area.bottom)).join('') +
    yPixels.map((p) => line(area.left, p, area.right, p)).join('');
  const tickLabels =
    x.ticks
      .map(
        (t, i) =>
          `<text x="${px(xPixels[i]!)}" y="${area.bottom + FONT + 6}" text-anchor="middle">${escapeXml(formatNumber(t))}</text>`,
      )
      .join('') +
    y.ticks
      .map(
        (t, i) =>
          `<text x="${area.left - 6}" y="${px(yPixels[i]! + FONT / 3)}" text-anchor="end">${escapeXml(formatNumber(t))}</text>`,
      )
      .join('');
  const midX = (area.left + area.right) / 2;
  const midY = (area.top + area.bottom) / 2;
  // a title of n lines pushes the rest of the chart down by n − 1 lines
  const lines = titleLines(frame.title, frame.width);
  const shift = (lines.length - 1) * TITLE_LINE;
  const title = lines
    .map((l, i) => `<tspan x="${TITLE_X}" dy="${i === 0 ? 0 : TITLE_LINE}">${escapeXml(l)}</tspan>`)
    .join('');
  return (
    `<svg class="chart ${frame.className}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height + shift}" ` +
    `role="img" aria-label="${escapeXml(`${frame.title} (${frame.basis})`)}" font-family="system-ui, sans-serif" font-size="${FONT}" fill="#333">` +
    `<text class="title" x="${TITLE_X}" y="22" font-size="${TITLE_FONT}" font-weight="600" fill="#111">${title}</text>` +
    `<g transform="translate(0 ${shift})">` +
    `<text class="subtitle" x="${TITLE_X}" y="42">${basisTspan(frame.basis)}${frame.subtitle ? escapeXml(` · ${frame.subtitle}`) : ''}</text>` +
    `<g class="grid" stroke="#e3e3e3" stroke-width="1">${gridLines}</g>` +
    `<g class="tick-labels">${tickLabels}</g>` +
    `<rect x="${area.left}" y="${area.top}" width="${area.right - area.left}" height="${area.bottom - area.top}" fill="none" stroke="#999"/>` +
    `<text class="axis-title" x="${px(midX)}" y="${frame.height - 10}" text-anchor="middle">${escapeXml(x.title)}</text>` +
    `<text class="axis-title" transform="translate(16 ${px(midY)}) rotate(-90)" text-anchor="middle">${escapeXml(y.title)}</text>` +
    frame.body +
    '</g></svg>'
  );
}
