// Builds the browser explorer into dist/web: the page, one bundle (esbuild, no Node built-ins: Dawn's
// loader is replaced by a stub that throws), and the data assets written from data/ by the project's
// own loaders (web/build/write-assets.ts). `node scripts/build-web.mjs [OUT]` (default dist/web).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const out = resolve(process.argv[2] ?? 'dist/web');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** src/engine/webgpu/dawn.ts → web/src/dawn-unavailable.ts: Dawn is Node's WebGPU, a page has navigator.gpu. */
const noDawn = {
  name: 'no-dawn',
  setup(b) {
    const stub = resolve('web/src/dawn-unavailable.ts');
    b.onResolve({ filter: /\/dawn$/ }, (args) =>
      args.importer.includes(join('src', 'engine', 'webgpu')) ? { path: stub } : undefined,
    );
  },
};

await build({
  entryPoints: { explorer: 'web/src/main.ts' },
  outdir: out,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  // readable as shipped (no minifier, so no source map either: the package carries no .map files)
  minify: false,
  loader: { '.wgsl': 'text' },
  plugins: [noDawn],
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join('web', file), join(out, file));

const writer = join(tmpdir(), `cortex-vae-write-assets-${process.pid}.mjs`);
await build({
  entryPoints: ['web/build/write-assets.ts'],
  outfile: writer,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
try {
  const { writeExplorerAssets } = await import(pathToFileURL(writer).href);
  const manifest = writeExplorerAssets(resolve('data'), join(out, 'assets'));
  const { geneSets, targets } = manifest;
  // on stderr: `npm pack --json` runs this in prepack, and its stdout must stay JSON
  process.stderr.write(`${out}: explorer.js, ${geneSets.length} gene sets × ${targets.length} maps in assets/\n`);
} finally {
  rmSync(writer, { force: true });
}
