/**
 * Every figure says what its numbers are: a fit scored on the regions it was trained on
 * (in-sample), a prediction for regions held out of training (out-of-sample), or the data itself.
 */
import type { FigureBasis } from './types';
import { escapeXml } from './format';

const BASIS_COLOURS: Record<FigureBasis, string> = {
  'in-sample': '#a6450b',
  'out-of-sample': '#1b6e3c',
  'observed data': '#555555',
};

/** The basis as an SVG <tspan>, to lead a line of text. */
export function basisTspan(basis: FigureBasis): string {
  return `<tspan class="basis" data-basis="${basis}" font-weight="600" fill="${BASIS_COLOURS[basis]}">${escapeXml(basis)}</tspan>`;
}

/** The basis as an SVG <text> anchored at its right end (x, y). */
export function basisLabelSvg(basis: FigureBasis, x: number, y: number, fontSize: number): string {
  return `<text x="${x}" y="${y}" text-anchor="end" font-size="${fontSize}">${basisTspan(basis)}</text>`;
}

/** The basis as an HTML badge for section headings and tables. */
export function basisBadgeHtml(basis: FigureBasis): string {
  return `<span class="badge" style="background:${BASIS_COLOURS[basis]}">${escapeXml(basis)}</span>`;
}
