/**
 * The shipped vulnerability targets, each oriented so that positive = more vulnerable, and the
 * `file:<path>:<column>` form for a user's own map.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../input-error';
import { columnIndex, readCsvFile } from './csv';

/** A vulnerability map: its file and column, the sign that orients it positive = more vulnerable, and a description. */
export interface TargetSpec { name: string; file: string; column: string; sign: 1 | -1; description: string }

const RAJLAB = 'adni_group_maps_rajlab_dk86.csv';
const PD = 'enigma_pd_thickness_dk68.csv';

const SHIPPED: TargetSpec[] = [
  { name: 'adni2-ad-volume-d', file: 'adni2_ad_vs_cn_volume_effects_dk68.csv', column: 'cohens_d_cn_minus_ad', sign: 1,
    description: "ADNI-2 AD vs CN cortical volume, Cohen's d (CN − AD): positive = smaller in AD" },
  { name: 'adni-ad-atrophy', file: RAJLAB, column: 'ad_atrophy', sign: 1, description: 'ADNI AD atrophy statistic vs controls (Raj lab): positive = more atrophy' },
  { name: 'adni-lmci-atrophy', file: RAJLAB, column: 'lmci_atrophy', sign: 1, description: 'ADNI late-MCI atrophy statistic vs controls (Raj lab): positive = more atrophy' },
  { name: 'adni-emci-atrophy', file: RAJLAB, column: 'emci_atrophy', sign: 1, description: 'ADNI early-MCI atrophy statistic vs controls (Raj lab): positive = more atrophy' },
  { name: 'adni-ad-tau', file: RAJLAB, column: 'ad_tau', sign: 1, description: 'ADNI AD AV-1451 tau PET group statistic (Raj lab): positive = more tau' },
  { name: 'adni-ad-abeta', file: RAJLAB, column: 'ad_abeta', sign: 1, description: 'ADNI AD AV-45 amyloid PET group statistic (Raj lab): positive = more amyloid' },
  // ad_met is a t-like contrast, not an uptake value: it is highest in inferior parietal, precuneus and
  // isthmus cingulate and lowest in pre/postcentral cortex (the AD hypometabolism pattern) and
  // correlates +0.41 with ad_atrophy, so positive already means more hypometabolism.
  { name: 'adni-ad-fdg', file: RAJLAB, column: 'ad_met', sign: 1, description: 'ADNI AD FDG-PET hypometabolism statistic (Raj lab): positive = more hypometabolism' },
  { name: 'adni3-tau-d', file: 'adni3_tau_dementia_vs_cn_dk68.csv', column: 'cohens_d_dementia_minus_cn', sign: 1,
    description: "ADNI-3 dementia vs CN AV-1451 tau, Cohen's d: positive = more tau" },
  { name: 'enigma-pd-thickness', file: PD, column: 'd', sign: -1, description: "ENIGMA Parkinson's disease cortical thickness, Cohen's d (negative = thinner), negated" },
  { name: 'enigma-pd-thickness-hy1', file: PD, column: 'd_HY1', sign: -1, description: "ENIGMA PD Hoehn–Yahr stage 1 thickness d, negated" },
  { name: 'enigma-pd-thickness-hy2', file: PD, column: 'd_HY2', sign: -1, description: "ENIGMA PD Hoehn–Yahr stage 2 thickness d, negated" },
  { name: 'enigma-pd-thickness-hy3', file: PD, column: 'd_HY3', sign: -1, description: "ENIGMA PD Hoehn–Yahr stage 3 thickness d, negated" },
  { name: 'enigma-pd-thickness-hy4-5', file: PD, column: 'd_HY4-5', sign: -1, description: "ENIGMA PD Hoehn–Yahr stages 4–5 thickness d, negated" },
  { name: 'enigma-scz-thickness', file: 'enigma_scz_case-controls_CortThick.csv', column: 'd_icv', sign: -1,
    description: "ENIGMA schizophrenia cortical thickness, Cohen's d (negative = thinner), negated" },
  { name: 'enigma-epilepsy-thickness', file: 'enigma_allepi_case-controls_CortThick.csv', column: 'd_icv', sign: -1,
    description: "ENIGMA all-epilepsies cortical thickness, Cohen's d (negative = thinner), negated" },
];

/** Columns whose name fixes the direction; any other column of a user file needs an explicit sign. */
const KNOWN_COLUMN_SIGN: Record<string, 1 | -1> = {
  cohens_d_cn_minus_ad: 1, cohens_d_dementia_minus_cn: 1, ad_atrophy: 1, lmci_atrophy: 1, emci_atrophy: 1, d_icv: -1,
};

export const DEFAULT_TARGET = 'adni2-ad-volume-d';

/** The shipped vulnerability maps, each with its file, column, sign and description. */
export function listTargets(): TargetSpec[] {
  return SHIPPED.map((t) => ({ ...t }));
}

/** Resolves a shipped name or `file:<path>:<column>` to a file path, column and sign. */
export function resolveTarget(target: string, dataDir: string, targetSign?: 1 | -1): TargetSpec {
  if (target.startsWith('file:')) {
    const { file, column } = splitFileTarget(target.slice('file:'.length));
    // the column is checked against the file before any sign is asked for
    const table = readCsvFile(file);
    if (column === undefined) {
      throw new InputError(`${file}: --target file:<path> names no column (columns: ${table.header.join(', ')}); fix: add one, e.g. --target file:${file}:${table.header.at(-1)}`);
    }
    columnIndex(table, column, `name one of its value columns, e.g. --target file:${file}:${table.header.at(-1)}`);
    const sign = targetSign ?? KNOWN_COLUMN_SIGN[column];
    if (sign === undefined) {
      throw new InputError(`${file}: column '${column}' has no known direction; fix: pass --target-sign 1 if positive means more vulnerable, -1 if negative does`);
    }
    return { name: target, file, column, sign, description: `user map ${file}, column ${column}, sign ${sign > 0 ? '+1' : '−1'}` };
  }
  const shipped = SHIPPED.find((t) => t.name === target);
  if (!shipped) throw new InputError(`target '${target}' is not a shipped target; fix: use one of ${SHIPPED.map((t) => t.name).join(', ')} or file:<path>:<column>`);
  const sign = targetSign ?? shipped.sign;
  // a sign against the shipped one turns the map over: the column's stated direction no longer holds for y
  const description = sign === shipped.sign
    ? shipped.description
    : `${shipped.description}; --target-sign ${sign} reverses the shipped orientation, ` +
      "so y's positive is that column's negative";
  return { ...shipped, file: join(dataDir, shipped.file), sign, description };
}

/** `<path>:<column>`, or `<path>` alone when the whole text names an existing file (paths may hold ':'). */
function splitFileTarget(spec: string): { file: string; column?: string } {
  if (existsSync(spec) && statSync(spec).isFile()) return { file: spec };
  const cut = spec.lastIndexOf(':');
  if (cut <= 0) return { file: spec };
  return { file: spec.slice(0, cut), column: spec.slice(cut + 1) || undefined };
}
