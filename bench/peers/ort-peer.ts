/**
 * onnxruntime-web's wasm execution provider (its SIMD + threads build) as a matmul peer: it runs
 * inference graphs and has no training, so it takes part in the matmul cases only. Each product is
 * a one-node ONNX model (onnx-matmul-model.ts); every run copies the inputs into the wasm heap and
 * the output out of it, as ORT's API does. Its thread count is set with `env.wasm.numThreads` and
 * checked: the process must gain numThreads − 1 OS threads (ORT's pthread workers) when it starts.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import type * as Ort from 'onnxruntime-web';
import { packageVersion } from '../machine';
import type { MatmulInputs, PeerBackend, PeerMatmul, PeerProduct, PeerSpec } from './peer-harness';
import { onnxMatmulModel } from './onnx-matmul-model';

type OrtModule = typeof Ort;

const PACKAGE = 'onnxruntime-web';
const importAtRuntime = (name: string): Promise<unknown> => import(name);

/** OS threads of this process, where Linux's /proc tells; null elsewhere. */
function osThreads(): number | null {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
}

function outputShape(m: PeerMatmul): number[] {
  return [Math.max(m.a[0]!, m.b[0]!), m.a[1]!, m.b[2]!];
}

async function ortProduct(ort: OrtModule, m: PeerMatmul, inputs: MatmulInputs): Promise<PeerProduct> {
  const session = await ort.InferenceSession.create(onnxMatmulModel(m.a, m.b, outputShape(m)), {
    executionProviders: ['wasm'],
  });
  const feeds = { a: new ort.Tensor('float32', inputs.a, [...m.a]), b: new ort.Tensor('float32', inputs.b, [...m.b]) };
  return {
    run: async (launches) => {
      for (let i = 0; i < launches; i++) await session.run(feeds);
    },
    output: async () => (await session.run(feeds)).c!.data as Float32Array,
    dispose: () => void session.release(),
  };
}

/** Threads the runtime started with, counted once per process (null: not countable here). */
let started: Promise<number | null> | null = null;

async function startRuntime(ort: OrtModule, requested: number): Promise<number | null> {
  ort.env.wasm.numThreads = requested;
  const before = osThreads();
  // the first session starts the runtime and its thread pool
  const probe = await ortProduct(
    ort,
    { case: 'probe', a: [1, 1, 1], b: [1, 1, 1] },
    { a: new Float32Array(1), b: new Float32Array(1), expected: new Float32Array(1) },
  );
  await probe.output();
  probe.dispose();
  const after = osThreads();
  return before !== null && after !== null ? 1 + after - before : null;
}

async function openOrt(): Promise<PeerBackend> {
  const ort = (await importAtRuntime(PACKAGE)) as OrtModule;
  const requested = os.availableParallelism();
  started ??= startRuntime(ort, requested);
  const threads = await started;
  if (threads !== null && threads !== requested)
    throw new Error(`env.wasm.numThreads = ${requested} but the runtime started ${threads} threads`);
  return {
    config: {
      backend: `wasm (SIMD + threads build), ${requested} threads`,
      threads: requested,
      simd: true,
      batching: 'one MatMul node broadcasting over the batch',
      packages: { [PACKAGE]: packageVersion(PACKAGE) },
      notes: [
        threads === null
          ? `threads: env.wasm.numThreads = ${requested} (not verified: no /proc/self/task)`
          : `threads: env.wasm.numThreads = ${requested} = os.availableParallelism(); verified: the process gained ${threads - 1} worker threads when the runtime started`,
        'matmul only: onnxruntime-web runs inference graphs and has no training (no gradients, no optimiser)',
      ],
    },
    matmul: (m, inputs) => ortProduct(ort, m, inputs),
    vae: null,
    vaeLayouts: [],
    vaeUnavailable: 'onnxruntime-web has no training (inference graphs only)',
    dispose: () => undefined,
  };
}

export function ortPeers(): PeerSpec[] {
  return [{ name: 'onnxruntime-wasm', package: PACKAGE, open: openOrt }];
}
