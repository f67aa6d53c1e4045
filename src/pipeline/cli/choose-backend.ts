import type { Backend } from '../../engine/backend';
import { CpuBackend } from '../../engine/cpu/backend';
import { requestGpuBackend } from '../../engine/webgpu/index';

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/**
 * Picks the compute backend. `auto` uses WebGPU when an adapter exists and otherwise says why on
 * stderr and falls back to the CPU reference; `webgpu` insists on a GPU adapter.
 */
export async function chooseBackend(choice: BackendChoice, log: (line: string) => void): Promise<Backend> {
  if (choice === 'cpu') return new CpuBackend();
  const gpu = await requestGpuBackend();
  if ('backend' in gpu) return gpu.backend;
  if (choice === 'webgpu') throw new Error(`no WebGPU adapter: ${gpu.reason}`);
  log(`cortex-vae: no WebGPU adapter (${gpu.reason}); running on the cpu reference backend`);
  return new CpuBackend();
}
