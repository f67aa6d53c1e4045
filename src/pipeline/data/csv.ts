/**
 * A small CSV reader for the tables this tool consumes: comma, tab or semicolon delimited (detected
 * from the header), RFC 4180 quoting ("a,b" and "" for a quote), UTF-8 BOM and CRLF tolerated,
 * gzip-compressed when the name ends in `.gz`. Every problem is one InputError line naming the
 * file, the line and the fix.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../input-error';
import { checkListedDigest, sha256Hex } from './checksums';

export type Delimiter = ',' | '\t' | ';';
const DELIMITERS: Delimiter[] = [',', '\t', ';'];
const DELIMITER_NAME: Record<Delimiter, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon' };

export interface CsvTable {
  file: string;
  sha256: string;
  delimiter: Delimiter;
  header: string[];
  rows: string[][];
  /** 1-based line number in the file where rows[k] starts (the header is line 1 unless blank lines precede it). */
  lines: number[];
}

/**
 * Reads a file as text (gunzipped when it ends in `.gz`), failing with one line when it is missing,
 * a folder, empty, or differs from the checksum its folder lists. `sha256` is of the bytes on disk.
 */
export function readTextFile(file: string): { text: string; sha256: string } {
  if (!existsSync(file)) throw new InputError(`${file}: file not found; fix: check the path (or the --data-dir it is resolved against)`);
  if (statSync(file).isDirectory()) throw new InputError(`${file}: is a folder, not a file; fix: name the CSV file inside it`);
  const bytes = readFileSync(file);
  const sha256 = sha256Hex(bytes);
  checkListedDigest(file, sha256);
  let text = (file.endsWith('.gz') ? gunzip(bytes, file) : bytes).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(`${file}: file is empty; fix: supply a table with a header row and data rows`);
  return { text, sha256 };
}

function gunzip(bytes: Buffer, file: string): Buffer {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new InputError(`${file}: not a complete gzip file (${(error as Error).message}); fix: download or copy it again, or drop the .gz ending if it is plain text`);
  }
}

/** Reads a delimited table whose first non-blank line is the header; every row must have the header's field count. */
export function readCsvFile(file: string): CsvTable {
  const { text, sha256 } = readTextFile(file);
  return { ...parseCsv(text, file), sha256 };
}

export function parseCsv(text: string, file: string): Omit<CsvTable, 'sha256'> {
  const records = splitRecords(text, file);
  if (records.length === 0) throw new InputError(`${file}: file is empty; fix: supply a table with a header row and data rows`);
  const headerLine = records[0]!;
  const delimiter = detectDelimiter(headerLine.raw, records.slice(1, 20).map((r) => r.raw), file);
  const header = splitFields(headerLine.raw, delimiter, file, headerLine.line).map((h) => h.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const record of records.slice(1)) {
    const fields = splitFields(record.raw, delimiter, file, record.line);
    if (fields.length !== header.length) {
      const other = DELIMITERS.find((d) => d !== delimiter && countOutsideQuotes(record.raw, d) === header.length - 1);
      throw new InputError(
        `${file}: line ${record.line} has ${fields.length} fields but the header has ${header.length} (${DELIMITER_NAME[delimiter]}-delimited)` +
          (other
            ? `; the line is ${DELIMITER_NAME[other]}-delimited; fix: delimit the header and every row with the same character`
            : '; fix: make every row have one value per header column'),
      );
    }
    rows.push(fields);
    lines.push(record.line);
  }
  return { file, delimiter, header, rows, lines };
}

interface RawRecord { raw: string; line: number }

/** Splits text into records at newlines outside quotes; blank lines are skipped. */
function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  const hasQuotes = text.includes('"');
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    let raw = physical[i]!;
    const line = i + 1;
    if (hasQuotes) {
      // A record continues onto the next physical line while a quoted field is open (odd quote count).
      while (countQuotes(raw) % 2 === 1) {
        if (i + 1 >= physical.length) throw new InputError(`${file}: line ${line} opens a quoted field that is never closed; fix: add the closing '"'`);
        raw += '\n' + physical[++i]!;
      }
    }
    if (raw.trim() !== '') records.push({ raw: raw.endsWith('\r') ? raw.slice(0, -1) : raw, line });
  }
  return records;
}

