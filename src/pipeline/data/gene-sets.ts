/**
 * Choosing the gene columns: all of them, the LINCS L1000 landmark genes, or a user's list.
 * Landmarks are matched under three symbols each (LINCS, 2016 update, AHBA symbol of the same
 * Entrez id), since gene symbols are renamed over time (GPR56 → ADGRG1).
 */
import { join } from 'node:path';
import { InputError } from '../input-error';
import { columnIndex, readCsvFile, readTextFile } from './csv';

export interface GeneSelection {
  name: string;
  /** Column indices into the expression table, in the order chosen. */
  columns: number[];
  requested: number;
  found: number;
  /** Requested genes not in the expression table (LINCS symbols for the landmark set). */
  missing: string[];
  /** Files read, with their sha256. */
  files: Record<string, string>;
}

export const L1000_FILE = 'l1000_landmark_genes.csv';
const L1000_SYMBOL_COLUMNS = ['gene_symbol_lincs', 'gene_symbol_2016', 'ahba_gene_symbol'];

export function selectAllGenes(genes: string[]): GeneSelection {
  return { name: 'all', columns: genes.map((_, k) => k), requested: genes.length, found: genes.length, missing: [], files: {} };
}

/** The 978 landmarks; each is found if any of its three symbols names an expression column. */
export function selectL1000Genes(genes: string[], dataDir: string): GeneSelection {
  const table = readCsvFile(join(dataDir, L1000_FILE));
  const symbolCols = L1000_SYMBOL_COLUMNS.map((c) => columnIndex(table, c, `use the ${L1000_FILE} shipped in the data folder`));
  const columnOf = new Map(genes.map((g, k) => [g, k]));
  const columns = new Set<number>();
  const missing: string[] = [];
  for (const row of table.rows) {
    const match = symbolCols.map((c) => columnOf.get(row[c]!.trim())).find((k) => k !== undefined);
    if (match === undefined) missing.push(row[symbolCols[0]!]!.trim());
    else columns.add(match);
  }
  return {
    name: 'l1000', columns: [...columns].sort((a, b) => a - b), requested: table.rows.length,
    found: columns.size, missing, files: { [table.file]: table.sha256 },
  };
}

/**
 * A user's gene list: one symbol per line, or a CSV whose first column holds the symbols (a first
 * line naming the column, such as `gene` or `symbol`, is skipped). Unknown genes are reported;
 * none found is an error.
 */
export function selectGenesFromFile(genes: string[], file: string, expressionFile: string): GeneSelection {
  const { text, sha256 } = readTextFile(file);
  const symbols = text.split(/\r?\n/).map((l) => firstField(l)).filter((s) => s !== '');
  if (symbols.length > 0 && /^(genes?|symbols?|gene_symbols?|gene_names?|names?)$/i.test(symbols[0]!)) symbols.shift();
  const requested = [...new Set(symbols)];
  if (requested.length === 0) throw new InputError(`${file}: no gene symbols found; fix: list one gene symbol per line`);
  const columnOf = new Map(genes.map((g, k) => [g, k]));
  const columns: number[] = [];
  const missing: string[] = [];
  for (const s of requested) {
    const k = columnOf.get(s);
    if (k === undefined) missing.push(s);
    else columns.push(k);
  }
  if (columns.length === 0) {
    throw new InputError(
      `${file}: none of its ${requested.length} genes (e.g. ${requested.slice(0, 3).join(', ')}) is a column of ${expressionFile}; fix: use the symbols of the expression file's header (HGNC symbols)`,
    );
  }
  return { name: `file:${file}`, columns, requested: requested.length, found: columns.length, missing, files: { [file]: sha256 } };
}

function firstField(line: string): string {
  const cut = line.search(/[,\t;]/);
  return (cut === -1 ? line : line.slice(0, cut)).trim().replace(/^"(.*)"$/, '$1');
}
