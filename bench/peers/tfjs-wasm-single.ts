/**
 * TensorFlow.js's wasm backend as the package starts it in Node: its own registration, which picks
 * the SIMD build and runs it on one thread (its multithread check answers false there; see
 * tfjs-wasm-threads.ts). On small products one thread is faster than the threaded build, whose
 * pool costs more to wake than the work takes, so the bench times both as separate peers.
 */
import type { Tf } from './tfjs-loader';

type Factory = NonNullable<ReturnType<Tf['findBackendFactory']>>;

export interface SingleThreadedWasm {
  /** Registers the package's own backend as tfjs's 'wasm' (it starts on setBackend('wasm')). */
  register: () => void;
  /** Removes the backend. */
  dispose: () => void;
  /** Which build the package chose, for the result file (after it started). */
  build: () => Promise<string>;
}

/** Priority the package registers 'wasm' with. */
const WASM_PRIORITY = 2;

/** `factory`: the 'wasm' factory the package registered on import, taken before anything replaces it. */
export function singleThreadedWasm(tf: Tf, factory: Factory): SingleThreadedWasm {
  return {
    register: () => {
      if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
      tf.registerBackend('wasm', factory, WASM_PRIORITY);
    },
    dispose: () => {
      if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
    },
    build: async () => {
      const flag = (name: string) => tf.env().getAsync(name);
      const [simd, threads] = await Promise.all([flag('WASM_HAS_SIMD_SUPPORT'), flag('WASM_HAS_MULTITHREAD_SUPPORT')]);
      return `tfjs-backend-wasm${threads ? '-threaded' : ''}${simd ? '-simd' : ''}.wasm`;
    },
  };
}