function countQuotes(s: string): number {
  let n = 0;
  for (let k = s.indexOf('"'); k !== -1; k = s.indexOf('"', k + 1)) n++;
  return n;
}

/**
 * The delimiter is the candidate that occurs most often in the header (outside quotes). A one-field
 * header over lines that contain a delimiter means the header and the data disagree: an error.
 */
function detectDelimiter(header: string, sample: string[], file: string): Delimiter {
  const counts = DELIMITERS.map((d) => countOutsideQuotes(header, d));
  const best = counts.indexOf(Math.max(...counts));
  if (counts[best]! > 0) return DELIMITERS[best]!;
  for (const d of DELIMITERS) {
    if (sample.some((s) => countOutsideQuotes(s, d) > 0)) {
      throw new InputError(
        `${file}: line 1 (header) has a single field but the data lines are ${DELIMITER_NAME[d]}-delimited; fix: delimit the header with the same ${DELIMITER_NAME[d]} as the rows`,
      );
    }
  }
  return ',';
}

function countOutsideQuotes(s: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) n++;
  }
  return n;
}

/** Splits one record into fields; quoted fields may hold the delimiter, newlines and "" (a quote). */
function splitFields(raw: string, d: Delimiter, file: string, line: number): string[] {
  if (!raw.includes('"')) return raw.split(d);
  const fields: string[] = [];
  let k = 0;
  for (;;) {
    if (raw[k] === '"') {
      let value = '';
      let j = k + 1;
      for (;;) {
        const close = raw.indexOf('"', j);
        if (close === -1) throw new InputError(`${file}: line ${line} has an unclosed quoted field; fix: add the closing '"'`);
        value += raw.slice(j, close);
        if (raw[close + 1] === '"') { value += '"'; j = close + 2; continue; }
        j = close + 1;
        break;
      }
      if (j < raw.length && raw[j] !== d) {
        throw new InputError(`${file}: line ${line} has text after a closing quote at character ${j + 1}; fix: quote the whole field or remove the stray '"'`);
      }
      fields.push(value);
      if (j >= raw.length) return fields;
      k = j + 1;
    } else {
      const next = raw.indexOf(d, k);
      if (next === -1) { fields.push(raw.slice(k)); return fields; }
      fields.push(raw.slice(k, next));
      k = next + 1;
    }
  }
}

/** Index of a named column, or an error listing the columns that exist. */
export function columnIndex(table: Pick<CsvTable, 'file' | 'header'>, name: string, fix: string): number {
  const k = table.header.indexOf(name);
  if (k === -1) {
    const shown = table.header.slice(0, 12).join(', ') + (table.header.length > 12 ? ', …' : '');
    throw new InputError(`${table.file}: line 1 has no column '${name}' (columns: ${shown}); fix: ${fix}`);
  }
  return k;
}

/**
 * A numeric cell: blank, NA and NaN read as NaN (missing), Inf/-Inf as ±Infinity; anything else that
 * is not a number is an error naming the cell.
 */
export function parseNumberCell(text: string, file: string, line: number, column: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  const v = Number(t);
  if (!Number.isNaN(v)) return v;
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === 'na' || lower === 'n/a') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (/^[+-]?\d*,\d+$/.test(t)) {
    throw new InputError(`${file}: line ${line}, column '${column}': '${t}' has a decimal comma; fix: write decimal points (${t.replace(',', '.')}), e.g. export the table with '.' as the decimal separator`);
  }
  throw new InputError(`${file}: line ${line}, column '${column}': '${t}' is not a number; fix: write a decimal number (or leave the cell blank for missing)`);
}
