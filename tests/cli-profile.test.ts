/** `cortex-vae train --profile` on a small fixture: the per-kernel table, JSON, and refusals. */
import { describe, expect, test } from 'vitest';
import { cli } from './fixtures/run-cli';
import type { TrainingProfile } from '../src/model/profile-training';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { tempFolder } from './fixtures/temp-files';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

const folder = tempFolder();
const small = [
  '--expression',
  folder.write('expression.csv', toCsv(smallExpression(12))),
  '--genes',
  'all',
  '--regions',
  'left',
  '--quiet',
  '--hidden',
  '16',
  '--latent',
  '4',
];

describe('train --profile', () => {
  test('prints device time per kernel for B models, and the same as JSON', async () => {
    const text = await cli('train', ...small, '--profile', '--batch', '3', '--profile-epochs', '2');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/34 regions × 12 genes, H 16, K 4, B = 3/);
    expect(text.stdout).toMatch(/^matmul\S*\s+\d+(\.\d)?\s+\d/m);
    const json = await cli('train', ...small, '--profile', '--profile-epochs', '1', '--json');
    expect(json.code, json.stderr).toBe(0);
    const profile = JSON.parse(json.stdout) as TrainingProfile;
    expect(profile.shape.batch).toBe(1);
    expect(profile.epochs).toBe(1);
    expect(profile.kernels.length).toBeGreaterThan(3);
  });

  test('refuses the cpu backend and a batch that is not a whole number', async () => {
    const cpu = await cli('train', ...small, '--profile', '--backend', 'cpu');
    expect(cpu.code).toBe(2);
    expect(cpu.stderr).toMatch(/--backend webgpu/);
    const bad = await cli('train', ...small, '--profile', '--batch', '1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--batch 1\.5 must be a whole number/);
  });
});
