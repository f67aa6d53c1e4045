/** What a kernel's launch wrapper (src/engine/webgpu/kernels/*.ts) may use of the webgpu backend. */
import type { Shape } from '../backend';
import type { KernelSpec, ParamValues } from './kernels/kernel-registry';
import type { Binding, DispatchCost } from './command-recorder';
import type { GpuTensor } from './gpu-tensor';

/**
 * What a kernel family needs from the WebGPU backend: allocate outputs and dispatch a compiled kernel with
 * its bindings and parameters.
 */
export interface KernelContext {
  /** A new tensor of `shape` (contents undefined); `op` names the caller in size errors. */
  allocate(op: string, shape: Shape): GpuTensor;
  /**
   * Records `spec` (compiled at backend creation) over `workgroups`; tensors and buffers named as in
   * its WGSL; `cost` (flops, shape text) is what the profiler reports for it.
   */
  dispatch(
    spec: KernelSpec,
    bindings: Readonly<Record<string, Binding>>,
    params: ParamValues,
    workgroups: readonly [number, number, number],
    cost?: DispatchCost,
  ): void;
  /** `count` workgroups laid out on a grid within the device's per-dimension limit. */
  grid(count: number): [number, number, number];
  /** Invocations per workgroup of `spec`: the product of its `@workgroup_size`, read from its WGSL. */
  lanes(spec: KernelSpec): number;
  /** Workgroups of `spec` enough for `invocations` lanes (⌈invocations / lanes⌉), laid out by `grid`. */
  workgroupsFor(spec: KernelSpec, invocations: number): [number, number, number];
  /** The adapter's subgroup size where it has one fixed size and the device enabled subgroups, else null. */
  readonly subgroupSize: number | null;
  /** The device's maxComputeWorkgroupsPerDimension. */
  readonly maxWorkgroupsPerDimension: number;
  /** The device's maxStorageBuffersPerShaderStage. */
  readonly maxStorageBuffersPerStage: number;
  /** A small zero-filled buffer for optional inputs that are absent (a matmul without bias). */
  readonly emptyInput: GPUBuffer;
  /** A small buffer bound to optional outputs a dispatch does not write (a matmul without column sums). */
  readonly scratchOutput: GPUBuffer;
  /** Returns a temporary tensor to the pool (after the work that uses it is submitted). */
  release(t: GpuTensor): void;
}
