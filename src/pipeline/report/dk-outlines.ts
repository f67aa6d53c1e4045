/**
 * Desikan–Killiany region outlines for 2D brain maps: the ggseg `dk` polygons shipped as
 * data/dk_ggseg_polygons.json (four views side by side: left lateral, left medial,
 * right medial, right lateral; SVG paths with y already pointing down, fill-rule evenodd).
 */
import { readFileSync } from 'node:fs';
import { DK68_REGIONS } from '../atlas';
import { checkListedDigest, sha256Hex } from '../data/checksums';
import { InputError } from '../input-error';

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

/** Reads and checks the outline file: a viewBox, well-formed shapes, every DK68 region present. */
export function loadDkOutlines(file: string): DkOutlines {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new InputError(`${file}: cannot read the region outline file; pass the path of dk_ggseg_polygons.json (in the package's data folder)`);
  }
  checkListedDigest(file, sha256Hex(bytes));
  const text = bytes.toString('utf8');
  let json: { viewBox?: unknown; regions?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message}); use the shipped dk_ggseg_polygons.json`);
  }
  const viewBox = json.viewBox;
  if (!Array.isArray(viewBox) || viewBox.length !== 4 || !viewBox.every((v) => typeof v === 'number')) {
    throw new InputError(`${file}: field 'viewBox' must be [x, y, width, height]; use the shipped dk_ggseg_polygons.json`);
  }
  if (!Array.isArray(json.regions)) {
    throw new InputError(`${file}: field 'regions' must be a list of outline entries; use the shipped dk_ggseg_polygons.json`);
  }
  const shapes = json.regions.map((entry: unknown, i: number) => toShape(file, entry, i));
  const drawn = new Set(shapes.map((s) => s.region));
  const missing = DK68_REGIONS.filter((r) => !drawn.has(r));
  if (missing.length > 0) {
    throw new InputError(`${file}: no outline for ${missing.length} DK region(s) (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); use the shipped dk_ggseg_polygons.json`);
  }
  return { viewBox: viewBox as DkOutlines['viewBox'], shapes };
}

function toShape(file: string, entry: unknown, index: number): OutlineShape {
  const e = entry as Record<string, unknown>;
  const where = `${file}: regions[${index}]`;
  const region = e.dk68_region ?? null;
  if (region !== null && (typeof region !== 'string' || !DK68_REGIONS.includes(region))) {
    throw new InputError(`${where}: dk68_region '${String(region)}' is not a DK68 region id; use L_<name>/R_<name> or null for the medial wall`);
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
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const shape of shapes) {
    for (const [, xs, ys] of shape.path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)) {
      const x = Number(xs), y = Number(ys);
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return [x0, y0, x1, y1];
}
