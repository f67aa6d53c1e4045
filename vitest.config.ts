import { defineConfig } from 'vitest/config';

/** Loads `.wgsl` kernel sources as strings, as esbuild's `text` loader does for the bundle. */
const wgslAsText = {
  name: 'wgsl-as-text',
  transform(code: string, id: string) {
    if (id.endsWith('.wgsl')) return { code: `export default ${JSON.stringify(code)};`, map: null };
    return null;
  },
};

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One Dawn device per worker process; GPU suites share it within a file.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
