import type { Backend } from '../../engine/backend';
import { CpuBackend } from '../../engine/cpu/backend';
import { requestGpuBackend } from '../../engine/webgpu/index';
import { InputError } from '../input-error';

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/**
 * Picks the compute backend. `auto` uses WebGPU when it can start and otherwise says why on
 * stderr and falls back to the CPU reference; `webgpu` insists, and where WebGPU cannot start
 * (Dawn's native module does not load, no adapter, no device) stops with one line naming the
 * cause and the fix (exit 2, as for bad input: the machine does not fit the request).
 */
export async function chooseBackend(choice: BackendChoice, log: (line: string) => void): Promise<Backend> {
  if (choice === 'cpu') return new CpuBackend();
  const gpu = await requestGpuBackend();
  if ('backend' in gpu) return gpu.backend;
  if (choice === 'webgpu') {
    throw new InputError(`--backend webgpu: WebGPU is unavailable: ${gpu.reason}${gpuFix(gpu.reason)}`);
  }
  log(`cortex-vae: WebGPU is unavailable (${gpu.reason}); running on the cpu reference backend`);
  return new CpuBackend();
}

/** The fix for a reason WebGPU could not start, unless the reason names one already (Dawn's load failure does). */
function gpuFix(reason: string): string {
  if (reason.includes('--backend cpu')) return '';
  const cpu = '--backend auto or --backend cpu runs on the CPU reference';
  if (/no WebGPU adapter/i.test(reason)) {
    const driver = "the GPU vendor's, or Mesa lavapipe: apt-get install mesa-vulkan-drivers";
    return `; fix: install a Vulkan driver (${driver}), or ${cpu}`;
  }
  return `; fix: ${cpu}`;
}
