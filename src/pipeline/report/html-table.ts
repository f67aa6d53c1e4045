/** A plain HTML table; cells arrive as text and are escaped here. Numeric columns align right. */
import { escapeXml } from './format';

export interface TableColumn {
  header: string;
  numeric?: boolean;
}

export function htmlTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  className = 'data',
): string {
  for (const [i, row] of rows.entries()) {
    if (row.length !== columns.length)
      throw new Error(`table row ${i} has ${row.length} cells, expected ${columns.length}`);
  }
  const cls = (c: TableColumn) => (c.numeric ? ' class="num"' : '');
  const head = columns.map((c) => `<th${cls(c)}>${escapeXml(c.header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => `<td${cls(columns[i]!)}>${escapeXml(cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
