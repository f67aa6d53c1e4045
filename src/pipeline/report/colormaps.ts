/**
 * Colour maps as explicit stop tables, interpolated linearly in sRGB between neighbouring stops.
 *
 * - diverging: ColorBrewer RdBu (11 classes), blue for negative, white at 0, red for positive;
 *   always centred at 0 with symmetric limits ±m, so equal colours mean equal |value|.
 * - sequential: matplotlib viridis sampled at 9 equal steps (perceptually uniform, colour-blind safe).
 */

export type ColourMapName = 'diverging' | 'sequential';

/** A colour map with the value range it spans. For 'diverging' the range is [−m, m]. */
export interface ColourScale {
  map: ColourMapName;
  min: number;
  max: number;
}

const STOPS: Record<ColourMapName, readonly string[]> = {
  diverging: [
    '#053061',
    '#2166ac',
    '#4393c3',
    '#92c5de',
    '#d1e5f0',
    '#f7f7f7',
    '#fddbc7',
    '#f4a582',
    '#d6604d',
    '#b2182b',
    '#67001f',
  ],
  sequential: ['#440154', '#472c7a', '#3b518b', '#2c718e', '#21908d', '#27ad81', '#5cc863', '#aadc32', '#fde725'],
};

function hexToRgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

function rgbToHex(rgb: readonly number[]): string {
  return '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
}

/** Colour at position t ∈ [0, 1] of a map: stops s_i at t_i = i/(n−1), c(t) = s_i + (s_{i+1} − s_i)·(t − t_i)(n−1). */
export function colourAt(map: ColourMapName, t: number): string {
  const stops = STOPS[map];
  const clamped = Math.min(1, Math.max(0, t));
  const position = clamped * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(position));
  const f = position - i;
  const a = hexToRgb(stops[i]!);
  const b = hexToRgb(stops[i + 1]!);
  return rgbToHex(a.map((ca, k) => ca + (b[k]! - ca) * f));
}

/** Position of a value on its scale: sequential t = (v − min)/(max − min); diverging t = ½ + v/(2m), m = max(|min|, |max|). */
export function positionOnScale(value: number, scale: ColourScale): number {
  if (scale.map === 'diverging') {
    const m = Math.max(Math.abs(scale.min), Math.abs(scale.max));
    return m === 0 ? 0.5 : 0.5 + value / (2 * m);
  }
  const span = scale.max - scale.min;
  return span === 0 ? 0.5 : (value - scale.min) / span;
}

/** '#rrggbb' for a value; values beyond the limits take the end colour. */
export function colorFor(value: number, scale: ColourScale): string {
  if (!Number.isFinite(value)) throw new Error(`colorFor: value must be finite, got ${value}`);
  return colourAt(scale.map, positionOnScale(value, scale));
}

/**
 * The scale a map is drawn with: the given limits, else the data range;
 * diverging limits are made symmetric, [−m, m] with m = max |limit|.
 */
export function scaleFor(
  map: ColourMapName,
  values: readonly number[],
  limits?: readonly [number, number],
): ColourScale {
  const finite = values.filter(Number.isFinite);
  let min = limits ? limits[0] : finite.length ? Math.min(...finite) : 0;
  let max = limits ? limits[1] : finite.length ? Math.max(...finite) : 0;
  if (min > max) throw new Error(`colour scale limits must be [low, high], got [${min}, ${max}]`);
  if (map === 'diverging') {
    const m = Math.max(Math.abs(min), Math.abs(max));
    min = -m;
    max = m;
  }
  return { map, min, max };
}
