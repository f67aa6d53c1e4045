/**
 * The op tables (src/engine/unary-ops.ts, binary-ops.ts, activation.ts) against the WGSL that
 * switches on their codes: every code has its own `case`, an unknown code makes NaN instead of
 * running some other op, unknown op names are refused alike on both backends, and launches size
 * their grids from the workgroup size the WGSL declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATION_CODES, ACTIVATIONS } from '../src/engine/activation';
import { EngineError, type Activation, type BinaryOp, type UnaryOp } from '../src/engine/backend';
import { BINARY_CODES, BINARY_OPS } from '../src/engine/binary-ops';
import { CpuBackend } from '../src/engine/cpu/backend';
import { opNames } from '../src/engine/op-codes';
import { UNARY_CODES, UNARY_OPS } from '../src/engine/unary-ops';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import type { GpuTensor } from '../src/engine/webgpu/gpu-tensor';
import {
  activationGradKernel,
  binaryKernel,
  binaryVec4Kernel,
  fillKernel,
  unaryKernel,
} from '../src/engine/webgpu/kernels/elementwise';
import type { KernelSpec } from '../src/engine/webgpu/kernels/kernel-registry';
import activationSource from '../src/engine/webgpu/kernels/elementwise-activation.wgsl';
import binarySource from '../src/engine/webgpu/kernels/elementwise-binary.wgsl';
import binaryVec4Source from '../src/engine/webgpu/kernels/elementwise-binary-vec4.wgsl';
import unarySource from '../src/engine/webgpu/kernels/elementwise-unary.wgsl';
import { openGpu } from './helpers/gpu';

let gpu: WebGpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

/** `addScalar` → `ADD_SCALAR`, as the generated WGSL constants spell it. */
const constantName = (op: string): string => op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** How many times `case NAME:` occurs in a WGSL source. */
const caseCount = (source: string, name: string): number =>
  source.match(new RegExp(`case ${name}\\s*:`, 'g'))?.length ?? 0;

describe('every op code has its case in the WGSL switches', () => {
  it('unary: one case per UNARY_OPS row, and the default returns unknown_op()', () => {
    for (const op of opNames(UNARY_OPS)) expect(caseCount(unarySource, `UNARY_${constantName(op)}`), op).toBe(1);
    expect(unarySource).toMatch(/default: \{ return unknown_op\(\); \}/);
  });

  it('binary and binary_vec4: one case per BINARY_OPS row, and their defaults make NaN', () => {
    for (const source of [binarySource, binaryVec4Source]) {
      for (const op of opNames(BINARY_OPS)) expect(caseCount(source, `BINARY_${constantName(op)}`), op).toBe(1);
      expect(source).toMatch(/default: \{[^}]*unknown_op\(\)[^}]*\}/);
    }
  });

  it('activate and activation_derivative: one case each per ACTIVATIONS row', () => {
    for (const activation of opNames(ACTIVATIONS)) {
      expect(caseCount(activationSource, `ACT_${constantName(activation)}`), activation).toBe(2);
    }
    expect(activationSource.match(/default: \{ return unknown_op\(\); \}/g)).toHaveLength(2);
  });

  it('codes are the rows in table order, one distinct code per op', () => {
    expect(Object.values(UNARY_CODES)).toEqual(opNames(UNARY_OPS).map((_, i) => i));
    expect(UNARY_CODES.addScalar).toBe(1);
    expect(new Set(Object.values(BINARY_CODES)).size).toBe(opNames(BINARY_OPS).length);
    expect(ACTIVATION_CODES.none).toBe(0);
  });
});

