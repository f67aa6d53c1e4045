import { describe, expect, it } from 'vitest';
import { InputError } from '../src/pipeline/input-error';
import { parseCsv, parseNumberCell, readCsvFile } from '../src/pipeline/data/csv';
import { tempFolder } from './fixtures/temp-files';

describe('CSV reader', () => {
  it('detects comma, tab and semicolon delimiters from the header', () => {
    for (const d of [',', '\t', ';']) {
      const t = parseCsv(`a${d}b${d}c\n1${d}2${d}3\n`, 'x.csv');
      expect(t.delimiter).toBe(d);
      expect(t.header).toEqual(['a', 'b', 'c']);
      expect(t.rows).toEqual([['1', '2', '3']]);
    }
  });

  it('reads quoted fields holding delimiters, doubled quotes and newlines, with BOM and CRLF', () => {
    const f = tempFolder();
    const file = f.write('q.csv', '\ufeffid,title,v\r\n1,"a, b",2\r\n2,"say ""hi""",3\r\n3,"two\r\nlines",4\r\n\r\n');
    const t = readCsvFile(file);
    expect(t.header).toEqual(['id', 'title', 'v']);
    expect(t.rows).toEqual([
      ['1', 'a, b', '2'],
      ['2', 'say "hi"', '3'],
      ['3', 'two\nlines', '4'],
    ]);
    expect(t.lines).toEqual([2, 3, 4]);
    expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a one-field header over semicolon-delimited lines is an error naming the delimiter', () => {
    expect(() => parseCsv('label\nL_bankssts;0.5;0.7\n', 'bad.csv')).toThrow(
      /bad\.csv: line 1 \(header\) has a single field but the data lines are semicolon-delimited; fix:/,
    );
  });

  it('a single-column file is fine', () => {
    expect(parseCsv('gene\nAPOE\nMAPT\n', 'g.csv').rows).toEqual([['APOE'], ['MAPT']]);
  });

  it('rows with the wrong field count name the line', () => {
    expect(() => parseCsv('a,b\n1,2\n1,2,3\n', 'w.csv')).toThrow(/w\.csv: line 3 has 3 fields but the header has 2/);
  });

  it('missing, empty and blank files are one-line InputErrors', () => {
    const f = tempFolder();
    expect(() => readCsvFile(`${f.dir}/nope.csv`)).toThrow(InputError);
    expect(() => readCsvFile(`${f.dir}/nope.csv`)).toThrow(/nope\.csv: file not found; fix:/);
    expect(() => readCsvFile(f.write('empty.csv', ''))).toThrow(/empty\.csv: file is empty; fix:/);
    expect(() => readCsvFile(f.write('blank.csv', '\n \r\n'))).toThrow(/file is empty/);
    expect(() => readCsvFile(f.dir)).toThrow(/is a folder/);
  });

  it('unclosed quotes and stray text after a quote are errors', () => {
    expect(() => parseCsv('a,b\n"x,1\n', 'u.csv')).toThrow(/line 2 opens a quoted field that is never closed/);
    expect(() => parseCsv('a,b\n"x"y,1\n', 's.csv')).toThrow(/line 2 has text after a closing quote/);
  });

  it('numeric cells: blank/NA/NaN are NaN, Inf is infinite, words are errors naming the cell', () => {
    expect(parseNumberCell(' 1.5e-3 ', 'f', 2, 'c')).toBe(0.0015);
    for (const t of ['', 'NA', 'NaN', 'nan']) expect(parseNumberCell(t, 'f', 2, 'c')).toBeNaN();
    expect(parseNumberCell('-Inf', 'f', 2, 'c')).toBe(-Infinity);
    expect(() => parseNumberCell('high', 'f.csv', 7, 'APOE')).toThrow(
      /f\.csv: line 7, column 'APOE': 'high' is not a number/,
    );
  });
});
