// Bundles the library (dist/index.js), the CLI (dist/cli.js) and the benchmark runner (dist/bench.js) with
// esbuild; WGSL files load as text. Only the CLI carries a shebang; the two shipped files carry no
// source-map reference (the maps are not in the package); the bench, run from a checkout, keeps its map.
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
  build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', sourcemap: false, banner: shebang }),
  build({ ...common, entryPoints: { bench: 'bench/cli.ts' }, outdir: 'dist', sourcemap: true, banner: shebang }),
]);
