/**
 * The shipped data folder lists every file's sha256 in `SHA256SUMS` (the `sha256sum` format, so
 * `sha256sum -c SHA256SUMS` checks it by hand too). A file read from a folder that carries such a
 * list is checked against it: an altered or corrupted shipped file stops the run instead of
 * silently changing its results. Files in folders without the list (the user's own) are not checked.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../input-error';

export const CHECKSUM_FILE = 'SHA256SUMS';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** File name → sha256 (hex) from the `SHA256SUMS` in `dir`; null when the folder has none. */
export function readChecksums(dir: string): Map<string, string> | null {
  const list = join(dir, CHECKSUM_FILE);
  if (!existsSync(list)) return null;
  const sums = new Map<string, string>();
  readFileSync(list, 'utf8').split(/\r?\n/).forEach((line, k) => {
    if (line.trim() === '') return;
    // "<64 hex>  <name>" (text mode) or "<64 hex> *<name>" (binary mode)
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new InputError(`${list}: line ${k + 1} is not '<sha256>  <file name>'; fix: restore the file (it lists the shipped data's checksums)`);
    sums.set(m[2]!, m[1]!.toLowerCase());
  });
  return sums;
}

/** Throws when `file` is listed in the SHA256SUMS beside it with a digest other than `sha256`. */
export function checkListedDigest(file: string, sha256: string): void {
  const dir = dirname(resolve(file));
  const expected = readChecksums(dir)?.get(basename(file));
  if (expected === undefined || expected === sha256) return;
  throw new InputError(
    `${file}: sha256 ${sha256} differs from ${expected} listed in ${join(dir, CHECKSUM_FILE)}, so the file was altered or corrupted; ` +
      'fix: restore it (git checkout -- data/, or reinstall cortex-vae), or put your own version in another folder and pass that',
  );
}
