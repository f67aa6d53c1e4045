/** `info`: the backend this machine gets, its adapter and limits, and the versions in use. */
import { requestGpuBackend } from '../../../engine/webgpu/index';
import type { CommandContext } from '../context';
import { version } from '../version';

const LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

export async function infoCommand(context: CommandContext): Promise<void> {
  const gpu = await requestGpuBackend();
  const info = {
    cortexVae: version,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    webgpu:
      'backend' in gpu
        ? {
            adapter: gpu.backend.describe(),
            cpuAdapter: gpu.backend.adapter.isCpu,
            matmulVariant: gpu.backend.matmulVariant,
            limits: Object.fromEntries(LIMITS.map((name) => [name, gpu.backend.device.limits[name]])),
          }
        : { unavailable: gpu.reason, fallback: 'cpu reference backend' },
  };
  if ('backend' in gpu) gpu.backend.destroy();
  if (context.json) {
    context.out(JSON.stringify(info, null, 2));
    return;
  }
  const lines = [`cortex-vae ${info.cortexVae}, Node ${info.node}, ${info.platform}`];
  if ('adapter' in info.webgpu) {
    lines.push(`webgpu: ${info.webgpu.adapter}`);
    for (const [name, value] of Object.entries(info.webgpu.limits ?? {})) lines.push(`  ${name}: ${value}`);
  } else {
    lines.push(`webgpu: unavailable (${info.webgpu.unavailable}); commands run on the cpu reference backend`);
  }
  context.out(lines.join('\n'));
}
