/**
 * The backend the page computes on, and why: WebGPU on the browser's own GPU (navigator.gpu) when
 * the browser has an adapter, otherwise the CPU reference, with the reason shown to the reader.
 */
import type { Backend, RawTensor } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/backend';
import { requestGpuBackend } from '../../src/engine/webgpu/index';

export interface OpenedBackend {
  backend: Backend;
  kind: 'webgpu' | 'cpu';
  /** One sentence for the page: which backend and why. */
  why: string;
}

/**
 * The CPU reference, yielding to the browser before each readback so the page repaints while it
 * trains (a WebGPU readback waits on the GPU and yields by itself).
 */
export class PageCpuBackend extends CpuBackend {
  override async read(t: RawTensor): Promise<Float32Array> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return super.read(t);
  }
}

export async function openBackend(choice: 'auto' | 'cpu'): Promise<OpenedBackend> {
  const cpu = (why: string): OpenedBackend => ({ backend: new PageCpuBackend(), kind: 'cpu', why });
  if (choice === 'cpu') return cpu('CPU reference backend: asked for by the URL (backend=cpu).');
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return cpu('CPU reference backend: this browser has no WebGPU (navigator.gpu is missing).');
  const request = await requestGpuBackend({ gpu });
  if (!('backend' in request)) {
    return cpu(`CPU reference backend: WebGPU is present but gave no device (${request.reason}).`);
  }
  const { vendor, architecture, device, description, isCpu } = request.backend.adapter;
  const adapter = [vendor, architecture, device, description].filter(Boolean).join(' ') || 'an unnamed adapter';
  const software = isCpu ? ' (a software adapter: WebGPU emulated on the CPU, so slow)' : '';
  return { backend: request.backend, kind: 'webgpu', why: `WebGPU on ${adapter}${software}.` };
}
