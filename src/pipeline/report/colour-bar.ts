/** A horizontal colour bar: the scale's gradient, its two limits labelled at the ends, nice ticks between. */
import { colourAt, type ColourScale } from './colormaps';
import { escapeXml, formatNumber, px } from './format';
import { niceTicks } from './nice-ticks';

export interface ColourBarLayout {
  /** Unique id for the gradient definition within the page. */
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  fontSize: number;
  unit?: string;
}

const GRADIENT_SAMPLES = 33;

export function colourBarSvg(scale: ColourScale, layout: ColourBarLayout): string {
  const { id, x, y, width, height, fontSize } = layout;
  const stops = Array.from({ length: GRADIENT_SAMPLES }, (_, i) => {
    const t = i / (GRADIENT_SAMPLES - 1);
    return `<stop offset="${px(t * 100)}%" stop-color="${colourAt(scale.map, t)}"/>`;
  }).join('');
  const span = scale.max - scale.min;
  const xOf = (v: number) => (span === 0 ? x + width / 2 : x + ((v - scale.min) / span) * width);
  // Inner ticks keep clear of the labelled ends (15% of the bar) so labels never overlap.
  const inner =
    span === 0
      ? []
      : niceTicks(scale.min, scale.max, 4).ticks.filter(
          (t) => t > scale.min + 0.15 * span && t < scale.max - 0.15 * span,
        );
  const ends = span === 0 ? [scale.min] : [scale.min, scale.max];
  const tick = (v: number, cls: string) => {
    const tx = px(xOf(v));
    return (
      `<line x1="${tx}" x2="${tx}" y1="${y + height}" y2="${y + height + 5}" stroke="#333"/>` +
      `<text class="${cls}" x="${tx}" y="${y + height + 6 + fontSize}" text-anchor="middle" font-size="${fontSize}" fill="#333">${escapeXml(formatNumber(v))}</text>`
    );
  };
  const unit = layout.unit
    ? `<text x="${x + width + 12}" y="${y + height - 1}" font-size="${fontSize}" fill="#333">${escapeXml(layout.unit)}</text>`
    : '';
  return (
    `<g class="colour-bar" data-min="${scale.min}" data-max="${scale.max}">` +
    `<defs><linearGradient id="${id}" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="url(#${id})" stroke="#666" stroke-width="0.5"/>` +
    ends.map((v) => tick(v, 'limit')).join('') +
    inner.map((v) => tick(v, 'tick')).join('') +
    unit +
    '</g>'
  );
}
