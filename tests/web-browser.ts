/**
 * Shared by the browser tests: builds the explorer (npm run web:build's script), serves it on
 * 127.0.0.1 with the CLI's own server, and launches headless Chromium with or without WebGPU.
 * Chromium must be at /usr/bin/chromium (bash scripts/setup.sh --with-chromium): without it the
 * tests fail, never skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../src/pipeline/cli/commands/serve';
import { decodeGeneSet, type GeneSetData } from '../web/src/gene-set-data';
import type { Manifest } from '../web/src/manifest';

export const SCREENSHOT_DIR = resolve('out/screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** Builds the site as npm run web:build does, into a fresh folder (test files run in parallel); returns it. */
export function buildSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cortex-vae-site-'));
  execFileSync(process.execPath, ['scripts/build-web.mjs', dir], { stdio: 'pipe' });
  return dir;
}

export function serveSite(dir: string): Promise<RunningServer> {
  return startServer(dir, 0);
}

/** The site, its server and a WebGPU browser of one test file: set before its tests run, closed and removed after. */
export interface ServedSite {
  site: string;
  server: RunningServer;
  browser: BrowserContext;
}

/** Builds and serves the site and launches a browser with WebGPU around the calling test file's tests. */
export function servedSiteWithWebGpu(): ServedSite {
  const served = {} as ServedSite;
  beforeAll(async () => {
    served.site = buildSite();
    served.server = await serveSite(served.site);
    served.browser = await launchBrowser(true);
  });
  afterAll(async () => {
    await served.browser?.close();
    await served.server?.close();
    if (served.site) rmSync(served.site, { recursive: true, force: true });
  });
  return served;
}

/**
 * A fresh Chromium profile. `webgpu`: with --enable-unsafe-webgpu, the one flag headless Chromium on
 * Linux needs for navigator.gpu to return an adapter (SwiftShader where there is no GPU); without
 * it navigator.gpu exists but gives no adapter, which is how the fallback is tested.
 */
export async function launchBrowser(webgpu: boolean): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the browser tests need Chromium; ` +
        'install it with bash scripts/setup.sh --with-chromium',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'cortex-vae-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...(webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Waits until `expression` (evaluated in the page) is truthy. */
export async function waitFor(page: Page, expression: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction(expression, undefined, { timeout: timeoutMs, polling: 200 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
  return file;
}

/** The built site's manifest and one gene set's arrays, read from disk as the page reads them. */
export function siteGeneSet(dir: string, id: string): { manifest: Manifest; data: GeneSetData } {
  const assets = join(dir, 'assets');
  const manifest = JSON.parse(readFileSync(join(assets, 'manifest.json'), 'utf8')) as Manifest;
  const asset = manifest.geneSets.find((g) => g.id === id)!;
  return { manifest, data: decodeGeneSet(asset, (a) => new Uint8Array(readFileSync(join(assets, a.file)))) };
}
