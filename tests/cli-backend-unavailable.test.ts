/**
 * WebGPU that cannot start, as on a cluster node whose glibc is older than Dawn's native module
 * needs: 'webgpu' throws on import here, as `process.dlopen` does there. `--backend webgpu` stops
 * with one line naming the cause and the fix (exit 2); `auto` says why and runs on the CPU
 * reference. (The packed package is checked the same way, with its dawn.node made unloadable, in
 * tests/package.test.ts.)
 */
import { describe, expect, it, vi } from 'vitest';
import { cli, oneLineError } from './fixtures/run-cli';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { tempFolder } from './fixtures/temp-files';

vi.mock('webgpu', () => {
  throw new Error("/lib64/libc.so.6: version `GLIBC_2.34' not found (required by dawn.node)");
});

const folder = tempFolder();
const expression = folder.write('expression.csv', toCsv(smallExpression(5)));
const small = ['--expression', expression, '--genes', 'all', '--regions', 'left'];

describe("Dawn's native module cannot load", () => {
  it('--backend webgpu: exit 2, one line with the cause and the fix', async () => {
    const out = `${folder.dir}/gpu`;
    const result = await cli('train', ...small, '--quick', '--backend', 'webgpu', '--out', out, '--quiet');
    const cause = /--backend webgpu: WebGPU is unavailable: .*could not load: .*the CPU reference \(--backend cpu\)$/m;
    oneLineError(result, cause);
  });

  it('--backend auto: one line says why, then the run completes on the cpu reference', async () => {
    const result = await cli('train', ...small, '--epochs', '2', '--backend', 'auto', '--out', `${folder.dir}/auto`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/cortex-vae: WebGPU is unavailable \(.*could not load.*\); running on the cpu/);
    expect(result.stdout).toMatch(/graph VAE .* cpu/);
  });

  it('info reports WebGPU unavailable with the reason, exit 0', async () => {
    const result = await cli('info');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/webgpu: unavailable \(.*could not load.*\); commands run on the cpu reference/);
  });
});
