/**
 * What a kernel is, read from its WGSL. A kernel is one `@compute` entry point of a WGSL source;
 * its bind-group layout and the byte layout of its uniform parameter block come from the WGSL
 * itself through wgsl_reflect, never from hand-kept tables.
 *
 * Adding a kernel: write `src/engine/webgpu/kernels/<family>.wgsl` (storage buffers and at most one uniform
 * struct in @group(0)), declare a `KernelSpec` for each entry point in the family's launch
 * wrapper, list it in that wrapper's `...Kernels` array (the backend compiles those at creation),
 * and launch it with buffers and parameters named exactly as in the WGSL.
 */
import { ResourceType, WgslReflect, type FunctionInfo, type MemberInfo } from 'wgsl_reflect/wgsl_reflect.module.js';
import { EngineError, KernelError } from '../../backend';

/** A compute kernel: its name, WGSL source and entry point. */
export interface KernelSpec {
  /** Names the kernel in pipeline labels and in every KernelError. */
  readonly name: string;
  readonly source: string;
  readonly entryPoint: string;
}

/** How a binding is declared: `var<uniform>`, `var<storage, read>`, `var<storage, read_write>`. */
export type BindingKind = 'uniform' | 'read-only-storage' | 'storage';

export interface BindingSlot {
  readonly name: string;
  readonly binding: number;
  readonly kind: BindingKind;
}

/** One scalar or vector field of the uniform struct: `count` components of `scalar` at `offset`. */
export interface ParamField {
  readonly name: string;
  readonly offset: number;
  readonly scalar: 'u32' | 'i32' | 'f32';
  readonly count: number;
}

export interface ParamBlock {
  /** The uniform variable's name in the WGSL. */
  readonly name: string;
  readonly byteSize: number;
  readonly fields: readonly ParamField[];
}

export interface KernelLayout {
  readonly spec: KernelSpec;
  /** Every @group(0) binding the entry point uses, by binding number. */
  readonly bindings: readonly BindingSlot[];
  readonly params: ParamBlock | null;
  readonly workgroupSize: readonly [number, number, number];
}

/** Values for the uniform block's fields by name: a number for scalars, an array for vectors. */
export type ParamValues = Readonly<Record<string, number | readonly number[]>>;

/** WGSL `const NAME: u32 = value;` lines, prepended to a source so the TS op tables stay the one truth. */
export function u32Constants(constants: Readonly<Record<string, number>>): string {
  return Object.entries(constants)
    .map(([name, value]) => `const ${name}: u32 = ${value}u;\n`)
    .join('');
}

const reflections = new Map<string, WgslReflect>();

function reflectSource(spec: KernelSpec): WgslReflect {
  let reflection = reflections.get(spec.source);
  if (!reflection) {
    try {
      reflection = new WgslReflect(spec.source);
    } catch (error) {
      throw new KernelError(spec.name, `WGSL could not be parsed: ${(error as Error).message}`);
    }
    reflections.set(spec.source, reflection);
  }
  return reflection;
}

/** Component type and count of a uniform field type such as `u32`, `vec4u`, `vec4<f32>`. */
function fieldType(kernel: string, member: MemberInfo): { scalar: ParamField['scalar']; count: number } {
  const name = member.type.name;
  const scalars = ['u32', 'i32', 'f32'] as const;
  const plain = scalars.find((s) => s === name);
  if (plain) return { scalar: plain, count: 1 };
  const shorthand = /^vec([234])([uif])$/.exec(name);
  if (shorthand) return { scalar: `${shorthand[2]}32` as ParamField['scalar'], count: Number(shorthand[1]) };
  const templated = /^vec([234])$/.exec(name);
  const format = scalars.find((s) => s === member.format?.name);
  if (templated && format) return { scalar: format, count: Number(templated[1]) };
  throw new KernelError(kernel, `uniform field ${member.name} has type ${name}; use u32, i32, f32 or their vec2–4`);
}

