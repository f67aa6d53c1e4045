/**
 * The explorer's bench tab in headless Chromium with WebGPU: matmul and a VAE epoch at both shipped
 * shapes on the page's GPU against the in-page CPU reference, every result within its tolerance,
 * and a result in the Node bench's JSON shape.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserBenchResult } from '../web/src/bench-result';
import { openPage, screenshot, servedSiteWithWebGpu, waitFor } from './web-browser';

const served = servedSiteWithWebGpu();

describe('bench tab', () => {
  it('times matmul and the VAE epoch at 66×75 and 66×787 on WebGPU, each checked against the CPU reference', async () => {
    const { page, errors } = await openPage(served.browser);
    await page.goto(`${served.server.url}#bench`);
    await waitFor(page, 'window.cortexExplorer.ready || window.cortexExplorer.error', 60_000);
    expect(await page.isVisible('#bench-view')).toBe(true);
    await page.click('#bench-run');
    await waitFor(page, 'window.cortexExplorer.bench.result || window.cortexExplorer.error', 300_000);
    const result = await page.evaluate<BrowserBenchResult>('window.cortexExplorer.bench.result');
    expect(await page.evaluate('window.cortexExplorer.error ?? null')).toBeNull();

    expect(result.version).toBe(1);
    expect(result.backend).toBe('webgpu');
    expect(result.machine.adapter?.architecture).toBe('swiftshader');
    expect(result.kernels.map((k) => k.name)).toEqual(['X·W1 66×75', 'hd·Wd2 66×75', 'X·W1 66×787', 'hd·Wd2 66×787']);
    for (const row of result.kernels) {
      expect(row.status, row.name).toBe('ok');
      expect(row.withinTolerance, `${row.name}: max scaled error ${row.maxScaledError}`).toBe(true);
      expect(row.subject!.medianMs).toBeGreaterThan(0);
      expect(row.subjectGflops).toBeGreaterThan(0);
    }
    expect(result.training.shapes.map((s) => s.name)).toEqual(['66×75', '66×787']);
    expect(result.training.rows.map((r) => `${r.shape} ${r.backend}`)).toEqual([
      '66×75 cpu',
      '66×75 webgpu',
      '66×787 cpu',
      '66×787 webgpu',
    ]);
    for (const row of result.training.rows) expect(row.epoch!.medianMs).toBeGreaterThan(0);
    for (const a of result.training.agreement) expect(a.withinTolerance, `${a.shape}: ${a.maxScaledError}`).toBe(true);

    expect(await page.$$eval('#bench-table tbody td.pass', (cells) => cells.length)).toBe(6);
    expect(await page.$$eval('#bench-table tbody td.fail', (cells) => cells.length)).toBe(0);
    // the download holds the same result
    const href = await page.getAttribute('#bench-download', 'href');
    const text = await page.evaluate<string>(`fetch(${JSON.stringify(href)}).then((r) => r.text())`);
    const downloaded = JSON.parse(text) as BrowserBenchResult;
    expect(downloaded.kernels).toHaveLength(4);
    expect(errors).toEqual([]);
    await screenshot(page, 'web-bench.png');
  });
});
