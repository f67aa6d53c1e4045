/**
 * TensorFlow.js's wasm backend with its threads, in Node. Out of the box it runs single-threaded
 * there: its multithread check answers false in Node (tfjs issue 3830: the pthread worker script is
 * a blob: URL, which Node's worker_threads cannot start), and its C++ caps the XNNPACK pool at
 * min(requested, logical cores / 2), assuming two hardware threads per core.
 *
 * This loader instantiates the package's own threaded SIMD build (wasm-out/
 * tfjs-backend-wasm-threaded-simd.{js,wasm}) the way Emscripten runs pthreads in Node: the worker
 * script (the package's `wasmWorkerContents`) is written to a file the workers start from. The
 * only import the wasm uses to size the cap, emscripten_num_logical_cores, is answered with
 * 2 × the requested threads, so the pool gets exactly the threads asked for (read back with
 * get_threads_count and recorded). Everything else is the package's code, unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Tf } from './tfjs-loader';

interface EmscriptenModule {
  cwrap: (name: string, returns: string | null, args: string[]) => (...args: unknown[]) => unknown;
  PThread: { terminateAllThreads: () => void };
  tfjs?: Record<string, (...args: unknown[]) => unknown>;
}

/** WebAssembly as far as this file uses it (the project's lib has no DOM/WebAssembly types). */
type WasmImports = Record<string, object>;
interface Instantiated {
  instance: object;
  module: object;
}
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: { instantiate(binary: Uint8Array, imports: WasmImports): Promise<Instantiated> };
};

type Factory = (config: {
  locateFile: (path: string, prefix: string) => string;
  instantiateWasm: (imports: WasmImports, receive: (instance: object, module: object) => void) => object;
}) => Promise<EmscriptenModule>;

interface WasmPackage {
  BackendWasm: new (module: EmscriptenModule) => object;
  setThreadsCount: (threads: number) => void;
  getThreadsCount: () => number;
}

export interface ThreadedWasm {
  /** Registers the threaded backend as tfjs's 'wasm' (it starts on setBackend('wasm')). */
  register: () => void;
  /** Threads in tfjs's XNNPACK pool (the main thread included), as the wasm reports them. */
  threads: () => number;
  /** Removes the backend and ends its worker threads, so the process can exit. */
  dispose: () => void;
  /** How the threads were obtained, for the result file. */
  how: string;
}

/** Priority the package registers 'wasm' with. */
const WASM_PRIORITY = 2;

/** The package's threaded build, ready to register as tfjs's 'wasm' backend with `requestedThreads`. */
export function threadedWasm(tf: Tf, wasmPackage: WasmPackage, requestedThreads: number): ThreadedWasm {
  const require = createRequire(`${process.cwd()}/package.json`);
  const factoryFile = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const factory = require(factoryFile) as Factory;
  const { wasmWorkerContents } =
    require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
      wasmWorkerContents: string;
    };
  const binary = readFileSync(join(dirname(factoryFile), 'tfjs-backend-wasm-threaded-simd.wasm'));
  let folder: string | null = null;
  let module: EmscriptenModule | null = null;

  const start = async () => {
    folder = mkdtempSync(join(tmpdir(), 'cortex-vae-tfjs-wasm-'));
    const workerFile = join(folder, 'worker.cjs');
    // the package escapes newlines the same way before it makes its blob
    writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
    module = await factory({
      locateFile: (path, prefix) => (path.endsWith('.worker.js') ? workerFile : prefix + path),
      instantiateWasm: (imports, receive) => {
        const env = { ...imports.env, emscripten_num_logical_cores: () => 2 * requestedThreads };
        void wasmApi
          .instantiate(binary, { ...imports, env })
          .then(({ instance, module: compiled }) => receive(instance, compiled));
        return {};
      },
    });
    // the wrappers the package's own init() attaches
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    wasmPackage.setThreadsCount(requestedThreads);
    return new wasmPackage.BackendWasm(module) as Awaited<ReturnType<Parameters<Tf['registerBackend']>[1]>>;
  };

  return {
    register: () => {
      if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
      tf.registerBackend('wasm', start, WASM_PRIORITY);
    },
    threads: () => wasmPackage.getThreadsCount(),
    dispose: () => {
      if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
      module?.PThread.terminateAllThreads();
      module = null;
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = null;
    },
    how: `the package's threaded SIMD build started with a file worker (its own Node check turns threads off: blob: worker) and ${requestedThreads} threads requested (os.availableParallelism); its cap of logical cores / 2 answered with 2 × ${requestedThreads}`,
  };
}
