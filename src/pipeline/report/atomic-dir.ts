/**
 * Writes a folder so that readers see the old folder or the complete new one, never a half-written one:
 * files go into a temp folder beside the target, which is renamed into place when every file is written.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../input-error';

/** File name (may name a subfolder: `a/b.txt`) → producer of its content, called while writing (so a failing producer aborts the write). */
export type FolderContents = ReadonlyArray<readonly [name: string, content: () => string | Uint8Array]>;

/**
 * The folder inside an output folder where a long run keeps the work it has finished, so that a
 * rerun after an interruption resumes; it goes when the complete output replaces the folder.
 */
export const RESUME_FOLDER = 'cortex-vae-resume';

/**
 * Throws unless `dir` may become an output folder: absent, empty, a previous output (it holds
 * `marker`, a file every such folder has) or an interrupted run's (it holds RESUME_FOLDER), so a
 * mistyped path never deletes user data. Check before long work, not only when writing.
 */
export function checkOutputFolder(dir: string, marker: string): void {
  const target = resolve(dir);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new InputError(`${dir}: exists and is not a folder; choose another output folder`);
  }
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes(marker) && !entries.includes(RESUME_FOLDER)) {
    throw new InputError(
      `${dir}: folder exists and has no ${marker}, so it is not a previous output; choose a new output folder or empty it`,
    );
  }
}

/** Replaces `dir` (see checkOutputFolder) with a folder holding exactly `contents`. */
export function writeFolderAtomically(dir: string, contents: FolderContents, marker: string): void {
  const target = resolve(dir);
  checkOutputFolder(dir, marker);
  mkdirSync(dirname(target), { recursive: true });
  // mkdirSync, not mkdtempSync: the folder gets the mode the user's umask asks for (mkdtemp's is 0700)
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  mkdirSync(temp);
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

/** Writes one file so that readers see the old file or the complete new one: a temp file beside it, renamed into place. */
export function writeFileAtomically(file: string, content: string | Uint8Array): void {
  const temp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
