/**
 * The webgpu backend's device layer: errors surface as typed errors naming the kernel (never a
 * hang), oversized tensors are refused with the limit, storage is pooled and reshaped views share
 * it, the fused kernels of the next phase say they are missing, and Node exits after destroy().
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, KernelError } from '../src/engine/backend';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import type { GpuTensor } from '../src/engine/webgpu/gpu-tensor';
import { requestGpuBackend } from '../src/engine/webgpu/index';
import type { KernelSpec } from '../src/engine/webgpu/kernels/kernel-registry';
import { openGpu, seededValues } from './helpers/gpu';

let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

/** out[i] = source[i] + params.shift: a small kernel the tests can launch wrongly on purpose. */
const probeKernel: KernelSpec = {
  name: 'probe-kernel',
  entryPoint: 'probe',
  source: `
struct ProbeParams { size: u32, shift: f32 }
@group(0) @binding(0) var<storage, read> source: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: ProbeParams;
@compute @workgroup_size(64)
fn probe(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < params.size) { out[id.x] = source[id.x] + params.shift; }
}`,
};

describe('kernels launched through the registry', () => {
  it('binds buffers and uniform fields by their WGSL names', async () => {
    await gpu.compileKernels([probeKernel]);
    const source = gpu.upload(seededValues(100, 3), [100]) as GpuTensor;
    const out = gpu.fill([100], 0) as GpuTensor;
    gpu.dispatch(probeKernel, { source: source.buffer, out: out.buffer }, { size: 100, shift: 0.5 }, [2, 1, 1]);
    const expected = seededValues(100, 3).map((v) => v + 0.5);
    expect(await gpu.read(out)).toEqual(expected);
  });

  it('names the kernel for a missing or unknown parameter or binding', () => {
    const t = gpu.fill([4], 0) as GpuTensor;
    const buffers = { source: t.buffer, out: gpu.emptyInput };
    expect(() => gpu.dispatch(probeKernel, buffers, { size: 4 }, [1, 1, 1])).toThrow(
      /kernel probe-kernel: parameter shift was not given/,
    );
    expect(() => gpu.dispatch(probeKernel, buffers, { size: 4, shift: 0, scale: 1 }, [1, 1, 1])).toThrow(
      /kernel probe-kernel: has no parameter scale/,
    );
    expect(() => gpu.dispatch(probeKernel, { source: t.buffer }, { size: 4, shift: 0 }, [1, 1, 1])).toThrow(
      /probe-kernel: no buffer given for WGSL binding out/,
    );
  });
});

describe('errors name the kernel', () => {
  it('a kernel whose WGSL does not compile fails with a KernelError naming it and the line', async () => {
    const broken: KernelSpec = {
      ...probeKernel,
      name: 'broken-kernel',
      source: probeKernel.source.replace('+ params.shift', '+ undefined_value'),
    };
    const failure = await gpu.compileKernels([broken]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KernelError);
    expect((failure as KernelError).kernel).toBe('broken-kernel');
    expect((failure as Error).message).toMatch(/kernel broken-kernel: .*undefined_value/);
  });

  it('a dispatch grid over the device limit is refused at once, naming the kernel', () => {
    const t = gpu.fill([4], 0) as GpuTensor;
    const limit = gpu.device.limits.maxComputeWorkgroupsPerDimension;
    const launch = () =>
      gpu.dispatch(probeKernel, { source: t.buffer, out: gpu.emptyInput }, { size: 4, shift: 0 }, [limit + 1, 1, 1]);
    expect(launch).toThrow(KernelError);
    expect(launch).toThrow(/kernel probe-kernel: dispatch grid/);
  });

  it('a kernel writing a buffer it also reads is refused, naming the kernel', () => {
    const t = gpu.fill([4], 0) as GpuTensor;
    expect(() =>
      gpu.dispatch(probeKernel, { source: t.buffer, out: t.buffer }, { size: 4, shift: 0 }, [1, 1, 1]),
    ).toThrow(/kernel probe-kernel: writes out and also binds the same buffer as source/);
  });

  it('a Dawn validation error inside a batch rejects read with a KernelError naming the kernel, then work goes on', async () => {
    // a uniform buffer where a storage buffer belongs: Dawn rejects the bind group
    const wrongUsage = gpu.device.createBuffer({ size: 256, usage: GPUBufferUsage.UNIFORM, label: 'wrong usage' });
    const out = gpu.fill([64], 0) as GpuTensor;
    gpu.dispatch(probeKernel, { source: wrongUsage, out: out.buffer }, { size: 64, shift: 1 }, [1, 1, 1]);
    const failure = await gpu.read(out).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KernelError);
    expect((failure as KernelError).kernel).toBe('probe-kernel');
    expect((failure as Error).message).toMatch(/Storage/);
    wrongUsage.destroy();
    // the failed batch is discarded whole; the next one runs
    const good = gpu.fill([64], 1);
    expect(await gpu.read(gpu.unary('scale', good, 3))).toEqual(new Float32Array(64).fill(3));
  });

  it('device loss turns later launches and reads into KernelErrors instead of hangs', async () => {
    const doomed = await openGpu();
    const t = doomed.fill([10], 1);
    expect(await doomed.read(t)).toEqual(new Float32Array(10).fill(1));
    doomed.device.destroy(); // as if the driver had reset
    await doomed.device.lost;
    expect(() => doomed.unary('exp', t)).toThrow(KernelError);
    expect(() => doomed.unary('exp', t)).toThrow(/kernel unary exp: the GPU device was lost/);
    await expect(doomed.read(t)).rejects.toThrow(KernelError);
    doomed.destroy();
  });
});

