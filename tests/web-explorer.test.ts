/**
 * The explorer in headless Chromium with WebGPU (SwiftShader here): it trains the graph VAE on the
 * page's GPU, the first epochs' losses equal the Node CPU reference's for the same seed within the
 * kernels' tolerance, the loss falls, the brain maps and latent programs render (and are redrawn
 * while training), the settings
 * travel in the URL, and nothing is logged as an error.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { EpochLosses } from '../src/model/train-run';
import { trainVae } from '../src/model/trainer';
import { planJob } from '../web/src/experiment';
import { settingsFromQuery } from '../web/src/settings';
import { openPage, screenshot, servedSiteWithWebGpu, siteGeneSet, waitFor } from './web-browser';

/** Small and short: SwiftShader runs WebGPU on the CPU. */
const QUERY = 'genes=75&hidden=16&latent=4&epochs=12&learningRate=0.01&seed=7&spin=1&spinSeed=3';
/** Per-epoch loss terms: |cpu − gpu| ≤ 1e-4 + 1e-3·|cpu|, as tests/model-parity-webgpu.test.ts. */
const lossClose = (cpu: number, gpu: number) => Math.abs(cpu - gpu) <= 1e-4 + 1e-3 * Math.abs(cpu);
const TERMS = ['total', 'reconstruction', 'kl', 'target', 'smoothness'] as const;

const served = servedSiteWithWebGpu();

describe('explorer on WebGPU', () => {
  it('trains live, matches the Node CPU reference, draws the maps and keeps the settings in the URL', async () => {
    const { page, errors } = await openPage(served.browser);
    await page.goto(`${served.server.url}?${QUERY}&run=1`);
    const finished = `window.cortexExplorer.error
      || ['done', 'failed'].includes(window.cortexExplorer.explorer?.run?.state)`;
    await waitFor(page, finished, 240_000);
    const state = await page.evaluate<{
      error: string | null;
      backend: { kind: string; why: string };
      run: { state: string; history: EpochLosses[]; previews: number[] };
    }>(`(() => {
      const s = window.cortexExplorer;
      return { error: s.error ?? null, backend: s.backend, run: s.explorer.run };
    })()`);
    expect(state.error).toBeNull();
    expect(state.backend.kind).toBe('webgpu');
    expect(await page.textContent('#backend')).toContain('WebGPU on');
    expect(state.run.state).toBe('done');

    const history = state.run.history;
    expect(history.map((l) => l.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(history.at(-1)!.total).toBeLessThan(history[0]!.total);
    // the maps were redrawn from the current parameters while training (every epoch of 12)
    expect(state.run.previews).toEqual(history.map((l) => l.epoch));

    // the same job on the CPU reference in Node, from the same assets
    const { manifest, data } = siteGeneSet(served.site, '75');
    const settings = settingsFromQuery(
      QUERY,
      manifest.targets.map((t) => t.name),
      ['75', '787'],
    );
    const job = planJob(data, 0, settings);
    const cpu = await trainVae({
      engine: new Engine(new CpuBackend()),
      X: job.X,
      xShape: job.xShape,
      laplacian: data.laplacian,
      edgeCount: data.edgeCount,
      tasks: job.tasks,
      config: job.config,
      keepWeights: false,
    });
    cpu.history[0]!.forEach((entry, e) => {
      for (const term of TERMS) {
        const [c, g] = [entry[term], history[e]![term]];
        if (!lossClose(c, g)) throw new Error(`epoch ${entry.epoch}, ${term}: Node cpu ${c} vs page webgpu ${g}`);
      }
    });

    // every term shown, with its formula and the kernel that computes it
    const terms = await page.$$eval('#loss-table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    expect(terms).toHaveLength(5);
    expect(terms.join('\n')).toContain('laplacian_smoothness');
    expect(terms.join('\n')).toContain('tr(μᵀ L μ)');

    // observed and spun maps × (map, in-sample, held-out), 68 regions each; K latent maps
    const maps = await page.$$eval('#maps svg.brain-map', (svgs) =>
      svgs.map(
        (s) => new Set([...s.querySelectorAll('path[data-region]')].map((p) => p.getAttribute('data-region'))).size,
      ),
    );
    expect(maps).toEqual([68, 68, 68, 68, 68, 68]);
    expect(await page.$$eval('#latents svg.brain-map', (svgs) => svgs.length)).toBe(4);
    expect(await page.$$eval('#loss-chart svg path', (p) => p.length)).toBeGreaterThan(0);
    const figures = await page.$$eval('#figures tbody tr', (rows) => rows.map((r) => r.getAttribute('data-map')));
    expect(figures).toEqual(['observed', 'spun']);

    expect(new URL(page.url()).searchParams.get('hidden')).toBe('16');
    expect(new URL(page.url()).searchParams.get('spin')).toBe('1');
    expect(errors).toEqual([]);
    await screenshot(page, 'web-explorer.png');
  });
});
