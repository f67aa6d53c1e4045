/**
 * Command-line details a new user meets first: negative numbers as option values, `--target
 * file:<csv>` naming its columns, and delimiter hints for tables that mix delimiters.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './fixtures/run-cli';
import { attachNegativeValues, FLAGS, parseFlags, resolveRunConfig } from '../src/pipeline/cli/args';
import { parseCsv, parseNumberCell } from '../src/pipeline/data/csv';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { DATA_DIR } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

const folder = tempFolder();
const small = [
  '--expression',
  folder.write('expression.csv', toCsv(smallExpression(5))),
  '--genes',
  'all',
  '--regions',
  'left',
  '--quiet',
];

describe('negative numbers as option values', () => {
  it('--flag -1 is read as the value, in both spellings, for every option that takes one', () => {
    expect(
      attachNegativeValues(['data', '--target-sign', '-1', '--lambda', '-.5', '--lr=-1e-3', '--quiet'], FLAGS),
    ).toEqual(['data', '--target-sign=-1', '--lambda=-.5', '--lr=-1e-3', '--quiet']);
    expect(parseFlags(['--target-sign', '-1']).flags['target-sign']).toBe('-1');
    expect(resolveRunConfig(parseFlags(['--target-sign', '-1']).flags).data.targetSign).toBe(-1);
    // a boolean flag followed by a negative number is left alone (and refused as a stray argument later)
    expect(attachNegativeValues(['--quiet', '-1'], FLAGS)).toEqual(['--quiet', '-1']);
  });

  it('a negative value out of range is refused for its range, not for its sign', () => {
    expect(() => resolveRunConfig(parseFlags(['--seed', '-3']).flags)).toThrow(/seed must be an integer ≥ 0; got -3/);
  });

  it('`--target-sign -1` as the help and the error messages write it works end to end', async () => {
    const map = folder.write('map.csv', readFileSync(join(DATA_DIR, 'adni2_ad_vs_cn_volume_effects_dk68.csv'), 'utf8'));
    const result = await cli('data', ...small, '--target', `file:${map}:pct_volume_loss`, '--target-sign', '-1');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/target: file:.*map\.csv:pct_volume_loss = pct_volume_loss × −1/);
  });
});

describe('--target file:<csv>', () => {
  const map = folder.write(
    'thinning.csv',
    'region,n,thinning_d\n' +
      smallExpression(1)
        .rows.slice(0, 68)
        .map((r, i) => `${r[0]},10,${i / 10}`)
        .join('\n') +
      '\n',
  );

  it("without a column: the error lists the file's columns", async () => {
    for (const target of [`file:${map}`, `file:${map}:`]) {
      const result = await cli('data', ...small, '--target', target);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /thinning\.csv: --target file:<path> names no column \(columns: region, n, thinning_d\); fix: add one, e\.g\. --target file:.*thinning\.csv:thinning_d/,
      );
    }
  });

  it('an unknown column is reported, with the columns, before any request for a sign', async () => {
    const result = await cli('data', ...small, '--target', `file:${map}:thining_d`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/thinning\.csv: line 1 has no column 'thining_d' \(columns: region, n, thinning_d\)/);
    expect(result.stderr).not.toMatch(/target-sign/);
    const known = await cli('data', ...small, '--target', `file:${map}:thinning_d`);
    expect(known.stderr).toMatch(/column 'thinning_d' has no known direction; fix: pass --target-sign 1/);
  });
});

describe('delimiter hints', () => {
  it('semicolon and tab files are read as such', () => {
    expect(parseCsv('region;d\nL_bankssts;0.5\n', 'm.csv').rows).toEqual([['L_bankssts', '0.5']]);
    expect(parseCsv('region\td\nL_bankssts\t0.5\n', 'm.tsv').rows).toEqual([['L_bankssts', '0.5']]);
  });

  it('a row delimited differently from the header is named as such', () => {
    expect(() => parseCsv('region,d\nL_bankssts;0.5\n', 'mixed.csv')).toThrow(
      /mixed\.csv: line 2 has 1 fields but the header has 2 \(comma-delimited\); the line is semicolon-delimited; fix: delimit the header and every row with the same character/,
    );
    expect(() => parseCsv('region;d;n\nL_bankssts\t0.5\t3\n', 'mixed.csv')).toThrow(/the line is tab-delimited/);
  });

  it('a decimal comma (semicolon-delimited exports) gets its own fix', () => {
    expect(() => parseNumberCell('0,7186', 'eu.csv', 2, 'd')).toThrow(
      /eu\.csv: line 2, column 'd': '0,7186' has a decimal comma; fix: write decimal points \(0\.7186\)/,
    );
  });
});

describe('the sensitivity table', () => {
  const sets = (argv: string[], command?: string) =>
    resolveRunConfig(parseFlags(argv).flags, command).evaluation.sensitivity?.geneSets.map(
      (s) => `${s.expression}:${s.genes}`,
    ) ?? null;
  it('reproduce has the two landmark sets by default, evaluate none; --sensitivity adds every gene, --no-sensitivity removes it', () => {
    const landmarks = ['ahba_dk_enigma_stable_r0.6.csv.gz:l1000', 'ahba_dk_enigma_stable_r0.2.csv.gz:l1000'];
    expect(sets([], 'reproduce')).toEqual(landmarks);
    expect(sets([], 'evaluate')).toBeNull();
    expect(sets(['--sensitivity'], 'evaluate')).toEqual([...landmarks, 'ahba_dk_enigma_stable_r0.2.csv.gz:all']);
    expect(sets(['--no-sensitivity'], 'reproduce')).toBeNull();
    expect(() => resolveRunConfig(parseFlags(['--sensitivity', '--no-sensitivity']).flags)).toThrow(/contradict/);
  });
});
