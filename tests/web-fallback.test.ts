/**
 * The explorer where WebGPU gives no adapter (Chromium without --enable-unsafe-webgpu): it says
 * so and trains on the CPU reference in the page. And with damaged or missing assets: a visible
 * error naming the file and the fix, nothing trained.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/pipeline/cli/commands/serve';
import { buildSite, launchBrowser, openPage, screenshot, serveSite, waitFor } from './web-browser';

let site: string;
let browser: BrowserContext;
const servers: RunningServer[] = [];
const copies: string[] = [];

beforeAll(async () => {
  site = buildSite();
  copies.push(site);
  browser = await launchBrowser(false);
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the built site with `damage` applied to its assets folder, served. */
async function damagedSite(damage: (assets: string) => void): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cortex-vae-site-'));
  copies.push(dir);
  cpSync(site, dir, { recursive: true });
  damage(join(dir, 'assets'));
  const server = await serveSite(dir);
  servers.push(server);
  return server;
}

describe('explorer without WebGPU', () => {
  it('says why and trains on the CPU reference in the page', async () => {
    const server = await serveSite(site);
    servers.push(server);
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}?genes=75&hidden=8&latent=2&epochs=3&run=1`);
    const finished = "window.cortexExplorer.error || window.cortexExplorer.explorer?.run?.state === 'done'";
    await waitFor(page, finished, 120_000);
    const backend = await page.evaluate<{ kind: string; why: string }>('window.cortexExplorer.backend');
    expect(backend.kind).toBe('cpu');
    const shown = await page.textContent('#backend');
    expect(shown).toContain('CPU reference backend');
    expect(shown).toContain('WebGPU is present but gave no device');
    expect(await page.textContent('#loss-table')).toContain('engine/cpu/laplacian.ts');
    const history = await page.evaluate('window.cortexExplorer.explorer.run.history.length');
    expect(history).toBe(3);
    expect(await page.$$eval('#maps svg.brain-map', (svgs) => svgs.length)).toBe(3);
    expect(errors).toEqual([]);
    await screenshot(page, 'web-fallback.png');
  });
});

describe('explorer controls', () => {
  it('shows the epochs as they come and stops on request', async () => {
    const server = await serveSite(site);
    servers.push(server);
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}?genes=75&hidden=8&latent=2&epochs=1000&run=1`);
    await waitFor(page, 'window.cortexExplorer.explorer?.run?.history.length >= 2', 60_000);
    expect(await page.textContent('#status')).toMatch(/^epoch \d+ \/ 1000 \(3 fits\)/);
    expect(await page.isDisabled('#train')).toBe(true);
    await page.click('#stop');
    await waitFor(page, "window.cortexExplorer.explorer.run.state !== 'training'", 60_000);
    expect(await page.evaluate('window.cortexExplorer.explorer.run.state')).toBe('stopped');
    expect(await page.textContent('#status')).toMatch(/^stopped after/);
    expect(await page.isDisabled('#train')).toBe(false);
    expect(errors).toEqual([]);
  });

  it('names a bad URL setting and falls back to the defaults', async () => {
    const server = await serveSite(site);
    servers.push(server);
    const { page } = await openPage(browser);
    await page.goto(`${server.url}?hidden=many`);
    await waitFor(page, 'window.cortexExplorer.ready', 60_000);
    expect(await page.textContent('#error')).toBe(
      "URL: hidden = 'many': give a whole number from 1 to 1024; the defaults are used instead",
    );
    expect(await page.inputValue('input[name=hidden]')).toBe('64');
  });
});

describe('explorer with bad assets', () => {
  it('shows which file failed its checksum and how to fix it', async () => {
    const server = await damagedSite((assets) => {
      const file = join(assets, 'genes-787-expression.f32');
      const bytes = readFileSync(file);
      bytes[100] = bytes[100]! ^ 0xff;
      writeFileSync(file, bytes);
    });
    const { page } = await openPage(browser);
    await page.goto(server.url);
    await waitFor(page, 'window.cortexExplorer.error', 60_000);
    expect(await page.isVisible('#error')).toBe(true);
    const message = await page.textContent('#error');
    expect(message).toContain('genes-787-expression.f32: SHA-256');
    expect(message).toContain('npm run web:build');
    expect(await page.evaluate('window.cortexExplorer.ready')).toBe(false);
  });

  it('shows which file is missing', async () => {
    const server = await damagedSite((assets) => rmSync(join(assets, 'dk-outlines.json')));
    const { page } = await openPage(browser);
    await page.goto(server.url);
    await waitFor(page, 'window.cortexExplorer.error', 60_000);
    const message = await page.textContent('#error');
    expect(message).toMatch(
      /assets\/dk-outlines\.json: HTTP 404; the asset is missing: rebuild the site with npm run web:build/,
    );
  });
});
