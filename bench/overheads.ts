/**
 * Fixed costs of the webgpu backend that no kernel can hide: one more dispatch in a submit, a
 * submit + 4-byte readback round trip, and compiling a pipeline for a source never seen before.
 */
import type { KernelSpec } from '../src/engine/webgpu/kernels/kernel-registry';
import { matmulKernels } from '../src/engine/webgpu/kernels/matmul';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import { measure, settle, type RepPlan } from './timing';
import type { Overheads } from './types';

/** A kernel that does nothing: its cost is the dispatch itself (no bindings, no parameters). */
const EMPTY_KERNEL: KernelSpec = {
  name: 'bench-empty',
  source: '@compute @workgroup_size(64) fn bench_empty() {}\n',
  entryPoint: 'bench_empty',
};

let salt = 0;

/** The spec with a unique constant added after its directives, so neither our cache nor Dawn's has seen it. */
function freshSource(spec: KernelSpec): KernelSpec {
  salt++;
  const directives = /^(?:enable [^;]+;\s*)*/.exec(spec.source)![0];
  const source = `${directives}const bench_salt_${salt}: u32 = ${salt}u;\n${spec.source.slice(directives.length)}`;
  return { ...spec, name: `${spec.name}-fresh-${salt}`, source };
}

/**
 * emptyDispatchUs = (T(n) − T(1)) / (n − 1) · 1000 from the medians of a submit of n empty
 * dispatches and of one, each waited for.
 */
export async function measureOverheads(
  gpu: WebGpuBackend,
  plan: RepPlan,
  dispatchesPerBatch: number,
  compileSamples: number,
): Promise<Overheads> {
  await gpu.compileKernels([EMPTY_KERNEL]);
  const batchOf = (n: number) => async (batches: number) => {
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < n; i++) gpu.dispatch(EMPTY_KERNEL, {}, {}, [1, 1, 1]);
      await settle(gpu);
    }
  };
  const single = await measure(batchOf(1), plan);
  const batch = await measure(batchOf(dispatchesPerBatch), plan);
  const emptyDispatchUs = ((batch.medianMs - single.medianMs) / (dispatchesPerBatch - 1)) * 1000;

  const scalar = gpu.upload(new Float32Array([1]), [1]);
  const roundTrip = await measure(async (reads) => {
    for (let i = 0; i < reads; i++) await gpu.read(scalar);
  }, plan);
  gpu.release(scalar);

  const compilePlan: RepPlan = {
    ...plan,
    warmup: 1,
    minSamples: compileSamples,
    maxSamples: compileSamples,
    maxLaunches: 1,
  };
  const compile = (spec: KernelSpec) =>
    measure(async (count) => {
      for (let i = 0; i < count; i++) await gpu.compileKernels([freshSource(spec)]);
    }, compilePlan);
  const matmulSpec = matmulKernels(gpu.matmulVariant, gpu.subgroupSize)[0]!;
  return {
    emptyDispatchUs,
    emptySubmit: single,
    emptyBatch: { dispatches: dispatchesPerBatch, timing: batch },
    roundTrip,
    compileEmpty: await compile(EMPTY_KERNEL),
    compileMatmul: await compile(matmulSpec),
  };
}
