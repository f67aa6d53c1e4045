/** The webgpu backend, and a way to ask for it that tells why there is none. */
import { WebGpuBackend, type WebGpuOptions } from './backend';

export { WebGpuBackend, type WebGpuOptions } from './backend';

/** Tell the two apart with `'backend' in request`. */
export type GpuBackendRequest = { backend: WebGpuBackend } | { reason: string };

/**
 * A webgpu backend, or instead of one the reason (no adapter, no device, a kernel that failed to
 * compile) so the CLI can say so and run on the cpu backend.
 */
export async function requestGpuBackend(options: WebGpuOptions = {}): Promise<GpuBackendRequest> {
  try {
    return { backend: await WebGpuBackend.create(options) };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}
