/**
 * Reads precomputed spin permutations (e.g. data/dk68_spin_permutations_1000_seed1234.csv):
 * a header of region ids, then one row per spin where row k, column i holds the 0-based column index
 * j whose value moves to region i (null_k[i] = y[P[k][i]]).
 */
import { existsSync, readFileSync } from 'node:fs';
import { hemisphereOf, isDkRegion } from '../atlas';
import { checkListedDigest, sha256Hex } from '../data/checksums';
import { InputError } from '../input-error';

/**
 * Returns the permutations re-indexed to `regions` (the caller's region order). `regions` may be a
 * subset of the file's columns (e.g. the 34 left regions) as long as no spin moves a value into it
 * from outside. Every row must be a permutation and, for DK ids, keep each hemisphere on itself.
 */
export function readSpinFile(path: string, regions: readonly string[]): Int32Array[] {
  if (!existsSync(path))
    throw new InputError(`${path}: spin file not found; pass an existing CSV of spin permutations`);
  const bytes = readFileSync(path);
  checkListedDigest(path, sha256Hex(bytes));
  const lines = bytes
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines.length < 2) throw new InputError(`${path}: needs a header of region ids and at least one row of spins`);
  const header = lines[0]!.split(',').map((s) => s.trim());
  if (header.length < 2) {
    throw new InputError(`${path} row 1: expected comma-separated region ids; check the delimiter is ','`);
  }
  const columnOf = new Map<string, number>();
  header.forEach((id, column) => {
    if (columnOf.has(id))
      throw new InputError(
        `${path} row 1 column ${column + 1}: duplicate region id '${id}'; each region must appear once`,
      );
    columnOf.set(id, column);
  });
  const callerIndexOfColumn = new Int32Array(header.length).fill(-1);
  regions.forEach((id, index) => {
    const column = columnOf.get(id);
    if (column === undefined)
      throw new InputError(
        `${path} row 1: region '${id}' is missing from the header; use a spin file made for these regions`,
      );
    callerIndexOfColumn[column] = index;
  });

  const width = header.length;
  const seen = new Uint8Array(width);
  return lines.slice(1).map((line, k) => {
    const row = k + 2;
    const cells = line.split(',');
    if (cells.length !== width)
      throw new InputError(
        `${path} row ${row}: ${cells.length} values for ${width} header columns; every row needs one index per region`,
      );
    const source = cells.map((cell, column) => {
      const value = Number(cell);
      if (!Number.isInteger(value) || value < 0 || value >= width) {
        throw new InputError(
          `${path} row ${row} column ${column + 1}: '${cell.trim()}' is not a column index in 0…${width - 1}`,
        );
      }
      return value;
    });
    seen.fill(0);
    source.forEach((value, column) => {
      if (seen[value])
        throw new InputError(
          `${path} row ${row} column ${column + 1}: index ${value} appears twice; each row must be a permutation`,
        );
      seen[value] = 1;
      const [to, from] = [header[column]!, header[value]!];
      if (isDkRegion(to) && isDkRegion(from) && hemisphereOf(to) !== hemisphereOf(from)) {
        throw new InputError(
          `${path} row ${row} column ${column + 1}: moves ${from} into ${to} across hemispheres; spins must stay within a hemisphere`,
        );
      }
    });
    return Int32Array.from(regions, (id) => {
      const column = columnOf.get(id)!;
      const from = callerIndexOfColumn[source[column]!]!;
      if (from === -1) {
        throw new InputError(
          `${path} row ${row} column ${column + 1}: moves ${header[source[column]!]} (not among your regions) into ${id}; use a spin file made for these regions`,
        );
      }
      return from;
    });
  });
}
