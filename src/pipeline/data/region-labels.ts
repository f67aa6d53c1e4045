/**
 * Resolving the row labels of user tables to canonical DK68 indices. Accepted: canonical ids
 * (`L_bankssts`), FreeSurfer labels (`ctx-lh-bankssts`) and abagen numeric ids (1–34, 42–75).
 * Subcortical rows (ENIGMA `Lhippo` …, abagen ids 35–41 and 76–83) are recognised and ignored.
 */
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';
import type { AtlasTable } from './atlas-table';
import { closestName } from './closest-name';

const ENIGMA_SUBCORTICAL = ['accumb', 'amyg', 'caud', 'hippo', 'pal', 'put', 'thal'].flatMap((s) => [`L${s}`, `R${s}`]);
/** abagen's Desikan–Killiany atlas numbers 83 structures: cortex 1–34 / 42–75, the rest subcortex and brainstem. */
const ABAGEN_MAX_ID = 83;

export type ResolvedLabel = { kind: 'cortical'; index: number } | { kind: 'subcortical' };

export function resolveRegionLabel(label: string, atlas: AtlasTable, file: string, line: number): ResolvedLabel {
  const index = atlas.indexOf.get(label) ?? (/^\d+$/.test(label) ? atlas.indexOf.get(String(Number(label))) : undefined);
  if (index !== undefined) return { kind: 'cortical', index };
  if (ENIGMA_SUBCORTICAL.includes(label)) return { kind: 'subcortical' };
  if (/^\d+$/.test(label) && Number(label) >= 1 && Number(label) <= ABAGEN_MAX_ID) return { kind: 'subcortical' };
  throw new InputError(
    `${file}: line ${line}: unknown region '${label}' (did you mean '${closestName(label, DK68_REGIONS)}'?); fix: use canonical DK68 ids such as L_bankssts (see dk68_regions.csv)`,
  );
}
