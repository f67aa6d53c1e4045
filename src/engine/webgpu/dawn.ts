/**
 * Dawn, the WebGPU implementation that runs headless in Node (npm `webgpu`), loaded only when a
 * webgpu backend is asked for without a `GPU` of its own: its native module (`dawn.node`) needs
 * glibc ≥ 2.34, so importing it eagerly would stop every command on older systems, the CPU
 * reference included. A browser passes `navigator.gpu` instead and never reaches this file.
 */
let gpu: Promise<GPU> | null = null;

/** The process-wide `navigator.gpu` equivalent from Dawn (XDG_RUNTIME_DIR must be set). */
export function dawnGpu(): Promise<GPU> {
  gpu ??= loadDawn();
  return gpu;
}

async function loadDawn(): Promise<GPU> {
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (error) {
    gpu = null;
    const cause = (error as Error).message.split('\n')[0];
    throw new Error(
      `Dawn's native module (npm 'webgpu') could not load: ${cause} — it needs Linux with glibc ≥ 2.34, macOS or Windows; ` +
        `on older systems use the CPU reference (--backend cpu)`,
      { cause: error },
    );
  }
  // GPUBufferUsage, GPUMapMode, …: read as globals by the engine, as in a browser
  Object.assign(globalThis, dawn.globals);
  // full-precision timestamps for the profiler (Dawn rounds them by default)
  return dawn.create(['disable-dawn-features=timestamp_quantization']);
}
