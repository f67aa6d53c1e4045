/**
 * The Desikan–Killiany (FreeSurfer `aparc`) cortical atlas: 34 regions per hemisphere, in the
 * canonical ENIGMA order used by every shipped file (left hemisphere first, then right).
 * Region ids are `L_<name>` / `R_<name>`.
 */

export const DK_REGION_NAMES = [
  'bankssts',
  'caudalanteriorcingulate',
  'caudalmiddlefrontal',
  'cuneus',
  'entorhinal',
  'fusiform',
  'inferiorparietal',
  'inferiortemporal',
  'isthmuscingulate',
  'lateraloccipital',
  'lateralorbitofrontal',
  'lingual',
  'medialorbitofrontal',
  'middletemporal',
  'parahippocampal',
  'paracentral',
  'parsopercularis',
  'parsorbitalis',
  'parstriangularis',
  'pericalcarine',
  'postcentral',
  'posteriorcingulate',
  'precentral',
  'precuneus',
  'rostralanteriorcingulate',
  'rostralmiddlefrontal',
  'superiorfrontal',
  'superiorparietal',
  'superiortemporal',
  'supramarginal',
  'frontalpole',
  'temporalpole',
  'transversetemporal',
  'insula',
] as const;

/** Left or right hemisphere. */
export type Hemisphere = 'L' | 'R';

/** The 68 canonical region ids: L_bankssts … L_insula, R_bankssts … R_insula. */
export const DK68_REGIONS: readonly string[] = [
  ...DK_REGION_NAMES.map((n) => `L_${n}`),
  ...DK_REGION_NAMES.map((n) => `R_${n}`),
];

/** The lobes Desikan–Killiany regions are grouped into. */
export type Lobe = 'frontal' | 'parietal' | 'temporal' | 'occipital' | 'cingulate' | 'insula';

/** Lobe of each DK region name (Desikan et al. 2006 grouping; cingulate and insula kept apart). */
const LOBE_OF_NAME: Record<(typeof DK_REGION_NAMES)[number], Lobe> = {
  superiorfrontal: 'frontal',
  rostralmiddlefrontal: 'frontal',
  caudalmiddlefrontal: 'frontal',
  parsopercularis: 'frontal',
  parstriangularis: 'frontal',
  parsorbitalis: 'frontal',
  lateralorbitofrontal: 'frontal',
  medialorbitofrontal: 'frontal',
  precentral: 'frontal',
  paracentral: 'frontal',
  frontalpole: 'frontal',
  superiorparietal: 'parietal',
  inferiorparietal: 'parietal',
  supramarginal: 'parietal',
  postcentral: 'parietal',
  precuneus: 'parietal',
  superiortemporal: 'temporal',
  middletemporal: 'temporal',
  inferiortemporal: 'temporal',
  bankssts: 'temporal',
  fusiform: 'temporal',
  transversetemporal: 'temporal',
  entorhinal: 'temporal',
  temporalpole: 'temporal',
  parahippocampal: 'temporal',
  lateraloccipital: 'occipital',
  lingual: 'occipital',
  cuneus: 'occipital',
  pericalcarine: 'occipital',
  rostralanteriorcingulate: 'cingulate',
  caudalanteriorcingulate: 'cingulate',
  posteriorcingulate: 'cingulate',
  isthmuscingulate: 'cingulate',
  insula: 'insula',
};

/** The hemisphere of a region id: 'L' for `L_<name>`, 'R' for `R_<name>`. */
export function hemisphereOf(region: string): Hemisphere {
  const h = region.slice(0, 2);
  if (h === 'L_') return 'L';
  if (h === 'R_') return 'R';
  throw new Error(`not a DK region id: '${region}' (expected L_<name> or R_<name>)`);
}

/** The lobe a Desikan–Killiany region belongs to (the lobe cross-validation scheme holds out one at a time). */
export function lobeOf(region: string): Lobe {
  const lobe = LOBE_OF_NAME[region.slice(2) as (typeof DK_REGION_NAMES)[number]];
  if (!lobe) throw new Error(`not a DK region id: '${region}'`);
  return lobe;
}

export function isDkRegion(region: string): boolean {
  return DK68_REGIONS.includes(region);
}
