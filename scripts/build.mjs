// Bundles the CLI, the library entry and the benchmark runner with esbuild; WGSL files load as text.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  loader: { '.wgsl': 'text' },
  external: ['webgpu', 'wgsl_reflect', 'playwright-core'],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts', bench: 'bench/cli.ts' }, outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' } });