describe('limits', () => {
  it('refuses a tensor over maxStorageBufferBindingSize, naming the op, the shape and the limit', () => {
    const limit = gpu.device.limits.maxStorageBufferBindingSize;
    const rows = Math.floor(limit / 4 / 1000) + 1;
    expect(() => gpu.fill([rows, 1000], 0)).toThrow(EngineError);
    expect(() => gpu.fill([rows, 1000], 0)).toThrow(
      new RegExp(
        `fill: tensor \\[${rows},1000\\] needs .* MiB, over this device's maxStorageBufferBindingSize of ${limit / 2 ** 20} MiB; split the batch`,
      ),
    );
    const a = gpu.fill([rows, 1, 1], 0.5);
    expect(() => gpu.matmul(a, gpu.fill([1, 1, 1000], 1))).toThrow(/matmul: tensor \[\d+,1,1000\]/);
  });

  it('spreads work over a 2D grid beyond 65535 workgroups (over 16.7M elements)', async () => {
    const count = 256 * 65_535 + 300;
    const t = gpu.fill([count], 0.25);
    const doubled = gpu.binary('add', t, t);
    const values = await gpu.read(doubled);
    expect(values.length).toBe(count);
    expect(values[0]).toBe(0.5);
    expect(values[count - 1]).toBe(0.5);
    expect(values.every((v) => v === 0.5)).toBe(true);
    gpu.release(t);
    gpu.release(doubled);
  });
});

describe('storage', () => {
  it('reuses a released buffer only after the work that used it was submitted', async () => {
    const a = gpu.fill([1000], 1) as GpuTensor;
    const first = a.buffer;
    gpu.release(a); // the fill is recorded, not submitted: the buffer must wait
    const b = gpu.fill([1000], 2) as GpuTensor;
    expect(b.buffer).not.toBe(first);
    gpu.flush();
    const c = gpu.fill([1000], 3) as GpuTensor;
    expect(c.buffer).toBe(first);
    expect(await gpu.read(b)).toEqual(new Float32Array(1000).fill(2));
    expect(await gpu.read(c)).toEqual(new Float32Array(1000).fill(3));
  });

  it('reshaped views share storage; it returns to the pool when the last one is released', async () => {
    const values = seededValues(24, 9);
    const t = gpu.upload(values, [2, 3, 4]);
    const view = gpu.reshape(t, [6, 4]);
    expect(view.shape).toEqual([6, 4]);
    gpu.release(t);
    expect(await gpu.read(view)).toEqual(values);
    await expect(gpu.read(t)).rejects.toThrow(/read: tensor \[2,3,4\] was released/);
    expect(() => gpu.reshape(view, [5, 5])).toThrow(/reshape: cannot view \[6,4\]/);
    gpu.release(view);
    expect(() => gpu.release(view)).toThrow(EngineError);
  });

  it('refuses tensors of another backend', async () => {
    const other = await openGpu();
    const foreign = other.fill([3], 1);
    expect(() => gpu.unary('neg', foreign)).toThrow(/unary neg: tensor \[3\] does not belong to this webgpu backend/);
    other.destroy();
    expect(() => other.fill([3], 1)).toThrow(/fill: the webgpu backend was destroyed/);
  });
});

describe('backend creation', () => {
  it('describes the adapter and the matmul variant; a variant can be forced', async () => {
    expect(gpu.describe()).toMatch(
      /^webgpu \(Dawn\) on .+ \[vendor .*, architecture .*\], matmul variant (subgroups|registers|tiled)$/,
    );
    const found = await requestGpuBackend({ matmulVariant: 'tiled' });
    if (!('backend' in found)) throw new Error(found.reason);
    expect(found.backend.matmulVariant).toBe('tiled');
    found.backend.destroy();
  });
});

describe('process exit', () => {
  it('Node exits on its own after destroy(), with work done', () => {
    const dir = join(process.cwd(), 'node_modules', '.cache', 'cortex-vae-webgpu-exit');
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `
import { WebGpuBackend } from '${join(process.cwd(), 'src/engine/webgpu/backend')}';
const gpu = await WebGpuBackend.create();
const a = gpu.fill([3, 5], 2);
const product = gpu.matmul(a, gpu.fill([5, 4], 1));
const total = gpu.reduce('sum', product, [0, 1, 2]);
console.log('total', (await gpu.read(total))[0]);
gpu.destroy();
`,
    );
    const bundle = join(dir, 'exit.mjs');
    buildSync({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['webgpu'],
      loader: { '.wgsl': 'text' },
      logLevel: 'error',
    });
    const run = spawnSync(process.execPath, [bundle], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
    });
    expect(run.error).toBeUndefined(); // a hang would show up here as ETIMEDOUT
    expect(run.stdout).toContain('total 120');
    expect(run.status).toBe(0);
  });
});
