/**
 * The parts of a browser's `navigator` the peers read, which Node 20 lacks: `gpu` (Dawn, from the
 * same `webgpu` package cortex-vae uses; tfjs-backend-webgpu registers only if it exists),
 * `userAgent` (jax-js's webgpu backend reads it to spot Firefox) and `hardwareConcurrency` (the
 * size of jax-js's wasm worker pool; ORT's default thread count).
 */
import os from 'node:os';
import { create, globals } from 'webgpu';

interface NodeNavigator {
  gpu?: unknown;
  userAgent?: string;
  hardwareConcurrency?: number;
}

/** Adds what is missing, keeps what is there. */
export function provideNavigator(): void {
  const existing = (globalThis as { navigator?: NodeNavigator }).navigator;
  if (existing?.gpu && existing.userAgent && existing.hardwareConcurrency) return;
  // GPUBufferUsage, GPUMapMode, …: the libraries read them as globals, as in a browser
  Object.assign(globalThis, globals);
  const value: NodeNavigator = {
    ...(existing ?? {}),
    gpu: existing?.gpu ?? create([]),
    userAgent: existing?.userAgent ?? `Node.js/${process.version}`,
    hardwareConcurrency: existing?.hardwareConcurrency ?? os.availableParallelism(),
  };
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });
}
