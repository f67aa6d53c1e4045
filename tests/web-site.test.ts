/**
 * The explorer's site without a browser: the assets npm run web:build writes hold exactly what the
 * project's loaders read from data/ (to float32), their checksums match, the bundle has no Node
 * built-ins and no Dawn, settings survive the URL, and `cortex-vae serve` serves the folder and
 * nothing outside it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, laplacianCsr, listTargets } from '../src/pipeline/data/dataset';
import { startServer } from '../src/pipeline/cli/commands/serve';
import { planJob } from '../web/src/experiment';
import { decodeArray } from '../web/src/gene-set-data';
import type { Manifest } from '../web/src/manifest';
import { DEFAULT_SETTINGS, settingsFromQuery, settingsToQuery } from '../web/src/settings';
import { DATA_DIR } from './fixtures/shipped-data';
import { buildSite, siteGeneSet } from './web-browser';

let site: string;

beforeAll(() => {
  site = buildSite();
});

afterAll(() => rmSync(site, { recursive: true, force: true }));

const EXPRESSION = { '75': 'ahba_dk_enigma_stable_r0.6.csv.gz', '787': 'ahba_dk_enigma_stable_r0.2.csv.gz' } as const;

describe('explorer assets', () => {
  it.each(['75', '787'] as const)('gene set %s holds what buildDataset reads, for every shipped map', (id) => {
    const { manifest, data } = siteGeneSet(site, id);
    expect(manifest.targets.map((t) => t.name)).toEqual(listTargets().map((t) => t.name));
    const options = {
      dataDir: DATA_DIR,
      expressionFile: join(DATA_DIR, EXPRESSION[id]),
      regions: 'bilateral' as const,
      genes: 'l1000' as const,
      adjacency: 'fsa5' as const,
      weighting: 'binary' as const,
    };
    const reference = buildDataset({ ...options, target: manifest.targets[0]!.name });
    expect(data.regions).toEqual(reference.regions);
    expect(data.genes).toEqual(reference.genes);
    expect(data.genes).toHaveLength(Number(id));
    expect(data.expression).toEqual(Float64Array.from(Float32Array.from(reference.X)));
    expect(data.sphere).toEqual(Float64Array.from(Float32Array.from(reference.centroids.sphere)));
    expect(data.edgeCount).toBe(reference.graph.edges.length);
    expect(data.laplacian).toEqual(laplacianCsr(reference.graph, 'normalized'));
    for (const [t, target] of [
      [0, manifest.targets[0]!],
      [5, manifest.targets[5]!],
    ] as const) {
      const y = buildDataset({ ...options, target: target.name }).y;
      expect(data.targets[t], target.name).toEqual(Float64Array.from(Float32Array.from(y)));
    }
  });

  it('lists every file with its SHA-256 and shape', () => {
    const manifest = JSON.parse(readFileSync(join(site, 'assets', 'manifest.json'), 'utf8')) as Manifest;
    const arrays = manifest.geneSets.flatMap((g) => [
      g.expression,
      g.targets,
      g.sphere,
      g.laplacian.rowPtr,
      g.laplacian.colIndex,
      g.laplacian.values,
    ]);
    for (const asset of [...arrays, manifest.outlines]) {
      const bytes = readFileSync(join(site, 'assets', asset.file));
      expect(createHash('sha256').update(bytes).digest('hex'), asset.file).toBe(asset.sha256);
    }
    for (const asset of arrays) {
      expect(() => decodeArray(asset, new Uint8Array(readFileSync(join(site, 'assets', asset.file))))).not.toThrow();
    }
    const expression = manifest.geneSets[0]!.expression;
    expect(() => decodeArray(expression, new Uint8Array(8))).toThrow(
      /genes-75-expression\.f32: 8 bytes, but shape \[66, 75\] needs 19800; rebuild/,
    );
  });

  it('bundles no Node built-in and no Dawn', () => {
    const bundle = readFileSync(join(site, 'explorer.js'), 'utf8');
    expect(bundle).not.toMatch(/["']node:/);
    expect(bundle).not.toMatch(/import\(["']webgpu["']\)/);
    expect(bundle).toContain('Dawn is Node-only');
  });
});

describe('explorer job', () => {
  it('fits in-sample and each hemisphere from the other, on the map and on its spun copy', () => {
    const { data } = siteGeneSet(site, '75');
    const job = planJob(data, 0, { ...DEFAULT_SETTINGS, spin: true, spinSeed: 4 });
    expect(job.fits.map((f) => `${f.map} ${f.split}`)).toEqual([
      'observed in-sample',
      'observed L->R',
      'observed R->L',
      'spun in-sample',
      'spun L->R',
      'spun R->L',
    ]);
    const left = data.hemisphere.flatMap((h, i) => (h === 'L' ? [i] : []));
    expect(job.fits[1]!.train).toEqual(left);
    // held-out targets never reach the model: masked out and zeroed
    job.fits.forEach((fit, f) => {
      const train = new Set(fit.train);
      job.tasks[f]!.trainMask.forEach((m, i) => expect(m).toBe(train.has(i) ? 1 : 0));
      job.tasks[f]!.y.forEach((v, i) => {
        if (!train.has(i)) expect(v).toBe(0);
      });
    });
    // the spun map: the same values, moved within each hemisphere
    const spun = job.maps.spun!;
    expect([...spun].sort()).toEqual([...data.targets[0]!].sort());
    expect(spun).not.toEqual(data.targets[0]);
    expect(job.xShape).toEqual([6, data.regions.length, 75]);
  });
});

describe('explorer settings in the URL', () => {
  const targets = listTargets().map((t) => t.name);
  it('round-trips, leaving defaults out', () => {
    const settings = { ...DEFAULT_SETTINGS, target: 'adni-ad-tau', genes: '787', beta: 0.01, hidden: 32, spin: true };
    const query = settingsToQuery(settings);
    expect(query).toBe('target=adni-ad-tau&genes=787&beta=0.01&hidden=32&spin=1');
    expect(settingsFromQuery(query, targets, ['75', '787'])).toEqual(settings);
    expect(settingsToQuery(DEFAULT_SETTINGS)).toBe('');
  });

  it('names the bad parameter and what it accepts', () => {
    expect(() => settingsFromQuery('hidden=2.5', targets, ['75'])).toThrow(
      "hidden = '2.5': give a whole number from 1 to 1024",
    );
    expect(() => settingsFromQuery('lambda=-1', targets, ['75'])).toThrow("lambda = '-1': give a number from 0 to 100");
    expect(() => settingsFromQuery('genes=910', targets, ['75', '787'])).toThrow("genes = '910': give one of 75, 787");
  });
});

describe('cortex-vae serve', () => {
  it('serves the site on 127.0.0.1 and nothing outside its folder', async () => {
    const server = await startServer(site, 0);
    try {
      expect(server.url).toMatch(/^http:\/\/localhost:\d+\/$/);
      const page = await fetch(server.url);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('explorer.js');
      const manifest = await fetch(new URL('assets/manifest.json', server.url));
      expect(manifest.status).toBe(200);
      expect((await fetch(new URL('/nothing-here.js', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('refuses paths that climb out of its folder', async () => {
    // serve assets/ alone, whose parent holds index.html; the raw path is sent as written
    writeFileSync(join(site, 'assets', 'index.html'), '<p>assets</p>');
    const server = await startServer(join(site, 'assets'), 0);
    try {
      const status = (path: string) =>
        new Promise<number>((done, fail) => {
          const port = new URL(server.url).port;
          get({ host: '127.0.0.1', port, path }, (r) => {
            r.resume();
            done(r.statusCode!);
          }).on('error', fail);
        });
      expect(await status('/manifest.json')).toBe(200);
      expect(await status('/../index.html')).toBe(404);
      expect(await status('/%2e%2e/explorer.js')).toBe(404);
    } finally {
      await server.close();
      rmSync(join(site, 'assets', 'index.html'));
    }
  });

  it('says how to build the site when the folder has none', async () => {
    await expect(startServer(DATA_DIR, 0)).rejects.toThrow(
      /index\.html: no explorer page there; build it with npm run web:build/,
    );
  });
});
