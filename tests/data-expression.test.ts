import { beforeAll, describe, expect, it } from 'vitest';
import { DK68_REGIONS } from '../src/pipeline/atlas';
import { readAtlasTable, type AtlasTable } from '../src/pipeline/data/atlas-table';
import { buildDataset, type DatasetOptions } from '../src/pipeline/data/dataset';
import { readExpressionTable } from '../src/pipeline/data/expression';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { DATA_DIR, R06_EXPRESSION } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

let atlas: AtlasTable;
beforeAll(() => {
  atlas = readAtlasTable(DATA_DIR);
});

const options = (expressionFile: string, extra: Partial<DatasetOptions> = {}): DatasetOptions => ({
  dataDir: DATA_DIR,
  expressionFile,
  regions: 'left',
  genes: 'all',
  target: 'adni2-ad-volume-d',
  adjacency: 'fsa5',
  weighting: 'binary',
  ...extra,
});

describe('expression table on the shipped ENIGMA file', () => {
  it('reads 68 cortical rows × 1,645 genes, ignores the 14 subcortical rows, and finds the two all-NaN rows', () => {
    const e = readExpressionTable(R06_EXPRESSION, atlas);
    expect(e.genes.length).toBe(1645);
    expect(e.subcorticalIgnored).toEqual([
      'Laccumb',
      'Lamyg',
      'Lcaud',
      'Lhippo',
      'Lpal',
      'Lput',
      'Lthal',
      'Raccumb',
      'Ramyg',
      'Rcaud',
      'Rhippo',
      'Rpal',
      'Rput',
      'Rthal',
    ]);
    expect([...e.rowOfRegion]).toEqual(DK68_REGIONS.map((_, i) => i));
    const allNaN = DK68_REGIONS.filter((_, i) => e.values.subarray(i * 1645, (i + 1) * 1645).every(Number.isNaN));
    expect(allNaN).toEqual(['R_frontalpole', 'R_temporalpole']);
    // spot value: first gene A1BG in L_bankssts, as written in the file
    expect(e.values[0]).toBe(0.4688544270692606);
  });
});

describe('expression table layouts', () => {
  it('accepts an unnamed first column, abagen numeric ids in any row order, and tab delimiting', () => {
    const t = smallExpression(3);
    const abagenId = (region: string) =>
      String(DK68_REGIONS.indexOf(region) < 34 ? DK68_REGIONS.indexOf(region) + 1 : DK68_REGIONS.indexOf(region) + 8);
    t.header[0] = '';
    const cortical = t.rows
      .slice(0, 68)
      .map((r) => [abagenId(r[0]!), ...r.slice(1)])
      .reverse();
    const f = tempFolder();
    const e = readExpressionTable(
      f.write('abagen.tsv', toCsv({ header: t.header, rows: [...cortical, ['35', '0.1', '0.2', '0.3']] }, '\t')),
      atlas,
    );
    expect(e.subcorticalIgnored).toEqual(['35']);
    const original = smallExpression(3);
    expect(e.values[e.rowOfRegion[4]! * 3 + 1]).toBe(Number(original.rows[4]![2]));
  });
});

