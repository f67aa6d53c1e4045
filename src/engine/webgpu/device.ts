/**
 * Opening a WebGPU device: the adapter, what kind of adapter it is, and a device with the limits
 * our kernels need (the defaults are lower than what adapters offer). The `GPU` is the browser's
 * `navigator.gpu` or, in Node, Dawn's (loaded on first use, dawn.ts).
 */
import { dawnGpu } from './dawn';

export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A CPU implementation (lavapipe/llvmpipe, SwiftShader, WARP) or the fallback adapter. */
  readonly isCpu: boolean;
  /** The subgroup size when the device has subgroups and the adapter one fixed size, else null. */
  readonly subgroupSize: number | null;
  /** Whose WebGPU: Dawn's, loaded by the engine, or a `GPU` the caller passed (a browser's navigator.gpu). */
  readonly implementation: 'Dawn' | 'given GPU';
}

export interface OpenedDevice {
  readonly device: GPUDevice;
  readonly adapter: AdapterDescription;
}

/** Limits requested at the adapter's own value: bigger buffers, workgroups and binding counts. */
const REQUESTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Features used where the adapter has them: the profiler's timestamps, subgroup shuffles (matmul). */
const OPTIONAL_FEATURES: GPUFeatureName[] = ['timestamp-query', 'subgroups'];

const CPU_ADAPTER_WORDS = ['llvmpipe', 'lavapipe', 'swiftshader', 'warp', 'software', 'cpu'];

function describeAdapter(
  adapter: GPUAdapter,
  device: GPUDevice,
  implementation: AdapterDescription['implementation'],
): AdapterDescription {
  // adapter.info's fields are getters: read them one by one (spreading it gives nothing)
  const info = adapter.info;
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const deviceName = info.device ?? '';
  const description = info.description ?? '';
  const flagged =
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const text = `${vendor} ${architecture} ${deviceName} ${description}`.toLowerCase();
  const isCpu = flagged || CPU_ADAPTER_WORDS.some((word) => text.includes(word));
  const sizes = info as { subgroupMinSize?: number; subgroupMaxSize?: number };
  const fixed =
    sizes.subgroupMinSize !== undefined && sizes.subgroupMinSize > 0 && sizes.subgroupMinSize === sizes.subgroupMaxSize;
  const subgroupSize = device.features.has('subgroups') && fixed ? sizes.subgroupMinSize! : null;
  return { vendor, architecture, device: deviceName, description, isCpu, subgroupSize, implementation };
}

/** An adapter and a device on it, or the reason there is none. */
export async function openDevice(gpu?: GPU, forceFallbackAdapter = false): Promise<OpenedDevice | { reason: string }> {
  let adapter: GPUAdapter | null;
  try {
    adapter = await (gpu ?? (await dawnGpu())).requestAdapter({
      forceFallbackAdapter,
      powerPreference: 'high-performance',
    });
  } catch (error) {
    return { reason: gpu ? `WebGPU could not start: ${(error as Error).message}` : (error as Error).message };
  }
  if (!adapter) {
    return { reason: 'no WebGPU adapter found (no GPU driver, and no Vulkan CPU driver such as Mesa lavapipe)' };
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUESTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  try {
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'cortex-vae' });
    return { device, adapter: describeAdapter(adapter, device, gpu ? 'given GPU' : 'Dawn') };
  } catch (error) {
    return { reason: `the WebGPU adapter refused a device: ${(error as Error).message}` };
  }
}
