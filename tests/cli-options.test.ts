/**
 * What a user of the command meets besides the science: `--version`, output folders that follow the
 * umask, the target's printed meaning under `--target-sign`, hints that name a fix that works, and
 * the filter that keeps Dawn's own log lines out of `--quiet` runs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './fixtures/run-cli';
import { DATA_DIR } from './fixtures/shipped-data';
import { smallExpression, toCsv } from './fixtures/small-expression';
import { tempFolder } from './fixtures/temp-files';
import { writeFolderAtomically } from '../src/pipeline/report/atomic-dir';
import { isDawnLogLine, wantsNativeLogFilter } from '../src/pipeline/cli/quiet-native-log';

const folder = tempFolder();
const PACKAGE_JSON = join(import.meta.dirname, '..', 'package.json');
const PACKAGE_VERSION = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;

describe('--version', () => {
  it('prints the package version, as --version, -v, or a flag after a command', async () => {
    for (const argv of [['--version'], ['-v'], ['data', '--version']]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toBe(`cortex-vae ${PACKAGE_VERSION}\n`);
    }
  });
});

describe('output folders', () => {
  it('get the mode the umask asks for, not 0700', () => {
    const previous = process.umask(0o027);
    try {
      const dir = join(folder.dir, 'out-umask');
      writeFolderAtomically(
        dir,
        [
          ['a.txt', () => 'a'],
          ['sub/b.txt', () => 'b'],
        ],
        'a.txt',
      );
      expect(statSync(dir).mode & 0o777).toBe(0o750);
      expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o750);
    } finally {
      process.umask(previous);
    }
  });
});

describe('the target as printed', () => {
  const expression = folder.write('expression.csv', toCsv(smallExpression(5)));
  const small = ['--expression', expression, '--genes', 'all', '--quiet'];

  it('says positive = more vulnerable with the shipped sign, and that the other sign reverses it', async () => {
    const shipped = await cli('data', ...small, '--regions', 'left');
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(shipped.stdout).toMatch(/× \+1 \(.*positive = smaller in AD; positive = more vulnerable\)/);
    const flipped = await cli('data', ...small, '--regions', 'left', '--target-sign', '-1');
    expect(flipped.code, flipped.stderr).toBe(0);
    expect(flipped.stdout).toMatch(/× −1 \(.*--target-sign -1 reverses the shipped orientation/);
    expect(flipped.stdout).not.toMatch(/more vulnerable/);
  });
});

describe('a map missing regions', () => {
  const lines = readFileSync(join(DATA_DIR, 'adni2_ad_vs_cn_volume_effects_dk68.csv'), 'utf8').trim().split('\n');
  const without = (pattern: RegExp) =>
    folder.write(
      `map-${pattern.source.replace(/\W/g, '')}.csv`,
      lines.filter((line, k) => k === 0 || !pattern.test(line)).join('\n') + '\n',
    );
  const run = (map: string) =>
    cli('data', '--genes', 'l1000', '--regions', 'bilateral', '--target', `file:${map}:cohens_d_cn_minus_ad`);

  it('a left region missing: the hint does not suggest --regions left', async () => {
    const result = await run(without(/^L_bankssts,/));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no row for .*bankssts; fix: add a row per region\n$/);
    expect(result.stderr).not.toMatch(/--regions left/);
  });

  it('right regions missing only: the hint offers --regions left', async () => {
    const result = await run(without(/^R_/));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no row for \d+ region\(s\) in use: R_bankssts.*or choose --regions left/);
  });
});

describe("--quiet and Dawn's native log lines", () => {
  it("recognises the lines Dawn writes and nothing of the command's own", () => {
    for (const line of [
      'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic ' +
        'offset allocation limit.',
      'Warning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER',
      '    at CheckVkSuccessImpl (/home/runner/work/dawn/src/dawn/native/vulkan/VulkanError.cpp:106)',
    ])
      expect(isDawnLogLine(line), line).toBe(true);
    for (const line of [
      'cortex-vae: --backend webgpu: WebGPU is unavailable: no WebGPU adapter found',
      'cortex-vae: internal error: Error: boom',
      '    at runCli (file:///x/dist/cli.js:120:7)',
      '',
    ])
      expect(isDawnLogLine(line), line).toBe(false);
  });

  it('filters only quiet runs that may open Dawn', () => {
    expect(wantsNativeLogFilter(['train', '--quiet'])).toBe(true);
    expect(wantsNativeLogFilter(['train'])).toBe(false);
    expect(wantsNativeLogFilter(['train', '--quiet', '--backend', 'cpu'])).toBe(false);
    expect(wantsNativeLogFilter(['train', '--quiet', '--backend=cpu'])).toBe(false);
  });
});