describe('expression bad inputs', () => {
  const write = (name: string, edit: (t: ReturnType<typeof smallExpression>) => void): string => {
    const t = smallExpression();
    edit(t);
    return tempFolder().write(name, toCsv(t));
  };

  it('missing file', () => {
    expect(() => buildDataset(options('/nonexistent/expr.csv'))).toThrow(
      /\/nonexistent\/expr\.csv: file not found; fix:/,
    );
  });

  it('wrong delimiter: header with one field over semicolon rows', () => {
    const t = smallExpression();
    const file = tempFolder().write('semi.csv', 'label\n' + t.rows.map((r) => r.join(';')).join('\n'));
    expect(() => buildDataset(options(file))).toThrow(
      /semi\.csv: line 1 \(header\) has a single field but the data lines are semicolon-delimited/,
    );
  });

  it('duplicate region names both lines', () => {
    const file = write('dup.csv', (t) => {
      t.rows[5]![0] = 'L_bankssts';
    });
    expect(() => buildDataset(options(file))).toThrow(
      /dup\.csv: line 7: region L_bankssts duplicates line 2; fix: keep one row per region/,
    );
  });

  it('unknown region suggests the closest valid name', () => {
    const file = write('typo.csv', (t) => {
      t.rows[3]![0] = 'L_cuneous';
    });
    expect(() => buildDataset(options(file))).toThrow(
      /typo\.csv: line 5: unknown region 'L_cuneous' \(did you mean 'L_cuneus'\?\)/,
    );
  });

  it('a NaN cell in a region in use names its line and gene column', () => {
    const file = write('nan.csv', (t) => {
      t.rows[2]![3] = 'NaN';
    });
    expect(() => buildDataset(options(file))).toThrow(
      new RegExp(
        `nan\\.csv: 1 missing or infinite value\\(s\\).*line 4, column '${smallExpression().header[3]}' = NaN`,
      ),
    );
  });

  it('an Inf cell is refused too', () => {
    const file = write('inf.csv', (t) => {
      t.rows[0]![1] = 'Inf';
    });
    expect(() => buildDataset(options(file))).toThrow(/line 2, column 'A1BG' = Infinity/);
  });

  it('missing regions are named, and --mirror fills them from the homologue (reported)', () => {
    const file = write('missing.csv', (t) => {
      t.rows = t.rows.filter((r) => r[0] !== 'L_entorhinal' && r[0] !== 'R_lateraloccipital');
    });
    expect(() => buildDataset(options(file))).toThrow(
      /missing\.csv: missing 1 region row\(s\): L_entorhinal; fix: add the rows, pass --mirror/,
    );
    expect(() => buildDataset(options(file, { regions: 'bilateral' }))).toThrow(
      /missing 2 region row\(s\): L_entorhinal, R_lateraloccipital/,
    );
    const d = buildDataset(options(file, { regions: 'bilateral', mirror: true }));
    expect(d.mirrored).toEqual(
      [
        { region: 'L_entorhinal', from: 'R_entorhinal' },
        { region: 'R_lateraloccipital', from: 'L_lateraloccipital' },
        { region: 'R_frontalpole', from: 'L_frontalpole' },
        { region: 'R_temporalpole', from: 'L_temporalpole' },
      ].sort((a, b) => DK68_REGIONS.indexOf(a.region) - DK68_REGIONS.indexOf(b.region)),
    );
    expect(d.regions.length).toBe(68);
    expect(d.dropped).toEqual([]);
    const g = d.genes.length;
    const row = (r: string) => Array.from(d.X.subarray(d.regions.indexOf(r) * g, (d.regions.indexOf(r) + 1) * g));
    expect(row('L_entorhinal')).toEqual(row('R_entorhinal'));
  });

  it('a constant gene is dropped and counted under all genes', () => {
    const file = write('const.csv', (t) => {
      for (const r of t.rows.slice(0, 34)) r[2] = '0.5';
    });
    const d = buildDataset(options(file));
    expect(d.constantGenes).toEqual([smallExpression().header[2]]);
    expect(d.genes.length).toBe(4);
  });

  it('a constant gene requested explicitly in a gene list is an error', () => {
    const f = tempFolder();
    const gene = smallExpression().header[2]!;
    const t = smallExpression();
    for (const r of t.rows.slice(0, 34)) r[2] = '0.5';
    const file = f.write('const.csv', toCsv(t));
    const list = f.write('genes.txt', `${gene}\nA1BG\n`);
    expect(() => buildDataset(options(file, { genes: { file: list } }))).toThrow(
      new RegExp(`requested gene\\(s\\) ${gene} are constant over the 34 regions used`),
    );
  });

  it('empty file, a header-only file, and a first column that is not region labels', () => {
    const f = tempFolder();
    expect(() => buildDataset(options(f.write('empty.csv', '')))).toThrow(/empty\.csv: file is empty/);
    expect(() => buildDataset(options(f.write('head.csv', 'label,A1BG\n')))).toThrow(
      /head\.csv: missing 34 region row/,
    );
    const t = smallExpression();
    t.header[0] = 'A0';
    expect(() => buildDataset(options(f.write('first.csv', toCsv(t))))).toThrow(
      /first\.csv: line 1, column 1 is 'A0', expected region labels/,
    );
  });

  it('duplicate gene columns', () => {
    const file = write('dupgene.csv', (t) => {
      t.header[3] = t.header[1]!;
    });
    expect(() => buildDataset(options(file))).toThrow(/dupgene\.csv: line 1: gene 'A1BG' appears in columns 2 and 4/);
  });
});

describe('a full-size matrix', () => {
  it('reads a generated 82-row × 12,668-gene table (≈19 MB; the r ≥ 0.2 file is ≈24 MB) with every value in place', () => {
    const genes = Array.from({ length: 12668 }, (_, k) => `G${k}`);
    const labels = [...DK68_REGIONS, 'Lhippo', 'Rthal'];
    const value = (r: number, c: number) => ((r * 7919 + c * 104729) % 1000003) / 1000003;
    const lines = ['label,' + genes.join(',')];
    labels.forEach((l, r) => lines.push(l + ',' + genes.map((_, c) => value(r, c).toFixed(15)).join(',')));
    const file = tempFolder().write('allgenes.csv', lines.join('\n'));
    const e = readExpressionTable(file, atlas);
    expect(e.genes.length).toBe(12668);
    expect(e.subcorticalIgnored).toEqual(['Lhippo', 'Rthal']);
    for (const [r, c] of [
      [0, 0],
      [67, 12667],
      [33, 5000],
    ] as const)
      expect(e.values[r * 12668 + c]).toBe(Number(value(r, c).toFixed(15)));
  });
});
