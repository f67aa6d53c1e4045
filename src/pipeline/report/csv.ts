/** CSV text for the tables beside the report (RFC 4180 quoting, full float precision, empty cell for null). */
import type { CsvTable } from './types';

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: CsvTable, name: string): string {
  const lines = [table.columns.map(csvCell).join(',')];
  table.rows.forEach((row, i) => {
    if (row.length !== table.columns.length) {
      throw new Error(`${name}: row ${i + 1} has ${row.length} cells but the header has ${table.columns.length}`);
    }
    lines.push(row.map(csvCell).join(','));
  });
  return lines.join('\n') + '\n';
}
