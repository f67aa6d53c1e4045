/**
 * `dk68_regions.csv`: the canonical DK68 ids with their names in other tools — FreeSurfer labels
 * (`ctx-lh-bankssts`), abagen's Desikan–Killiany ids (L 1–34, R 42–75) and ADNI UCSF FreeSurfer ST codes.
 */
import { join } from 'node:path';
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';
import { columnIndex, readCsvFile } from './csv';

export interface AtlasTable {
  file: string;
  sha256: string;
  /** Canonical index (0–67) of each canonical id, FreeSurfer label and abagen numeric id (as text). */
  indexOf: Map<string, number>;
  /** ADNI thickness-average ST code (e.g. `ST13TA`) of each canonical region, in canonical order. */
  adniThicknessAverage: string[];
}

export const ATLAS_TABLE_FILE = 'dk68_regions.csv';

export function readAtlasTable(dataDir: string): AtlasTable {
  const table = readCsvFile(join(dataDir, ATLAS_TABLE_FILE));
  const fix = `use the ${ATLAS_TABLE_FILE} shipped in the data folder`;
  const regionCol = columnIndex(table, 'region', fix);
  const fsCol = columnIndex(table, 'freesurfer_label', fix);
  const abagenCol = columnIndex(table, 'abagen_dk_id', fix);
  const adniCol = columnIndex(table, 'adni_thickness_avg', fix);
  const indexOf = new Map<string, number>();
  const adniThicknessAverage = new Array<string>(DK68_REGIONS.length).fill('');
  table.rows.forEach((row, k) => {
    const region = row[regionCol]!.trim();
    const index = DK68_REGIONS.indexOf(region);
    if (index === -1) throw new InputError(`${table.file}: line ${table.lines[k]}: '${region}' is not a canonical DK68 id; fix: ${fix}`);
    indexOf.set(region, index);
    indexOf.set(row[fsCol]!.trim(), index);
    indexOf.set(String(Number(row[abagenCol]!.trim())), index);
    adniThicknessAverage[index] = row[adniCol]!.trim();
  });
  const missing = DK68_REGIONS.filter((r) => !indexOf.has(r));
  if (missing.length > 0) throw new InputError(`${table.file}: missing regions ${missing.join(', ')}; fix: ${fix}`);
  return { file: table.file, sha256: table.sha256, indexOf, adniThicknessAverage };
}
