/**
 * The shipped data folder: every file listed with its true sha256 in SHA256SUMS and in SOURCES.md,
 * an altered or corrupted file stopping a run (exit 2, naming it), and nothing reading data from
 * outside the repository.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli } from './fixtures/run-cli';
import { CHECKSUM_FILE, readChecksums, sha256Hex } from '../src/pipeline/data/checksums';
import { readTextFile } from '../src/pipeline/data/csv';
import { DATA_DIR } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

const shipped = readdirSync(DATA_DIR)
  .filter((f) => f !== CHECKSUM_FILE && f !== 'SOURCES.md')
  .sort();

/** A copy of the data folder with one file replaced. */
function alteredCopy(file: string, bytes: Buffer): string {
  const dir = join(tempFolder().dir, 'data');
  cpSync(DATA_DIR, dir, { recursive: true });
  writeFileSync(join(dir, file), bytes);
  return dir;
}

describe('shipped data', () => {
  it('SHA256SUMS lists every shipped file with its true digest, and SOURCES.md states the same digest', () => {
    const sums = readChecksums(DATA_DIR)!;
    expect([...sums.keys()].sort()).toEqual(shipped);
    const sources = readFileSync(join(DATA_DIR, 'SOURCES.md'), 'utf8');
    for (const file of shipped) {
      expect(sums.get(file), file).toBe(sha256Hex(readFileSync(join(DATA_DIR, file))));
      expect(sources, file).toContain(`\`${file}\``);
      expect(sources, file).toContain(sums.get(file));
    }
  });

  it('an altered shipped file stops the run with exit 2 and one line naming it', async () => {
    const original = readFileSync(join(DATA_DIR, 'dk68_regions.csv'), 'utf8');
    const dir = alteredCopy('dk68_regions.csv', Buffer.from(original.replace('ST13TA', 'ST13TB')));
    const result = await cli('data', '--data-dir', dir, '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /dk68_regions\.csv: sha256 [0-9a-f]{64} differs from 449c6bb4[0-9a-f]+ listed in .*SHA256SUMS, so the file was altered or corrupted; fix: restore it/,
    );
    rmSync(dir, { recursive: true });
  });

  it('a corrupted gzip matrix is caught by its digest before it is unpacked; without a list, by gunzip', async () => {
    const bytes = readFileSync(join(DATA_DIR, 'ahba_dk_enigma_stable_r0.2.csv.gz'));
    const truncated = bytes.subarray(0, bytes.length >> 1);
    const dir = alteredCopy('ahba_dk_enigma_stable_r0.2.csv.gz', truncated);
    const result = await cli('data', '--data-dir', dir, '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ahba_dk_enigma_stable_r0\.2\.csv\.gz: sha256 [0-9a-f]{64} differs from 0fbeef82/);
    rmSync(dir, { recursive: true });

    const loose = join(tempFolder().dir, 'm.csv.gz');
    writeFileSync(loose, truncated);
    expect(() => readTextFile(loose)).toThrow(/m\.csv\.gz: not a complete gzip file .*fix: download or copy it again/);
  });

  it('files in a folder without SHA256SUMS are read unchecked; .gz is unpacked whatever the folder', () => {
    const f = tempFolder();
    const plain = f.write('map.csv', 'region,v\nL_bankssts,1\n');
    expect(readTextFile(plain).text).toBe('region,v\nL_bankssts,1\n');
    const packed = join(f.dir, 'map.csv.gz');
    writeFileSync(packed, gzipSync('region,v\nL_bankssts,2\n'));
    expect(readTextFile(packed).text).toBe('region,v\nL_bankssts,2\n');
  });

  it('no source, test, benchmark or script reads data from outside the repository', () => {
    const root = join(DATA_DIR, '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (
          /\.(ts|mjs|sh)$/.test(entry.name) &&
          /shared\/data|\.\.\/shared/.test(readFileSync(join(root, path), 'utf8'))
        )
          offenders.push(path);
      }
    };
    for (const dir of ['src', 'tests', 'bench', 'scripts']) walk(dir);
    expect(offenders.filter((p) => p !== join('tests', 'data-shipped.test.ts'))).toEqual([]);
  });
});
