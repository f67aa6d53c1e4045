/**
 * The library's public API as the TypeScript compiler sees it from src/index.ts: every type an
 * exported signature names is exported too (a user can name it), every export carries a doc comment
 * that attaches to it, what an engine user needs to train a model of their own is there, and
 * docs/api.md is the reference generated from the current source (`npm run api` rewrites it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { apiSurface, type ApiEntry, type MissingType } from '../scripts/api-surface.mjs';
import { API_REFERENCE, renderApiReference } from '../scripts/api-reference.mjs';

let entries: ApiEntry[];
let missingTypes: MissingType[];

beforeAll(() => {
  ({ entries, missingTypes } = apiSurface());
});

describe('the public API', () => {
  it('exports every project type that an exported signature names, at any depth', () => {
    expect(missingTypes.map((m) => `${m.name} (${m.file}, reached from ${m.usedBy})`)).toEqual([]);
  });

  it('has a doc comment on every export', () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.filter((e) => e.doc === '').map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it('gives an engine user what training a model of their own takes', () => {
    const names = new Set(entries.map((e) => e.name));
    const engineUser = [
      'Engine',
      'Tensor',
      'ops',
      'ops.matmul',
      'ops.mse',
      'Adam',
      'AdamSettings',
      'CpuBackend',
      'requestGpuBackend',
    ];
    for (const name of engineUser) {
      expect(names, name).toContain(name);
    }
  });

  it('gives a user with arrays in memory a path to a dataset and a study', () => {
    const names = new Set(entries.map((e) => e.name));
    for (const name of ['datasetFromArrays', 'DatasetArrays', 'runStudy', 'StudyInputs', 'DEFAULT_STUDY_OPTIONS']) {
      expect(names, name).toContain(name);
    }
  });

  it('does not export the CLI or the bench', () => {
    const files = entries.map((e) => e.file);
    expect(files.filter((f) => f.startsWith('bench/') || f.startsWith('src/pipeline/cli/'))).toEqual([]);
  });
});

describe('docs/api.md', () => {
  it('is the reference generated from the current source (run `npm run api` after changing the API)', () => {
    expect(readFileSync(API_REFERENCE, 'utf8')).toBe(renderApiReference());
  });
});
