/**
 * A machine where Dawn loads but finds no adapter (no GPU driver, no Vulkan CPU driver): the Vulkan
 * loader is pointed at a driver list that does not exist before Dawn starts. `--backend webgpu`
 * stops with one line naming the cause and the driver to install (exit 2, not a stack); `auto` says
 * why and runs on the CPU reference.
 */
import { describe, expect, it } from 'vitest';
import { cli, oneLineError } from './fixtures/run-cli';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { tempFolder } from './fixtures/temp-files';

// read by the Vulkan loader when Dawn creates its instance, which happens on first use below
process.env.VK_ICD_FILENAMES = '/nonexistent/no-vulkan-driver.json';
process.env.VK_DRIVER_FILES = '/nonexistent/no-vulkan-driver.json';

const folder = tempFolder();
const expression = folder.write('expression.csv', toCsv(smallExpression(5)));
const small = ['--expression', expression, '--genes', 'all', '--regions', 'left'];

describe.skipIf(process.platform !== 'linux')('no WebGPU adapter (Linux: Vulkan is the only Dawn backend)', () => {
  it('--backend webgpu: exit 2, one line naming the missing driver and the fix', async () => {
    const out = `${folder.dir}/gpu`;
    const result = await cli('train', ...small, '--epochs', '2', '--backend', 'webgpu', '--out', out, '--quiet');
    oneLineError(result, /--backend webgpu: WebGPU is unavailable: .*no WebGPU adapter found.*; fix: install a Vulkan/);
  });

  it('--backend auto: one line says why, then the run completes on the cpu reference', async () => {
    const result = await cli('train', ...small, '--epochs', '2', '--out', `${folder.dir}/auto`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/cortex-vae: WebGPU is unavailable \(.*no WebGPU adapter found.*\); running on/);
  });
});
