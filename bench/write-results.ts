/**
 * latest.json, a timestamped copy of it, and latest.html, each written to a temp file and renamed,
 * so a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchHtml } from './report/html';
import type { BenchResult } from './types';

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** "2025-01-31T12:34:56.789Z" → "20250131T123456Z" */
function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Writes the three files into `dir` (created if needed); returns their absolute paths. */
export function writeResults(result: BenchResult, dir: string): string[] {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const files = [
    join(folder, 'latest.json'),
    join(folder, `bench-${stamp(result.startedAt)}.json`),
    join(folder, 'latest.html'),
  ];
  const withFiles: BenchResult = { ...result, files };
  const json = `${JSON.stringify(withFiles, null, 2)}\n`;
  writeAtomically(files[0]!, json);
  writeAtomically(files[1]!, json);
  writeAtomically(files[2]!, benchHtml(withFiles));
  return files;
}
