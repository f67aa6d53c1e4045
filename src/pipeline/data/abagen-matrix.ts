/**
 * `data fetch`: the unfiltered abagen Desikan–Killiany matrix (15,633 genes, no stability filter)
 * that the Imaging-transcriptomics toolbox shipped, pinned to one commit. Its table holds two
 * leading columns and then one column per gene, one row per abagen region id in order (1–34 left
 * cortex, 35–41 left subcortex, 42–75 right cortex, then right subcortex and brainstem; the
 * toolbox's own loader takes rows 1–41 and columns 3 onward); the gene symbols are a separate
 * file. The two are rewritten in the layout every reader here takes (`label`, then one column per
 * gene; canonical region ids; cortical rows only), gzip-compressed, written atomically. The list
 * names 23 genes by numbers (spreadsheet dates that replaced symbols such as MARCH1 and SEPT9, two
 * of them twice): those columns cannot be matched to any gene and are left out, and said so.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';
import type { AtlasTable } from './atlas-table';
import { sha256Hex } from './checksums';
import { readCsvFile, readTextFile } from './csv';
import { downloadFile, type DownloadResult } from './download';
import { readExpressionTable } from './expression';

export const ABAGEN_DK_SOURCE = {
  repository: 'alegiac95/Imaging-transcriptomics',
  commit: 'ffe5cb93e39506928ad8a82ac792882a58eb7b4e',
  folder: 'imaging_transcriptomics/data/atlases/DK',
  dataFile: 'atlas-DK_gene_expression_data.csv',
  labelsFile: 'atlas-DK_gene_expression_labels.txt',
  genes: 15633,
  /**
   * sha256 of the gene list with one symbol per line ('\n', final newline): the original separates
   * them with carriage returns. The matrix itself could not be read when this was pinned, so its
   * digest is printed on the first download instead (pass it back with --sha256 to check later ones).
   */
  labelsSha256: '2a37e66911336e0416d1a852e2ace218aa80dc514500c14adc14a3861af59315',
} as const;

export const ABAGEN_DK_BASE_URL =
  `https://raw.githubusercontent.com/${ABAGEN_DK_SOURCE.repository}/${ABAGEN_DK_SOURCE.commit}/${ABAGEN_DK_SOURCE.folder}`;

/** Default name of the rewritten matrix. */
export const ABAGEN_DK_FILE = `ahba_dk_abagen_${ABAGEN_DK_SOURCE.genes}.csv.gz`;

/** The gene symbols of a label file whose lines end in CR, LF or CRLF. */
export function readGeneLabels(file: string): { genes: string[]; sha256: string } {
  const genes = readTextFile(file).text.split(/\r\n|\r|\n/).map((g) => g.trim()).filter((g) => g !== '');
  return { genes, sha256: sha256Hex(Buffer.from(genes.join('\n') + '\n')) };
}

/**
 * The toolbox's table and gene list → CSV text in the layout this tool reads. Checks that the
 * header has two columns more than there are genes and that one leading column numbers the rows
 * 1, 2, … (abagen's region ids), so each row's region is known rather than assumed.
 */
export function abagenToLabelLayout(dataFile: string, genes: readonly string[], labelsFile: string, atlas: AtlasTable): { text: string; regions: number; genes: string[]; numericNames: number } {
  const table = readCsvFile(dataFile);
  const leading = table.header.length - genes.length;
  if (leading !== 2) {
    throw new InputError(
      `${dataFile}: line 1 has ${table.header.length} columns, which with the ${genes.length} genes of ${labelsFile} leaves ${leading} leading column(s), not 2; ` +
        'fix: the pinned layout has changed, convert the table by hand to a `label` column plus one column per gene',
    );
  }
  const idColumn = [0, 1].find((c) => table.rows.every((row, k) => Number(row[c]) === k + 1));
  if (idColumn === undefined) {
    throw new InputError(
      `${dataFile}: neither of columns 1–2 (${table.header.slice(0, 2).map((h) => `'${h}'`).join(', ')}) numbers the rows 1, 2, …, so rows cannot be matched to abagen's region ids; ` +
        'fix: convert the table by hand to a `label` column of region ids plus one column per gene',
    );
  }
  const named = genes.flatMap((g, k) => (/^\d+$/.test(g) ? [] : [k]));
  const lines = [['label', ...named.map((k) => genes[k]!)].join(',')];
  table.rows.forEach((row) => {
    const index = atlas.indexOf.get(row[idColumn]!.trim());
    if (index !== undefined) lines.push([DK68_REGIONS[index]!, ...named.map((k) => row[leading + k]!)].join(','));
  });
  return { text: lines.join('\n') + '\n', regions: lines.length - 1, genes: named.map((k) => genes[k]!), numericNames: genes.length - named.length };
}

export interface AbagenFetchOptions {
  /** Folder URL holding the two files (default: the pinned commit). */
  baseUrl: string;
  /** The rewritten matrix (.csv.gz). */
  dest: string;
  /** Expected sha256 of the matrix as downloaded; without it the digest is printed, unverified. */
  sha256?: string;
  atlas: AtlasTable;
  onProgress?: (file: string, bytes: number, total: number | undefined) => void;
}

export interface AbagenFetchResult {
  path: string;
  sha256: string;
  regions: number;
  genes: number;
  /** Columns left out because the gene list names them by a number, not a symbol. */
  numericNames: number;
  downloads: (DownloadResult & { url: string })[];
}

/**
 * Downloads both files into `<dest>.download/` (resumable), rewrites them as `dest`, checks the
 * result reads as an expression table, and only then renames it into place and removes the downloads.
 */
export async function fetchAbagenMatrix(opts: AbagenFetchOptions): Promise<AbagenFetchResult> {
  const folder = `${opts.dest}.download`;
  mkdirSync(folder, { recursive: true });
  const get = async (name: string, sha256?: string) => {
    const url = `${opts.baseUrl}/${name}`;
    const result = await downloadFile({ url, dest: join(folder, name), sha256, onProgress: (b, t) => opts.onProgress?.(name, b, t) });
    return { ...result, url };
  };
  const labels = await get(ABAGEN_DK_SOURCE.labelsFile);
  const { genes, sha256: labelsDigest } = readGeneLabels(labels.path);
  if (labelsDigest !== ABAGEN_DK_SOURCE.labelsSha256) {
    throw new InputError(`${labels.path}: the ${genes.length} gene symbols differ from the pinned list (sha256 ${labelsDigest}, expected ${ABAGEN_DK_SOURCE.labelsSha256}); fix: check --url points at commit ${ABAGEN_DK_SOURCE.commit}`);
  }
  const data = await get(ABAGEN_DK_SOURCE.dataFile, opts.sha256);
  const { text, regions, genes: kept, numericNames } = abagenToLabelLayout(data.path, genes, labels.path, opts.atlas);
  // the temporary keeps dest's ending, so it is read back (gunzipped or not) as dest will be
  const temporary = join(dirname(opts.dest), `.tmp-${basename(opts.dest)}`);
  const bytes = opts.dest.endsWith('.gz') ? gzipSync(text, { level: 9 }) : Buffer.from(text);
  writeFileSync(temporary, bytes);
  try {
    readExpressionTable(temporary, opts.atlas);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`${data.path}: rewritten in the label layout it does not read as an expression table (${(error as Error).message}); fix: convert it by hand`);
  }
  renameSync(temporary, opts.dest);
  rmSync(folder, { recursive: true, force: true });
  return { path: opts.dest, sha256: sha256Hex(bytes), regions, genes: kept.length, numericNames, downloads: [labels, data] };
}
