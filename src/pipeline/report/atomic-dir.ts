/**
 * Writes a folder so that readers see the old folder or the complete new one, never a half-written one:
 * files go into a temp folder beside the target, which is renamed into place when every file is written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../input-error';

/** File name (may name a subfolder: `a/b.txt`) → producer of its content, called while writing (so a failing producer aborts the write). */
export type FolderContents = ReadonlyArray<readonly [name: string, content: () => string | Uint8Array]>;

/**
 * Replaces `dir` with a folder holding exactly `contents`. An existing `dir` is replaced only if it is
 * empty or holds `marker` (a file every such folder has), so a mistyped path never deletes user data.
 */
export function writeFolderAtomically(dir: string, contents: FolderContents, marker: string): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) {
      throw new InputError(`${dir}: exists and is not a folder; choose another output folder`);
    }
    const entries = readdirSync(target);
    if (entries.length > 0 && !entries.includes(marker)) {
      throw new InputError(`${dir}: folder exists and has no ${marker}, so it is not a previous report; choose a new output folder or empty it`);
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const temp = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    for (const [name, content] of contents) {
      mkdirSync(dirname(join(temp, name)), { recursive: true });
      writeFileSync(join(temp, name), content());
    }
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  if (!existsSync(target)) {
    renameSync(temp, target);
    return;
  }
  const previous = `${temp}-previous`;
  renameSync(target, previous);
  try {
    renameSync(temp, target);
  } catch (err) {
    renameSync(previous, target);
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  rmSync(previous, { recursive: true, force: true });
}
