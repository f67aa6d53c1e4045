/**
 * TensorFlow.js as a peer, loaded only if installed (devDependencies): the module names are passed
 * through a variable so the bundler leaves them as runtime imports, and an absent package becomes
 * a reason in the result instead of a failure. The webgpu backend runs on the `webgpu` package's
 * Dawn through the `navigator.gpu` of node-navigator.ts; the wasm backend runs threaded through
 * tfjs-wasm-threads.ts, and single-threaded as the package starts it (tfjs-wasm-single.ts).
 */
import os from 'node:os';
import type * as TfCore from '@tensorflow/tfjs-core';
import { provideNavigator } from './node-navigator';
import { singleThreadedWasm, type SingleThreadedWasm } from './tfjs-wasm-single';
import { threadedWasm, type ThreadedWasm } from './tfjs-wasm-threads';

export type Tf = typeof TfCore;

export type TfBackendName = 'cpu' | 'webgpu' | 'wasm';

export interface LoadedTfjs {
  tf: Tf;
  /** Backends that registered, and why the others did not. */
  available: Partial<Record<TfBackendName, true>>;
  missing: Partial<Record<TfBackendName, string>>;
  /** The threaded wasm backend, when the package loaded. */
  wasm: ThreadedWasm | null;
  /** The package's own single-threaded wasm backend, when it loaded. */
  wasmSingle: SingleThreadedWasm | null;
}

const importAtRuntime = (name: string): Promise<unknown> => import(name);

let loaded: Promise<LoadedTfjs | { reason: string }> | null = null;

async function load(): Promise<LoadedTfjs | { reason: string }> {
  let tf: Tf;
  try {
    const ns = (await importAtRuntime('@tensorflow/tfjs-core')) as Tf & { default?: Tf };
    tf = typeof ns.matMul === 'function' ? ns : ns.default!;
  } catch (error) {
    return {
      reason: `@tensorflow/tfjs-core is not installed (${(error as Error).message.split('\n')[0]}); npm install -D @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu`,
    };
  }
  const available: LoadedTfjs['available'] = {};
  const missing: LoadedTfjs['missing'] = {};
  try {
    await importAtRuntime('@tensorflow/tfjs-backend-cpu');
    available.cpu = true;
  } catch (error) {
    missing.cpu = `@tensorflow/tfjs-backend-cpu could not be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
  try {
    provideNavigator();
    await importAtRuntime('@tensorflow/tfjs-backend-webgpu');
    if (tf.findBackendFactory('webgpu')) available.webgpu = true;
    else missing.webgpu = 'tfjs-backend-webgpu did not register (no navigator.gpu)';
  } catch (error) {
    missing.webgpu = `@tensorflow/tfjs-backend-webgpu could not be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
  let wasm: ThreadedWasm | null = null;
  let wasmSingle: SingleThreadedWasm | null = null;
  try {
    const wasmPackage = (await importAtRuntime('@tensorflow/tfjs-backend-wasm')) as Parameters<typeof threadedWasm>[1];
    const packageFactory = tf.findBackendFactory('wasm');
    if (packageFactory) wasmSingle = singleThreadedWasm(tf, packageFactory);
    wasm = threadedWasm(tf, wasmPackage, os.availableParallelism());
    available.wasm = true;
  } catch (error) {
    missing.wasm = `@tensorflow/tfjs-backend-wasm could not be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
  return { tf, available, missing, wasm, wasmSingle };
}

/** Loads tfjs once per process. */
export function loadTfjs(): Promise<LoadedTfjs | { reason: string }> {
  loaded ??= load();
  return loaded;
}

/** Switches tfjs to `name`; throws with tfjs's reason when the backend cannot start. */
export async function useTfBackend(tf: Tf, name: TfBackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/**
 * Waits until tfjs's device work is done. webgpu: end the open compute pass and submit, as tfjs
 * itself does before a readback, then wait for the queue; cpu ops are synchronous.
 */
export async function tfSettle(tf: Tf): Promise<void> {
  const backend = tf.backend() as {
    device?: GPUDevice;
    ensureCommandEncoderReady?: () => void;
    endComputePassEncoder?: () => void;
    submitQueue?: () => void;
  };
  if (backend.device && backend.ensureCommandEncoderReady && backend.endComputePassEncoder && backend.submitQueue) {
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.submitQueue();
    await backend.device.queue.onSubmittedWorkDone();
  }
}

/** Frees a tfjs backend: webgpu's Dawn device and wasm's worker threads would keep the process alive. */
export function disposeTfBackend(loaded: LoadedTfjs, name: TfBackendName): void {
  if (name === 'wasm') {
    loaded.wasm?.dispose();
    loaded.wasmSingle?.dispose();
    return;
  }
  const backend = loaded.tf.findBackend(name) as { device?: GPUDevice } | null;
  const device = backend?.device;
  loaded.tf.removeBackend(name);
  device?.destroy();
}
