// The README's picture of the explorer: serves the built site (npx cortex-vae serve), trains the
// default settings with "spin the map" in headless Chromium with WebGPU, prints the figures and
// saves the top of the page.
//   npm run build && npm run web:build && node scripts/web-screenshot.mjs [docs/explorer.png]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'docs/explorer.png';
const server = spawn(process.execPath, ['dist/cli.js', 'serve', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (chunk) => {
    const found = /http:\/\/localhost:\d+\//.exec(String(chunk));
    if (found) resolve(found[0]);
  });
  server.once('exit', (code) => reject(new Error(`cortex-vae serve exited with ${code}`)));
});
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'cortex-vae-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--enable-unsafe-webgpu'],
  viewport: { width: 1280, height: 900 },
  deviceScaleFactor: 0.75,
});
try {
  const page = await browser.newPage();
  await page.goto(`${url}?spin=1&run=1`);
  const finished = `window.cortexExplorer.error
    || ['done', 'failed'].includes(window.cortexExplorer.explorer?.run?.state)`;
  await page.waitForFunction(finished, undefined, { timeout: 600_000, polling: 500 });
  const summary = await page.evaluate(`(() => {
    const s = window.cortexExplorer;
    const figures = Object.entries(s.explorer?.run?.figures ?? {}).map(([map, f]) =>
      ({ map, inSampleR: f.inSampleR, inSampleR2: f.inSampleR2, heldOutR: f.heldOutR, heldOutR2: f.heldOutR2 }));
    return { error: s.error, backend: s.backend?.why, seconds: s.explorer?.run?.seconds, figures };
  })()`);
  console.log(JSON.stringify(summary, null, 2));
  if (summary.error) throw new Error(summary.error);
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1165 } });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  server.kill('SIGINT');
}
