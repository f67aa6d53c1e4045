// Bundles the library (dist/index.js), the CLI (dist/cli.js) and the benchmark runner (dist/bench.js) with
// esbuild; WGSL files load as text. Only the CLI carries a shebang; the shipped files carry no source-map
// reference (the maps are not in the package); the bench, run from a checkout, keeps its map. The CLI is
// split: `cortex-vae bench` loads the suite from a chunk of its own (dist/cli-chunks/), so neither it nor
// the native module the bench's peers import statically load for any other command.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  loader: { '.wgsl': 'text' },
  external: ['webgpu', 'wgsl_reflect', 'playwright-core'],
  logLevel: 'warning',
};
const shebang = { js: '#!/usr/bin/env node' };

await Promise.all([
  build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir: 'dist', sourcemap: false }),
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    sourcemap: false,
    banner: shebang,
    splitting: true,
    chunkNames: 'cli-chunks/[name]-[hash]',
  }),
  build({ ...common, entryPoints: { bench: 'bench/cli.ts' }, outdir: 'dist', sourcemap: true, banner: shebang }),
]);
