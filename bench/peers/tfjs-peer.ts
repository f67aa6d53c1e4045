/**
 * TensorFlow.js on its cpu, webgpu and wasm backends, as peers: the same products as ours and the
 * same VAE epoch (tfjs-vae.ts). cpu and webgpu run B models as one batched tensor program; wasm
 * runs one model after another with un-transposed 2-D products, its only XNNPACK (SIMD, threaded)
 * path (a batched or transposed product falls back to a scalar loop).
 */
import { packageVersion } from '../machine';
import type { PeerConfig } from '../types';
import type { MatmulInputs, PeerBackend, PeerMatmul, PeerProduct, PeerSpec } from './peer-harness';
import { loopOverModels, VAE_NOTES } from './peer-vae';
import { disposeTfBackend, loadTfjs, tfSettle, useTfBackend, type LoadedTfjs, type Tf, type TfBackendName } from './tfjs-loader';
import { createTfVae } from './tfjs-vae';

type Tensor3 = ReturnType<Tf['tensor3d']>;

/** One batched product [1|B, M, K]·[1|B, K, N], or (wasm) one 2-D product per batch member. */
function tfProduct(tf: Tf, m: PeerMatmul, inputs: MatmulInputs, perMember: boolean): PeerProduct {
  const a = tf.tensor3d(inputs.a, m.a as [number, number, number]);
  const b = tf.tensor3d(inputs.b, m.b as [number, number, number]);
  const batch = Math.max(m.a[0]!, m.b[0]!);
  const member = (t: Tensor3, i: number) => (t.shape[0] === 1 ? t : tf.slice(t, [i, 0, 0], [1, t.shape[1], t.shape[2]]));
  const members = perMember && batch > 1 ? Array.from({ length: batch }, (_, i) => [member(a, i), member(b, i)] as const) : null;
  const launch = (): Tensor3[] => (members ? members.map(([x, y]) => tf.matMul(x, y)) : [tf.matMul(a, b)]);
  return {
    run: async (launches) => {
      const outs = Array.from({ length: launches }, launch).flat();
      await tfSettle(tf);
      tf.dispose(outs);
    },
    output: async () => {
      const outs = launch();
      const joined = outs.length === 1 ? outs[0]! : tf.concat(outs, 0);
      const data = (await joined.data()) as Float32Array;
      tf.dispose([...outs, joined]);
      return data;
    },
    dispose: () => tf.dispose([a, b, ...(members?.flat() ?? [])]),
    ...(members ? { note: `${batch} separate 2-D products (tfjs-wasm runs a batched product in a scalar loop, without XNNPACK)` } : {}),
  };
}

function configOf(loaded: LoadedTfjs, name: TfBackendName): PeerConfig {
  const packages = Object.fromEntries(['@tensorflow/tfjs-core', `@tensorflow/tfjs-backend-${name}`].map((p) => [p, packageVersion(p)]));
  switch (name) {
    case 'cpu':
      return { backend: 'cpu (plain JavaScript loops)', threads: 1, simd: false, batching: 'batched: one [B, …] tensor program', packages, notes: [...VAE_NOTES] };
    case 'webgpu':
      return { backend: 'webgpu on Dawn (the same adapter as cortex-vae)', threads: null, simd: null, batching: 'batched: one [B, …] tensor program', packages, notes: [...VAE_NOTES] };
    case 'wasm': {
      const threads = loaded.wasm!.threads();
      return {
        backend: `wasm, threaded SIMD build (XNNPACK), ${threads} threads`, threads, simd: true,
        batching: 'one model after another (XNNPACK runs only un-transposed 2-D products; transposes are explicit)', packages,
        notes: [...VAE_NOTES, `threads: ${loaded.wasm!.how}`],
      };
    }
  }
}

async function openTfjs(name: TfBackendName): Promise<PeerBackend> {
  const loaded = await loadTfjs();
  if ('reason' in loaded) throw new Error(loaded.reason);
  if (!loaded.available[name]) throw new Error(loaded.missing[name] ?? `tfjs backend ${name} did not register`);
  if (name === 'wasm') loaded.wasm!.register();
  else if (!loaded.tf.findBackendFactory(name)) throw new Error('disposed by an earlier benchmark run in this process');
  const { tf } = loaded;
  await useTfBackend(tf, name);
  const perModel = name === 'wasm';
  return {
    config: configOf(loaded, name),
    matmul: async (m, inputs) => tfProduct(tf, m, inputs, perModel),
    vae: (inputs, layout) => (layout === 'loop' ? loopOverModels(inputs, (single) => createTfVae(tf, single, 'explicit')) : createTfVae(tf, inputs)),
    vaeLayouts: [perModel ? 'loop' : 'batched'],
    dispose: () => disposeTfBackend(loaded, name),
  };
}

export function tfjsPeers(): PeerSpec[] {
  return (['cpu', 'webgpu', 'wasm'] as const).map((name) => ({
    name: `tfjs-${name}`,
    package: `@tensorflow/tfjs-backend-${name}`,
    open: () => openTfjs(name),
  }));
}
