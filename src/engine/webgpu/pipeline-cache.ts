/**
 * Compute pipelines, compiled once and then looked up synchronously while ops record: the kernels
 * a backend needs at once are compiled asynchronously and in parallel when it opens; any other
 * (a rarer matmul epilogue, another variant) compiles the first time it is asked for, then
 * stays. Shader modules are shared per source; pipelines are cached per (source, entry point).
 * Bind-group layouts are built from the reflected WGSL bindings.
 */
import { KernelError } from '../backend';
import { reflectKernel, type KernelLayout, type KernelSpec } from './kernels/kernel-registry';

export interface CompiledKernel {
  readonly layout: KernelLayout;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroupLayout: GPUBindGroupLayout;
}

function cacheKey(spec: KernelSpec): string {
  return `${spec.entryPoint}\n${spec.source}`;
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly compiled = new Map<string, CompiledKernel>();

  constructor(private readonly device: GPUDevice) {}

  /** Compiles every spec not yet cached, in parallel; the first failure becomes a KernelError. */
  async compileAll(specs: readonly KernelSpec[]): Promise<void> {
    const missing = specs.filter((spec) => !this.compiled.has(cacheKey(spec)));
    await Promise.all(missing.map((spec) => this.compile(spec)));
  }

  /**
   * The compiled kernel for `spec`, compiled now if `compileAll` did not (a WGSL error then shows
   * as a KernelError of the work that uses it, when that work is checked).
   */
  get(spec: KernelSpec): CompiledKernel {
    const key = cacheKey(spec);
    let kernel = this.compiled.get(key);
    if (!kernel) {
      const { layout, module, bindGroupLayout, pipelineLayout } = this.prepare(spec);
      const pipeline = this.device.createComputePipeline({
        label: spec.name,
        layout: pipelineLayout,
        compute: { module, entryPoint: spec.entryPoint },
      });
      kernel = { layout, pipeline, bindGroupLayout };
      this.compiled.set(key, kernel);
    }
    return kernel;
  }

  /** The reflected layout, shader module and bind-group and pipeline layouts of a spec. */
  private prepare(spec: KernelSpec) {
    const layout = reflectKernel(spec);
    const module = this.shaderModule(spec);
    const bindGroupLayout = this.device.createBindGroupLayout({
      label: spec.name,
      entries: layout.bindings.map((slot) => ({
        binding: slot.binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: slot.kind },
      })),
    });
    const pipelineLayout = this.device.createPipelineLayout({ label: spec.name, bindGroupLayouts: [bindGroupLayout] });
    return { layout, module, bindGroupLayout, pipelineLayout };
  }

  private async compile(spec: KernelSpec): Promise<void> {
    this.device.pushErrorScope('validation');
    const { layout, module, bindGroupLayout, pipelineLayout } = this.prepare(spec);
    const pending = this.device.createComputePipelineAsync({
      label: spec.name,
      layout: pipelineLayout,
      compute: { module, entryPoint: spec.entryPoint },
    });
    const scopeError = this.device.popErrorScope();
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await pending;
    } catch (error) {
      throw new KernelError(
        spec.name,
        `pipeline creation failed: ${await compilerMessages(module, (error as Error).message)}`,
      );
    }
    const validation = await scopeError;
    if (validation) throw new KernelError(spec.name, `pipeline creation failed: ${validation.message}`);
    this.compiled.set(cacheKey(spec), { layout, pipeline, bindGroupLayout });
  }

  private shaderModule(spec: KernelSpec): GPUShaderModule {
    let module = this.modules.get(spec.source);
    if (!module) {
      module = this.device.createShaderModule({ label: spec.name, code: spec.source });
      this.modules.set(spec.source, module);
    }
    return module;
  }
}

/** The WGSL compiler's own error lines (line:column and text), or the fallback message. */
async function compilerMessages(module: GPUShaderModule, fallback: string): Promise<string> {
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length === 0) return fallback;
  return errors.map((m) => `WGSL ${m.lineNum}:${m.linePos}: ${m.message}`).join('; ');
}
