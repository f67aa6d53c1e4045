/**
 * A Desikan–Killiany brain map: four views (left lateral, left medial, right medial, right lateral)
 * with each region filled by its value, a colour bar, and the regions without a value hatched grey
 * and named in a legend line. Regions carry data-region / data-value and a hover tooltip.
 */
import { DK68_REGIONS } from '../atlas';
import { basisLabelSvg } from './basis-label';
import { colourBarSvg } from './colour-bar';
import { colorFor, scaleFor, type ColourMapName } from './colormaps';
import { boundingBox, type DkOutlines, type OutlineShape } from './outline-shapes';
import { escapeXml, formatNumber, px } from './format';
import type { FigureBasis, RegionValues } from './types';

export interface BrainMapOptions {
  outlines: DkOutlines;
  values: RegionValues;
  title: string;
  basis: FigureBasis;
  scale: ColourMapName;
  /** Colour limits; default the data range (diverging: ±max |value|). */
  limits?: [number, number];
  unit?: string;
  /** Prefix for the SVG ids (gradient, hatch) — unique per page; default derived from the title. */
  id?: string;
}

const PAD = 20;
const TITLE_Y = 30;
const VIEW_LABEL_Y = 64;
const BRAIN_TOP = 74;
const FONT = 15;
const MEDIAL_WALL_FILL = '#e4e4e4';
const MISSING_BASE = '#d4d4d4';
const MISSING_LINES = '#8c8c8c';
const LEGEND_CHARS_PER_LINE = 170;

export function brainMapSvg(options: BrainMapOptions): string {
  const { outlines, values, title, basis, unit } = options;
  for (const region of values.keys()) {
    if (!DK68_REGIONS.includes(region)) {
      throw new Error(`brain map '${title}': '${region}' is not a DK68 region id (expected L_<name> or R_<name>)`);
    }
  }
  const id =
    options.id ??
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const valueOf = (region: string): number | null => {
    const v = values.get(region);
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  };
  const present = DK68_REGIONS.map(valueOf).filter((v): v is number => v !== null);
  const scale = scaleFor(options.scale, present, options.limits);
  const missing = DK68_REGIONS.filter((r) => valueOf(r) === null);

  const [vx, vy, vw, vh] = outlines.viewBox;
  const width = vw + 2 * PAD;
  const hatchId = `${id}-no-data`;

  const regionPath = (shape: OutlineShape & { region: string }) => {
    const v = valueOf(shape.region);
    const fill = v === null ? `url(#${hatchId})` : colorFor(v, scale);
    const shown = v === null ? 'no data' : `${formatNumber(v)}${unit ? ' ' + unit : ''}`;
    return (
      `<path d="${shape.path}" fill="${fill}" data-region="${shape.region}" data-value="${v ?? ''}"` +
      `${v === null ? ' class="no-data"' : ''}><title>${escapeXml(`${shape.region}: ${shown}`)}</title></path>`
    );
  };
  const wall = outlines.shapes
    .filter((s) => s.region === null)
    .map((s) => `<path d="${s.path}" fill="${MEDIAL_WALL_FILL}" class="medial-wall"/>`)
    .join('');
  const regions = outlines.shapes
    .filter((s): s is OutlineShape & { region: string } => s.region !== null)
    .map(regionPath)
    .join('');

  const barY = BRAIN_TOP + vh + 26;
  const bar = colourBarSvg(scale, {
    id: `${id}-gradient`,
    x: PAD + vw / 2 - 200,
    y: barY,
    width: 400,
    height: 14,
    fontSize: FONT,
    unit,
  });
  const legendLines = missingLegend(missing);
  const legendTop = barY + 14 + 2 * FONT + 22;
  const legend = legendLines
    .map((line, i) => {
      const y = legendTop + i * (FONT + 6);
      const swatch =
        i === 0
          ? `<rect x="${PAD}" y="${y - FONT + 2}" width="22" height="${FONT}" fill="url(#${hatchId})" stroke="#999" stroke-width="0.5"/>`
          : '';
      return `${swatch}<text x="${PAD + 30}" y="${y}" font-size="${FONT}" fill="#333">${escapeXml(line)}</text>`;
    })
    .join('');
  const height = legendLines.length ? legendTop + (legendLines.length - 1) * (FONT + 6) + 12 : barY + 14 + 2 * FONT + 8;

  return (
    `<svg class="brain-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${escapeXml(`${title} (${basis})`)}" font-family="system-ui, sans-serif">` +
    `<defs><pattern id="${hatchId}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="${MISSING_BASE}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${MISSING_LINES}" stroke-width="2"/></pattern></defs>` +
    `<text class="title" x="${PAD}" y="${TITLE_Y}" font-size="22" font-weight="600" fill="#111">${escapeXml(title)}</text>` +
    basisLabelSvg(basis, width - PAD, TITLE_Y, FONT + 2) +
    viewLabels(outlines, PAD - vx) +
    `<g transform="translate(${PAD - vx} ${BRAIN_TOP - vy})" fill-rule="evenodd" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">` +
    wall +
    regions +
    '</g>' +
    bar +
    legend +
    '</svg>'
  );
}

/** "Left lateral" … above the centre of each view's outline. */
function viewLabels(outlines: DkOutlines, dx: number): string {
  const views: [OutlineShape['hemi'], OutlineShape['side']][] = [
    ['left', 'lateral'],
    ['left', 'medial'],
    ['right', 'medial'],
    ['right', 'lateral'],
  ];
  return views
    .map(([hemi, side]) => {
      const shapes = outlines.shapes.filter((s) => s.hemi === hemi && s.side === side);
      if (shapes.length === 0) return '';
      const [x0, , x1] = boundingBox(shapes);
      const label = `${hemi[0]!.toUpperCase()}${hemi.slice(1)} ${side}`;
      return `<text class="view-label" x="${px(dx + (x0 + x1) / 2)}" y="${VIEW_LABEL_Y}" text-anchor="middle" font-size="${FONT}" fill="#666">${label}</text>`;
    })
    .join('');
}

/** "No data (2): R_frontalpole, R_temporalpole", wrapped into lines of at most LEGEND_CHARS_PER_LINE characters. */
function missingLegend(missing: readonly string[]): string[] {
  if (missing.length === 0) return [];
  const lines: string[] = [];
  let line = `No data (${missing.length}): `;
  missing.forEach((region, i) => {
    const item = region + (i < missing.length - 1 ? ', ' : '');
    if (line.length + item.length > LEGEND_CHARS_PER_LINE) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += item;
  });
  lines.push(line);
  return lines;
}