function bindingKind(kernel: string, resourceType: ResourceType, access: string, name: string): BindingKind {
  if (resourceType === ResourceType.Uniform) return 'uniform';
  if (resourceType === ResourceType.Storage) return access === 'read' ? 'read-only-storage' : 'storage';
  throw new KernelError(kernel, `binding ${name} is not a buffer; kernels bind storage buffers and one uniform`);
}

/** Bindings, uniform block and workgroup size of one entry point, read from its WGSL. */
export function reflectKernel(spec: KernelSpec): KernelLayout {
  const entry: FunctionInfo | undefined = reflectSource(spec).entry.compute.find((f) => f.name === spec.entryPoint);
  if (!entry) throw new KernelError(spec.name, `no @compute entry point named ${spec.entryPoint} in its WGSL`);
  const bindings: BindingSlot[] = [];
  let params: ParamBlock | null = null;
  for (const resource of entry.resources) {
    if (resource.group !== 0)
      throw new KernelError(spec.name, `binding ${resource.name} is in @group(${resource.group}); use @group(0)`);
    const kind = bindingKind(spec.name, resource.resourceType, resource.access, resource.name);
    bindings.push({ name: resource.name, binding: resource.binding, kind });
    if (kind !== 'uniform') continue;
    if (params)
      throw new KernelError(
        spec.name,
        `has two uniform blocks (${params.name}, ${resource.name}); put all parameters in one struct`,
      );
    const members = resource.type.isStruct ? (resource.type as unknown as { members: MemberInfo[] }).members : [];
    params = {
      name: resource.name,
      byteSize: resource.size,
      fields: members.map((m) => ({ name: m.name, offset: m.offset, ...fieldType(spec.name, m) })),
    };
  }
  bindings.sort((x, y) => x.binding - y.binding);
  const [x, y, z] = entry.workgroupSize ?? [1, 1, 1];
  return { spec, bindings, params, workgroupSize: [x, y, z] };
}

/** The uniform block's bytes: every field of the struct must be given, and nothing else. */
export function packParams(layout: KernelLayout, values: ParamValues): ArrayBuffer {
  const block = layout.params;
  const kernel = layout.spec.name;
  if (!block) {
    if (Object.keys(values).length > 0) throw new KernelError(kernel, 'takes no uniform parameters');
    return new ArrayBuffer(0);
  }
  const bytes = new ArrayBuffer(block.byteSize);
  const view = new DataView(bytes);
  for (const name of Object.keys(values)) {
    if (!block.fields.some((f) => f.name === name)) throw new KernelError(kernel, `has no parameter ${name}`);
  }
  for (const field of block.fields) {
    const value = values[field.name];
    if (value === undefined) throw new KernelError(kernel, `parameter ${field.name} was not given`);
    const components = typeof value === 'number' ? [value] : value;
    if (components.length !== field.count) {
      throw new KernelError(kernel, `parameter ${field.name} needs ${field.count} values, got ${components.length}`);
    }
    components.forEach((v, i) => {
      const at = field.offset + 4 * i;
      if (field.scalar === 'f32') view.setFloat32(at, v, true);
      else if (field.scalar === 'i32') view.setInt32(at, v, true);
      else view.setUint32(at, v, true);
    });
  }
  return bytes;
}

/**
 * A workgroup count spread over a 2D grid, since each grid dimension holds at most `maxPerDim`
 * workgroups. Kernels recover the linear workgroup index as `wg.y · num_workgroups.x + wg.x`
 * and return early past `count`.
 */
export function spreadWorkgroups(count: number, maxPerDim: number): [number, number, number] {
  if (count <= maxPerDim) return [count, 1, 1];
  const rows = Math.ceil(count / maxPerDim);
  if (rows > maxPerDim) throw new EngineError(`dispatch of ${count} workgroups exceeds ${maxPerDim}² per grid`);
  return [Math.ceil(count / rows), rows, 1];
}
