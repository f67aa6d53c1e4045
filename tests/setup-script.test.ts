/**
 * scripts/setup.sh --dry-run against scratch APT configurations: bookworm-backports is taken from
 * the machine's configured Debian mirror (deb822 or one-line sources), never from a mirror of its
 * own; with none configured it stops with a message saying what to do.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './fixtures/temp-files';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'setup.sh');

/** Runs the dry run with `sources` (relative path → text) as /etc/apt and no Vulkan driver unless `icd`. */
function dryRun(
  sources: Record<string, string>,
  icd = false,
): { status: number | null; stdout: string; stderr: string } {
  const f = tempFolder();
  mkdirSync(join(f.dir, 'apt', 'sources.list.d'), { recursive: true });
  mkdirSync(join(f.dir, 'icd'));
  for (const [path, text] of Object.entries(sources)) f.write(join('apt', path), text);
  if (icd) f.write(join('icd', 'lvp_icd.json'), '{}');
  const result = spawnSync('bash', [SCRIPT, '--dry-run'], {
    env: { ...process.env, CORTEX_VAE_APT_ETC: join(f.dir, 'apt'), CORTEX_VAE_VULKAN_ICD_DIRS: join(f.dir, 'icd') },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const DEB822 =
  'Types: deb\nURIs: http://mirror.example.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\n' +
  'Types: deb\nURIs: http://mirror.example.org/debian-security\nSuites: bookworm-security\nComponents: main\n';

describe('scripts/setup.sh', () => {
  it('adds bookworm-backports from the deb822 mirror the machine is configured with', () => {
    const r = dryRun({ 'sources.list.d/debian.sources': DEB822 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /would write .*sources\.list\.d\/bookworm-backports\.list: deb http:\/\/mirror\.example\.org\/debian bookworm-backports main/,
    );
    expect(r.stdout).toMatch(
      /would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers/,
    );
    expect(r.stdout + r.stderr).not.toMatch(/deb\.debian\.org/);
  });

  it('reads one-line sources too, options in brackets included', () => {
    const r = dryRun({
      'sources.list': 'deb [signed-by=/usr/share/keyrings/k.gpg] https://ftp.example.net/debian/ bookworm main\n',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deb https:\/\/ftp\.example\.net\/debian\/ bookworm-backports main/);
  });

  it('with backports already configured it only installs; with a Vulkan driver it does neither', () => {
    const configured = dryRun({
      'sources.list.d/debian.sources': DEB822,
      'sources.list.d/backports.list': 'deb http://mirror.example.org/debian bookworm-backports main\n',
    });
    expect(configured.stdout).not.toMatch(/would write/);
    expect(configured.stdout).toMatch(/apt-get install .*mesa-vulkan-drivers/);
    expect(dryRun({ 'sources.list.d/debian.sources': DEB822 }, true).stdout).not.toMatch(/apt-get/);
  });

  it('with no Debian mirror configured it stops with a clear message and writes nothing', () => {
    const r = dryRun({ 'sources.list.d/other.list': 'deb https://packages.example.com/apt stable main\n' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /no Debian mirror is configured in .*sources\.list or .*sources\.list\.d\/, so bookworm-backports cannot be added; fix: configure your Debian mirror/,
    );
    expect(r.stdout).not.toMatch(/would write|apt-get install/);
  });

  it('refuses unknown options', () => {
    const r = spawnSync('bash', [SCRIPT, '--with-chromum'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--with-chromum'/);
  });
});
