import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DK68_REGIONS } from '../src/pipeline/atlas';
import { DATA_DIR } from './fixtures/shipped-data';
import { InputError } from '../src/pipeline/input-error';
import { loadDkOutlines } from '../src/pipeline/report/dk-outlines';
import { reportHtml, writeReport } from '../src/pipeline/report/html';
import type { ReportData, ReportTables } from '../src/pipeline/report/types';

const outlines = loadDkOutlines(join(DATA_DIR, 'dk_ggseg_polygons.json'));

function readCsv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(join(DATA_DIR, file), 'utf8').trim().split(/\r?\n/);
  const columns = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((c, i) => [columns[i], c])));
}

/** L1000 landmark genes present in the shipped AHBA matrix (gene_title may hold quoted commas, so read from the right). */
function landmarkGenesInShippedMatrix(): string[] {
  const rows = readFileSync(join(DATA_DIR, 'l1000_landmark_genes.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));
  return rows.filter((c) => c[c.length - 1] === '1').map((c) => c[c.length - 5]!);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * A realistic report: the real ADNI-2 volume effect map as target, R_frontalpole / R_temporalpole
 * dropped (no AHBA expression, as in the shipped matrix), 3 spatially smooth fake latents.
 */
function fakeReport(): { data: ReportData; tables: ReportTables } {
  const rand = lcg(42);
  const noise = () => rand() + rand() + rand() - 1.5;
  const target = new Map(
    readCsv('adni2_ad_vs_cn_volume_effects_dk68.csv').map((r) => [r.region!, Number(r.cohens_d_cn_minus_ad)]),
  );
  const centroids = new Map(
    readCsv('dk68_centroids_fsa5.csv').map((r) => [r.region!, [Number(r.surf_x), Number(r.surf_y), Number(r.surf_z)]]),
  );
  const dropped = ['R_frontalpole', 'R_temporalpole'];
  const kept = DK68_REGIONS.filter((r) => !dropped.includes(r));
  const predicted = new Map<string, number | null>(
    DK68_REGIONS.map((r) => [r, dropped.includes(r) ? null : 0.8 * target.get(r)! + 0.15 * noise()]),
  );
  const residual = new Map<string, number | null>(
    DK68_REGIONS.map((r) => [r, dropped.includes(r) ? null : target.get(r)! - predicted.get(r)!]),
  );
  const latentMaps = [0, 1, 2].map(
    (k) =>
      new Map<string, number | null>(
        DK68_REGIONS.map((r) => {
          const [x, y, z] = centroids.get(r)!;
          return [
            r,
            dropped.includes(r) ? null : Math.sin(y! / 30 + k) + 0.5 * Math.cos(z! / 25 - k) + 0.2 * Math.sign(x!) * k,
          ];
        }),
      ),
  );
  const genes = landmarkGenesInShippedMatrix();
  const loadings = genes.map(() => [noise(), noise(), noise()]);
  const top = (k: number, sign: 1 | -1) =>
    genes
      .map((gene, i) => ({ gene, loading: loadings[i]![k]! }))
      .sort((a, b) => sign * (b.loading - a.loading))
      .slice(0, 8);
  const curve = (scale: number, rate: number, floor: number) =>
    Array.from({ length: 400 }, (_, i) => scale * Math.exp(-i / rate) + floor + 0.01 * rand());
  const nullValues = (centre: number) => Array.from({ length: 1000 }, () => centre + 0.25 * noise());

  const data: ReportData = {
    title: 'cortex-vae: AHBA expression → AD atrophy (test fixture)',
    run: {
      command: 'cortex-vae reproduce --seed 1 --out report',
      config: { model: { hidden: 256, latent: 3 }, loss: { beta: 1, alpha: 10, lambda: 0.1 } },
      seed: 1,
      backend: 'webgpu',
      adapter: 'llvmpipe (lavapipe), Mesa 25.0',
      startedAt: '2025-11-25T01:00:00Z',
      finishedAt: '2025-11-25T01:03:12Z',
      wallSeconds: 192.4,
      version: '0.1.0',
    },
    dataset: {
      regions: kept.length,
      genes: genes.length,
      target: "ADNI-2 AD vs CN cortical volume, Cohen's d",
      files: { expression: 'ahba_dk_enigma_stable_r0.6.csv', target: 'adni2_ad_vs_cn_volume_effects_dk68.csv' },
      droppedRegions: dropped.map((region) => ({ region, reason: 'no AHBA sample (all expression values NaN)' })),
    },
    notes: [
      {
        level: 'warning',
        text: `Only ${genes.length} of 978 L1000 landmark genes are in the shipped expression matrix (the paper used 910).`,
      },
      { level: 'note', text: 'Target is cortical volume, not thickness.' },
    ],
    maps: {
      observed: {
        title: "Observed atrophy (Cohen's d)",
        basis: 'observed data',
        values: target,
        scale: 'diverging',
        unit: 'd',
      },
      predicted: {
        title: 'Predicted atrophy',
        basis: 'out-of-sample',
        values: predicted,
        scale: 'diverging',
        unit: 'd',
      },
      residual: {
        title: 'Residual (observed − predicted)',
        basis: 'out-of-sample',
        values: residual,
        scale: 'diverging',
        unit: 'd',
      },
    },
    predictions: [
      {
        title: 'In-sample fit (VAE + Laplacian)',
        basis: 'in-sample',
        regions: kept,
        observed: kept.map((r) => target.get(r)!),
        predicted: kept.map((r) => target.get(r)! + 0.05 * noise()),
      },
      {
        title: 'Distance-dependent CV (VAE + Laplacian)',
        basis: 'out-of-sample',
        regions: kept,
        observed: kept.map((r) => target.get(r)!),
        predicted: kept.map((r) => predicted.get(r)!),
      },
    ],
    inSample: [
      { model: 'VAE + Laplacian', n: 66, r: 0.998, pParametric: 1e-40, explainedVariance: 0.996, rSquared: 0.995 },
    ],
    crossValidation: [
      {
        model: 'spatial only',
        scheme: 'distance-dependent',
        r: 0.41,
        rSquared: 0.12,
        explainedVariance: 0.15,
        foldRSquaredMedian: 0.05,
        foldRSquaredIqr: [-0.3, 0.25],
        pSpin: 0.21,
      },
      {
        model: 'VAE + Laplacian',
        scheme: 'distance-dependent',
        r: 0.77,
        rSquared: 0.55,
        explainedVariance: 0.58,
        foldRSquaredMedian: 0.41,
        foldRSquaredIqr: [0.12, 0.6],
        pSpin: 0.004,
      },
    ],
    nulls: [
      {
        name: 'graph VAE (λ as configured): hemisphere → hemisphere CV rerun on each spun target (1,000 spins, R²)',
        basis: 'out-of-sample',
        statistic: 'R²',
        observed: 0.55,
        values: nullValues(0),
        p: 0.004,
        pLabel: 'p_spin',
      },
      {
        name: 'Random-gene null: CV R²',
        basis: 'out-of-sample',
        statistic: 'R²',
        observed: 0.55,
        values: nullValues(0.3),
        p: 0.09,
        pLabel: 'p_genes',
      },
    ],
    lossCurves: {
      series: {
        total: curve(8, 80, 0.4),
        reconstruction: curve(5, 90, 0.3),
        KL: curve(0.5, 40, 0.05),
        'target mse': curve(2, 60, 0.02),
      },
      logY: true,
    },
    latents: [0, 1, 2].map((k) => ({
      name: `Latent ${k + 1}`,
      map: { title: `Latent ${k + 1} (μ)`, basis: 'in-sample', values: latentMaps[k]!, scale: 'diverging' },
      topGenes: { basis: 'in-sample', positive: top(k, 1), negative: top(k, -1) },
      targetCorrelation: {
        basis: 'in-sample',
        r: [0.62, -0.21, 0.08][k]!,
        pSpin: [0.01, 0.3, 0.7][k]!,
        pParametric: [1e-8, 0.09, 0.52][k]!,
      },
    })),
  };
  const tables: ReportTables = {
    predictions: {
      columns: ['region', 'observed', 'predicted'],
      rows: DK68_REGIONS.map((r) => [r, target.get(r)!, predicted.get(r)!]),
    },
    latents: {
      columns: ['region', 'latent_1', 'latent_2', 'latent_3'],
      rows: DK68_REGIONS.map((r) => [r, ...latentMaps.map((m) => m.get(r)!)]),
    },
    geneLoadings: {
      columns: ['gene', 'latent_1', 'latent_2', 'latent_3'],
      rows: genes.map((g, i) => [g, ...loadings[i]!]),
    },
  };
  return { data, tables };
}

/** Folders in `parent` other than the report itself (temp or leftover folders). */
const strays = (parent: string, name: string) => readdirSync(parent).filter((f) => f !== name);

describe('reportHtml', () => {
  const { data } = fakeReport();
  const html = reportHtml(data, outlines, { files: ['results.json'] });

  it('is self-contained: no scripts, stylesheets, images or fonts from elsewhere', () => {
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(http/i);
    expect(html.match(/https?:\/\/[^"]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('renders every section present, and every figure states its basis', () => {
    for (const id of ['run', 'data', 'maps', 'fit', 'cv', 'nulls', 'latents', 'training', 'files'])
      expect(html).toContain(`<section id="${id}">`);
    const figures = html.match(/<svg /g)!.length;
    expect(figures).toBe(3 + 2 + 2 + 3 + 3 + 1); // maps, scatters, nulls, latent maps, gene charts, loss
    expect(html.match(/class="basis" data-basis=/g)).toHaveLength(figures);
    expect(html.match(/data-region="L_entorhinal"/g)).toHaveLength(6 + 2); // one view in each of 6 maps, a point in 2 scatters
    expect(html).toContain('Only 75 of 978 L1000 landmark genes');
  });

  it('renders only what is present', () => {
    const bare = reportHtml({ title: 'Empty <run>' }, outlines);
    expect(bare).not.toContain('<section');
    expect(bare).toContain('<h1>Empty &lt;run&gt;</h1>');
  });
});

describe('writeReport', () => {
  it('writes report.html, results.json and the CSVs, replacing a previous report', () => {
    const parent = mkdtempSync(join(tmpdir(), 'report-write-'));
    const dir = join(parent, 'report');
    const { data, tables } = fakeReport();
    writeReport(dir, { title: 'first' }, {}, outlines);
    expect(readdirSync(dir)).toEqual(['report.html', 'results.json']);
    writeReport(dir, data, tables, outlines);
    expect(readdirSync(dir).sort()).toEqual([
      'gene_loadings.csv',
      'latents.csv',
      'predictions.csv',
      'report.html',
      'results.json',
    ]);
    expect(strays(parent, 'report')).toEqual([]);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.maps.observed.values.L_entorhinal).toBe(data.maps!.observed!.values.get('L_entorhinal'));
    expect(results.maps.predicted.values.R_frontalpole).toBeNull();
    const predictions = readFileSync(join(dir, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(predictions).toHaveLength(69);
    expect(predictions.find((l) => l.startsWith('R_temporalpole,'))).toMatch(/^R_temporalpole,-?[\d.]+,$/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('href="gene_loadings.csv"');
  });

  it('a failure mid-write leaves the previous report intact and no temp folder behind', () => {
    const parent = mkdtempSync(join(tmpdir(), 'report-fail-'));
    const dir = join(parent, 'report');
    writeReport(dir, { title: 'previous' }, {}, outlines);
    const before = readFileSync(join(dir, 'report.html'), 'utf8');
    const failing: ReportTables = {
      predictions: { columns: ['region'], rows: [['L_insula']] },
      latents: {
        columns: ['region'],
        get rows(): (string | number | null)[][] {
          throw new Error('disk full');
        },
      },
    };
    expect(() => writeReport(dir, { title: 'next' }, failing, outlines)).toThrow('disk full');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['report.html', 'results.json']);
    expect(strays(parent, 'report')).toEqual([]);
    // A ragged CSV row fails the same way, naming the file and row.
    const ragged: ReportTables = { geneLoadings: { columns: ['gene', 'latent_1'], rows: [['APOE']] } };
    expect(() => writeReport(dir, { title: 'next' }, ragged, outlines)).toThrow(
      'gene_loadings.csv: row 1 has 1 cells but the header has 2',
    );
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(before);
    expect(strays(parent, 'report')).toEqual([]);
  });

  it('refuses to replace a folder that is not a report', () => {
    const parent = mkdtempSync(join(tmpdir(), 'report-refuse-'));
    const dir = join(parent, 'mydata');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    expect(() => writeReport(dir, { title: 'x' }, {}, outlines)).toThrow(InputError);
    expect(() => writeReport(dir, { title: 'x' }, {}, outlines)).toThrow(
      /mydata: folder exists and has no report\.html/,
    );
    expect(readdirSync(dir)).toEqual(['thesis.tex']);
    expect(strays(parent, 'mydata')).toEqual([]);
  });
});

describe('report in a browser', () => {
  it('opens from file:// in headless Chromium without errors or outside requests, and renders', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'report-browser-'));
    const dir = join(parent, 'report');
    const { data, tables } = fakeReport();
    writeReport(dir, data, tables, outlines);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
      // Evaluated in the page (a string, since the test's TypeScript has no DOM types).
      const drawn = await page.evaluate<{ regions: number; width: number }>(`(() => {
        const paths = [...document.querySelectorAll('svg.brain-map path[data-region]')];
        return { regions: new Set(paths.map((p) => p.getAttribute('data-region'))).size, width: paths[0].getBoundingClientRect().width };
      })()`);
      expect(drawn.regions).toBe(68);
      // every chart title lies inside its chart, however long
      const titles = await page.evaluate<
        { right: number; width: number; text: string }[]
      >(`[...document.querySelectorAll('svg.chart')].map((svg) => {
        const box = svg.querySelector('text.title').getBBox();
        return { right: box.x + box.width, width: svg.viewBox.baseVal.width, text: svg.querySelector('text.title').textContent };
      })`);
      expect(titles.length).toBeGreaterThan(5);
      expect(titles.some((t) => t.text.includes('rerun on each spun target'))).toBe(true);
      for (const t of titles) expect(t.right, t.text).toBeLessThanOrEqual(t.width);
      expect(drawn.width).toBeGreaterThan(5); // the maps are laid out at a visible size
      const shot = join(parent, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      copyFileSync(shot, '/tmp/report-screenshot.png');
      await page.screenshot({ path: '/tmp/report-screenshot-top.png' });
    } finally {
      await browser.close();
    }
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});
