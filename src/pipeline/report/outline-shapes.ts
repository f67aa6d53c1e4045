/**
 * Desikan–Killiany region outlines as data: the shapes of the ggseg `dk` drawing (four views side
 * by side: left lateral, left medial, right medial, right lateral; SVG paths with y pointing down,
 * fill-rule evenodd), checked from parsed JSON. No file access here, so a browser page uses it too;
 * reading the shipped file is dk-outlines.ts.
 */
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';

const USE_SHIPPED = 'use the shipped dk_ggseg_polygons.json';

/** One outline: its region (null for non-cortical shapes), hemisphere, view and SVG path. */
export interface OutlineShape {
  /** Canonical region id (`L_bankssts`), or null for medial wall / corpus callosum. */
  region: string | null;
  hemi: 'left' | 'right';
  side: 'lateral' | 'medial';
  /** SVG path data in the outline file's viewBox. */
  path: string;
}

/** Desikan–Killiany region outlines (SVG paths, ggseg) the report draws brain maps with. */
export interface DkOutlines {
  /** [x, y, width, height] of the drawing. */
  viewBox: [number, number, number, number];
  shapes: OutlineShape[];
}

/**
 * Checks the parsed outline JSON (`{ viewBox, regions: [{ dk68_region, hemi, side, svg_path }] }`):
 * a viewBox, well-formed shapes, every DK68 region present. `file` names the source in errors.
 */
export function parseDkOutlines(json: unknown, file: string): DkOutlines {
  const { viewBox, regions } = (json ?? {}) as { viewBox?: unknown; regions?: unknown };
  if (!Array.isArray(viewBox) || viewBox.length !== 4 || !viewBox.every((v) => typeof v === 'number')) {
    throw new InputError(`${file}: field 'viewBox' must be [x, y, width, height]; ${USE_SHIPPED}`);
  }
  if (!Array.isArray(regions)) {
    throw new InputError(`${file}: field 'regions' must be a list of outline entries; ${USE_SHIPPED}`);
  }
  const shapes = regions.map((entry: unknown, i: number) => toShape(file, entry, i));
  const drawn = new Set(shapes.map((s) => s.region));
  const missing = DK68_REGIONS.filter((r) => !drawn.has(r));
  if (missing.length > 0) {
    const named = `${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`;
    throw new InputError(`${file}: no outline for ${missing.length} DK region(s) (${named}); ${USE_SHIPPED}`);
  }
  return { viewBox: viewBox as DkOutlines['viewBox'], shapes };
}

function toShape(file: string, entry: unknown, index: number): OutlineShape {
  const e = entry as Record<string, unknown>;
  const where = `${file}: regions[${index}]`;
  const region = e.dk68_region ?? null;
  if (region !== null && (typeof region !== 'string' || !DK68_REGIONS.includes(region))) {
    throw new InputError(
      `${where}: dk68_region '${String(region)}' is not a DK68 region id; use L_<name>/R_<name> or null for the medial wall`,
    );
  }
  if (e.hemi !== 'left' && e.hemi !== 'right') throw new InputError(`${where}: hemi must be 'left' or 'right'`);
  if (e.side !== 'lateral' && e.side !== 'medial') throw new InputError(`${where}: side must be 'lateral' or 'medial'`);
  if (typeof e.svg_path !== 'string' || !/^M[\d\s.,MLZ-]+$/.test(e.svg_path)) {
    throw new InputError(`${where}: svg_path must be SVG path data made of M/L/Z commands`);
  }
  return { region, hemi: e.hemi, side: e.side, path: e.svg_path };
}

/** Bounding box [xMin, yMin, xMax, yMax] of a set of shapes, from the coordinates in their path data. */
export function boundingBox(shapes: readonly OutlineShape[]): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const shape of shapes) {
    for (const [, xs, ys] of shape.path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)) {
      const x = Number(xs),
        y = Number(ys);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return [x0, y0, x1, y1];
}
