/**
 * Reading the shipped Desikan–Killiany outline file, data/dk_ggseg_polygons.json: its digest checked
 * against data/SHA256SUMS, then its shapes checked by outline-shapes.ts.
 */
import { readFileSync } from 'node:fs';
import { checkListedDigest, sha256Hex } from '../data/checksums';
import { InputError } from '../input-error';
import { parseDkOutlines, type DkOutlines } from './outline-shapes';

export { boundingBox, parseDkOutlines, type DkOutlines, type OutlineShape } from './outline-shapes';

/** Reads and checks the outline file: a viewBox, well-formed shapes, every DK68 region present. */
export function loadDkOutlines(file: string): DkOutlines {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new InputError(
      `${file}: cannot read the region outline file; pass the path of dk_ggseg_polygons.json (in the package's data folder)`,
    );
  }
  checkListedDigest(file, sha256Hex(bytes));
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message}); use the shipped dk_ggseg_polygons.json`);
  }
  return parseDkOutlines(json, file);
}
