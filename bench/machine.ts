/**
 * What the numbers were measured on (written into every result file), and the matmul peak the
 * GFLOP/s are compared with.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../src/engine/backend';
import { WebGpuBackend } from '../src/engine/webgpu/backend';
import type { MachineInfo, PeakInfo } from './types';

const PACKAGES = [
  'webgpu',
  'wgsl_reflect',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-webgpu',
];

/**
 * Installed version of a package, or null when it is absent. Looks in the node_modules folders Node
 * would search, since a package whose "exports" omit ./package.json cannot be resolved to it.
 */
export function packageVersion(name: string): string | null {
  const require = createRequire(`${process.cwd()}/package.json`);
  for (const folder of require.resolve.paths(name) ?? []) {
    const file = join(folder, name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
  }
  return null;
}

function gitCommit(): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      null
    );
  } catch {
    return null;
  }
}

export function describeMachine(subject: Backend | null, reference: Backend): MachineInfo {
  const cpus = os.cpus();
  return {
    subjectBackend: subject ? subject.describe() : 'none (--backend cpu)',
    referenceBackend: reference.describe(),
    adapter: subject instanceof WebGpuBackend ? { ...subject.adapter } : null,
    cpus: { model: cpus[0]?.model.trim() ?? 'unknown', speedMHz: cpus[0]?.speed ?? 0, count: cpus.length },
    totalMemoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
    commit: gitCommit(),
  };
}

/**
 * Dense fp32 peaks (non-tensor-core FMA rate) of GPUs we know, matched on the adapter's name.
 * H100 SXM5 and H200: 67 TFLOP/s (NVIDIA datasheets); the H100 PCIe card is slower, so it is
 * excluded from the H100 entry and reported as unknown.
 */
const GPU_FP32_PEAKS: readonly { pattern: RegExp; gflops: number; name: string }[] = [
  { pattern: /H200/i, gflops: 67_000, name: 'NVIDIA H200 (67 TFLOP/s fp32)' },
  { pattern: /H100(?!.*PCIe)/i, gflops: 67_000, name: 'NVIDIA H100 SXM (67 TFLOP/s fp32)' },
];

/**
 * On a real GPU: the table's theoretical peak for the adapter (or unknown). On a CPU adapter
 * (lavapipe) or the cpu backend: the practical peak, the best GFLOP/s any matmul implementation
 * reached in this run. A theoretical CPU peak is not stated: os.cpus() gives neither the SIMD
 * width in use nor the FMA units per core, so any figure would be a guess.
 */
export function choosePeak(subject: Backend | null, bestMeasured: { gflops: number; by: string } | null): PeakInfo {
  const adapter = subject instanceof WebGpuBackend ? subject.adapter : null;
  if (adapter && !adapter.isCpu) {
    const text = `${adapter.description} ${adapter.device} ${adapter.vendor}`;
    const known = GPU_FP32_PEAKS.find((p) => p.pattern.test(text));
    return known
      ? {
          gflops: known.gflops,
          source: `theoretical fp32 peak of ${known.name}`,
          theoreticalGflops: known.gflops,
          theoreticalSource: known.name,
        }
      : {
          gflops: null,
          source: `unknown: no fp32 peak on file for adapter "${adapter.description}"`,
          theoreticalGflops: null,
          theoreticalSource: 'unknown adapter',
        };
  }
  return {
    gflops: bestMeasured?.gflops ?? null,
    source: bestMeasured
      ? `practical peak: best matmul GFLOP/s measured in this run (${bestMeasured.by})`
      : 'no matmul was measured',
    theoreticalGflops: null,
    theoreticalSource: 'not stated: os.cpus() tells neither the SIMD width lavapipe uses nor FMA units per core',
  };
}
