/**
 * Regional expression tables (ENIGMA / abagen layout): a region-label column (`label`, `region`
 * or unnamed) and one column per gene. Reading validates labels and gene names; choosing regions,
 * NaN handling and constant genes are decided later, over the regions actually used.
 */
import { basename } from 'node:path';
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';
import type { AtlasTable } from './atlas-table';
import { readCsvFile, parseNumberCell } from './csv';
import { resolveRegionLabel } from './region-labels';

export interface ExpressionTable {
  file: string;
  sha256: string;
  genes: string[];
  /** Row of each canonical region index present in the file (−1 when absent). */
  rowOfRegion: Int32Array;
  /** Cortical rows × genes, row-major, in file order; NaN where the file has a missing value. */
  values: Float64Array;
  /** 1-based file line of each cortical row. */
  lines: number[];
  /** Labels of rows ignored as subcortical. */
  subcorticalIgnored: string[];
}

const LABEL_COLUMNS = ['label', 'region', ''];

export function readExpressionTable(file: string, atlas: AtlasTable): ExpressionTable {
  const table = readCsvFile(file);
  const first = table.header[0]!;
  if (!LABEL_COLUMNS.includes(first.toLowerCase()) && !/^unnamed/i.test(first)) {
    throw new InputError(`${file}: line 1, column 1 is '${first}', expected region labels; fix: put region ids in the first column, headed 'label' or 'region' (or left blank)`);
  }
  const genes = table.header.slice(1);
  const seenGene = new Map<string, number>();
  genes.forEach((g, k) => {
    if (g === '') throw new InputError(`${file}: line 1, column ${k + 2} has no gene name; fix: name every gene column`);
    const earlier = seenGene.get(g);
    if (earlier !== undefined) throw new InputError(`${file}: line 1: gene '${g}' appears in columns ${earlier + 2} and ${k + 2}; fix: keep one column per gene`);
    seenGene.set(g, k);
  });
  const rowOfRegion = new Int32Array(DK68_REGIONS.length).fill(-1);
  const lineOfRegion = new Map<number, number>();
  const corticalRows: string[][] = [];
  const lines: number[] = [];
  const subcorticalIgnored: string[] = [];
  table.rows.forEach((row, k) => {
    const label = row[0]!.trim();
    const line = table.lines[k]!;
    const resolved = resolveRegionLabel(label, atlas, file, line);
    if (resolved.kind === 'subcortical') { subcorticalIgnored.push(label); return; }
    const earlier = lineOfRegion.get(resolved.index);
    if (earlier !== undefined) {
      throw new InputError(`${file}: line ${line}: region ${DK68_REGIONS[resolved.index]} duplicates line ${earlier}; fix: keep one row per region`);
    }
    lineOfRegion.set(resolved.index, line);
    rowOfRegion[resolved.index] = corticalRows.length;
    corticalRows.push(row);
    lines.push(line);
  });
  const g = genes.length;
  const values = new Float64Array(corticalRows.length * g);
  corticalRows.forEach((row, r) => {
    for (let c = 0; c < g; c++) values[r * g + c] = parseNumberCell(row[c + 1]!, file, lines[r]!, genes[c]!);
  });
  return { file, sha256: table.sha256, genes, rowOfRegion, values, lines, subcorticalIgnored };
}

/**
 * The differential-stability threshold an ENIGMA-style file name states (`…stable_r0.2…` → 0.2),
 * or null when the name states none (`stable_r-1` means unfiltered).
 */
export function stabilityThresholdInName(file: string): number | null {
  const m = /stable_r(-?\d+(?:\.\d+)?)/.exec(basename(file));
  if (!m) return null;
  const r = Number(m[1]);
  return r > -1 ? r : null;
}