describe('an unknown op code makes NaN on the device', () => {
  /** Runs `spec` over 8 elements with `params` and returns `out`'s values. */
  async function run(
    spec: KernelSpec,
    inputs: Record<string, Float32Array>,
    out: string,
    params: Record<string, number | number[]>,
  ): Promise<number[]> {
    const upload = (v: Float32Array) => gpu.upload(v, [v.length]) as GpuTensor;
    const bindings = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, upload(v)]));
    const result = gpu.allocate('unknown op test', [8]);
    gpu.dispatch(spec, { ...bindings, [out]: result }, params, gpu.workgroupsFor(spec, 8));
    const values = await gpu.read(result);
    for (const t of [...Object.values(bindings), result]) gpu.release(t);
    return Array.from(values);
  }
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const nan = new Array<number>(8).fill(Number.NaN);

  it('unary with the code past the last op', async () => {
    const code = opNames(UNARY_OPS).length;
    expect(await run(unaryKernel, { x }, 'y', { size: 2, op: code, alpha: 1 })).toEqual(nan);
    // and a real code still computes (the same dispatch path, code of neg)
    const negated = await run(unaryKernel, { x }, 'y', { size: 2, op: UNARY_CODES.neg, alpha: 0 });
    expect(negated).toEqual(Array.from(x, (v) => -v));
  });

  it('binary (strided) and binary_vec4 with the code past the last op', async () => {
    const code = opNames(BINARY_OPS).length;
    const strided = { out_dims: [1, 1, 1, 8], a_strides: [0, 0, 0, 1], b_strides: [0, 0, 0, 1], size: 8, op: code };
    expect(await run(binaryKernel, { a: x, b: x }, 'out', strided)).toEqual(nan);
    const vec4 = { size: 2, op: code, a_layout: 0, b_layout: 0, member_size: 8, has_addend: 1 };
    expect(await run(binaryVec4Kernel, { a: x, b: x, addend: x }, 'out', vec4)).toEqual(nan);
  });

  it('activation_grad with the code past the last activation', async () => {
    const code = opNames(ACTIVATIONS).length;
    expect(await run(activationGradKernel, { y: x, dy: x }, 'dx', { size: 2, activation: code })).toEqual(nan);
  });
});

describe('unknown op names are refused alike on both backends', () => {
  for (const backend of [cpu, () => gpu] as const) {
    const name = typeof backend === 'function' ? 'webgpu' : 'cpu';
    it(name, () => {
      const be = typeof backend === 'function' ? backend() : backend;
      const t = be.fill([4], 1);
      expect(() => be.unary('cube' as UnaryOp, t)).toThrow(EngineError);
      expect(() => be.unary('cube' as UnaryOp, t)).toThrow(/unary: unknown op 'cube'; use one of scale, addScalar/);
      expect(() => be.binary('pow' as BinaryOp, t, t)).toThrow(/binary: unknown op 'pow'/);
      expect(() => be.activationGrad('gelu' as Activation, t, t)).toThrow(/unknown activation 'gelu'/);
      be.release(t);
    });
  }
});

describe('workgroup sizes come from the WGSL', () => {
  it('reads each kernel’s @workgroup_size by reflection', () => {
    expect(gpu.lanes(unaryKernel)).toBe(256);
    expect(gpu.workgroupsFor(unaryKernel, 257)).toEqual([2, 1, 1]);
  });

  it('a kernel whose WGSL declares 64 lanes gets 4× the workgroups and fills every element', async () => {
    const source = fillKernel.source.replace('const LANES: u32 = 256u;', 'const LANES: u32 = 64u;');
    expect(source).not.toBe(fillKernel.source);
    const narrowFill: KernelSpec = { name: 'fill-64-lanes', source, entryPoint: 'fill' };
    await gpu.compileKernels([narrowFill]);
    expect(gpu.lanes(narrowFill)).toBe(64);
    const vectors = 1000; // 4000 elements: 16 workgroups of 64 lanes, 4 of 256
    expect(gpu.workgroupsFor(narrowFill, vectors)).toEqual([16, 1, 1]);
    const out = gpu.allocate('fill', [4000]);
    gpu.dispatch(narrowFill, { out }, { size: vectors, value: 3.5 }, gpu.workgroupsFor(narrowFill, vectors));
    expect(await gpu.read(out)).toEqual(new Float32Array(4000).fill(3.5));
    gpu.release(out);
  });
});
