/** Region centroids from `dk68_centroids_fsa5.csv`: on the fsaverage5 sphere (for spin tests) and on the cortical surface (mm). */
import { join } from 'node:path';
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';
import { columnIndex, parseNumberCell, readCsvFile } from './csv';

export const CENTROIDS_FILE = 'dk68_centroids_fsa5.csv';

export interface Centroids { sphere: Float64Array; surface: Float64Array; file: string; sha256: string }

/** N×3 sphere and surface centroids of the given canonical indices, in that order. */
export function readCentroids(dataDir: string, regionIndices: number[]): Centroids {
  const table = readCsvFile(join(dataDir, CENTROIDS_FILE));
  const fix = `use the ${CENTROIDS_FILE} shipped in the data folder`;
  const regionCol = columnIndex(table, 'region', fix);
  const sphereCols = ['sphere_x', 'sphere_y', 'sphere_z'].map((c) => columnIndex(table, c, fix));
  const surfaceCols = ['surf_x', 'surf_y', 'surf_z'].map((c) => columnIndex(table, c, fix));
  const rowOf = new Map<string, number>();
  table.rows.forEach((row, k) => rowOf.set(row[regionCol]!.trim(), k));
  const sphere = new Float64Array(regionIndices.length * 3);
  const surface = new Float64Array(regionIndices.length * 3);
  regionIndices.forEach((index, r) => {
    const region = DK68_REGIONS[index]!;
    const k = rowOf.get(region);
    if (k === undefined) throw new InputError(`${table.file}: no row for region ${region}; fix: ${fix}`);
    const cell = (c: number) => {
      const v = parseNumberCell(table.rows[k]![c]!, table.file, table.lines[k]!, table.header[c]!);
      if (!Number.isFinite(v)) throw new InputError(`${table.file}: line ${table.lines[k]}, column '${table.header[c]}' is not finite; fix: ${fix}`);
      return v;
    };
    for (let a = 0; a < 3; a++) { sphere[r * 3 + a] = cell(sphereCols[a]!); surface[r * 3 + a] = cell(surfaceCols[a]!); }
  });
  return { sphere, surface, file: table.file, sha256: table.sha256 };
}
