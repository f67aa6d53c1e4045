/**
 * TensorFlow.js as peers: its cpu and webgpu backends, and its wasm backend both threaded
 * (tfjs-wasm-threads.ts) and single-threaded as the package starts it in Node (tfjs-wasm-single.ts),
 * on the same products as ours and the same VAE epoch (tfjs-vae.ts). For B > 1 models each peer
 * times both layouts — one batched tensor program, and a loop of single-model programs — and the
 * comparison takes the faster. On wasm every transpose is explicit and the loop comes first:
 * XNNPACK (SIMD) runs only an un-transposed product of one model; a transposed or batched one falls
 * back to a scalar loop.
 */
import { packageVersion } from '../machine';
import type { PeerConfig } from '../types';
import type { MatmulInputs, PeerBackend, PeerMatmul, PeerProduct, PeerSpec } from './peer-harness';
import { loopOverModels, VAE_NOTES, type VaeLayout } from './peer-vae';
import {
  disposeTfBackend,
  loadTfjs,
  tfSettle,
  useTfBackend,
  type LoadedTfjs,
  type Tf,
  type TfBackendName,
} from './tfjs-loader';
import { createTfVae } from './tfjs-vae';

type Tensor3 = ReturnType<Tf['tensor3d']>;

/** A tfjs peer: a backend, and for wasm which build (threaded, or the package's single-threaded one). */
export type TfPeerKind = 'cpu' | 'webgpu' | 'wasm' | 'wasm-single';

const backendOf = (kind: TfPeerKind): TfBackendName => (kind === 'wasm-single' ? 'wasm' : kind);

/** One batched product [1|B, M, K]·[1|B, K, N], or (loop) one product per batch member. */
function tfProduct(tf: Tf, m: PeerMatmul, inputs: MatmulInputs, layout: VaeLayout): PeerProduct {
  const a = tf.tensor3d(inputs.a, m.a as [number, number, number]);
  const b = tf.tensor3d(inputs.b, m.b as [number, number, number]);
  const batch = Math.max(m.a[0]!, m.b[0]!);
  const member = (t: Tensor3, i: number) =>
    t.shape[0] === 1 ? t : tf.slice(t, [i, 0, 0], [1, t.shape[1], t.shape[2]]);
  const members =
    layout === 'loop' && batch > 1
      ? Array.from({ length: batch }, (_, i) => [member(a, i), member(b, i)] as const)
      : null;
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
    ...(members ? { note: `${batch} separate products of one model` } : {}),
  };
}

const LAYOUTS_NOTE =
  'both layouts of B > 1 models timed (one batched [B, …] program; ' +
  'a loop of single-model programs), the faster taken';

async function configOf(loaded: LoadedTfjs, kind: TfPeerKind): Promise<PeerConfig> {
  const names = ['@tensorflow/tfjs-core', `@tensorflow/tfjs-backend-${backendOf(kind)}`];
  const packages = Object.fromEntries(names.map((p) => [p, packageVersion(p)]));
  const notes = [...VAE_NOTES];
  const batching =
    kind === 'wasm' || kind === 'wasm-single'
      ? `${LAYOUTS_NOTE}; transposes explicit (XNNPACK runs only un-transposed products of one model)`
      : `${LAYOUTS_NOTE}; transposes as matMul flags`;
  switch (kind) {
    case 'cpu':
      return { backend: 'cpu (plain JavaScript loops)', threads: 1, simd: false, batching, packages, notes };
    case 'webgpu':
      return {
        backend: 'webgpu on Dawn (the same adapter as cortex-vae)',
        threads: null,
        simd: null,
        batching,
        packages,
        notes,
      };
    case 'wasm': {
      const threads = loaded.wasm!.threads();
      return {
        backend: `wasm, threaded SIMD build (XNNPACK), ${threads} threads`,
        threads,
        simd: true,
        batching,
        packages,
        notes: [...VAE_NOTES, `threads: ${loaded.wasm!.how}`],
      };
    }
    case 'wasm-single': {
      const build = await loaded.wasmSingle!.build();
      return {
        backend: `wasm, the package's own start in Node: ${build} (XNNPACK) on 1 thread`,
        threads: 1,
        simd: build.includes('simd'),
        batching,
        packages,
        notes: [
          ...notes,
          "threads: none; the package's multithread check answers false in Node, " +
            'so it loads its single-threaded build',
        ],
      };
    }
  }
}

async function openTfjs(kind: TfPeerKind): Promise<PeerBackend> {
  const loaded = await loadTfjs();
  if ('reason' in loaded) throw new Error(loaded.reason);
  const name = backendOf(kind);
  if (!loaded.available[name]) throw new Error(loaded.missing[name] ?? `tfjs backend ${name} did not register`);
  if (kind === 'wasm') loaded.wasm!.register();
  else if (kind === 'wasm-single') {
    if (!loaded.wasmSingle) throw new Error('the wasm package registered no backend of its own on import');
    loaded.wasmSingle.register();
  } else if (!loaded.tf.findBackendFactory(name)) {
    throw new Error('disposed by an earlier benchmark run in this process');
  }
  const { tf } = loaded;
  await useTfBackend(tf, name);
  const onWasm = name === 'wasm';
  const transposes = onWasm ? 'explicit' : 'flags';
  // B = 1 runs the first layout (the two are the same work then)
  const layouts: VaeLayout[] = onWasm ? ['loop', 'batched'] : ['batched', 'loop'];
  return {
    config: await configOf(loaded, kind),
    matmul: async (m, inputs, layout) => tfProduct(tf, m, inputs, layout ?? layouts[0]!),
    matmulLayouts: layouts,
    vae: (inputs, layout) =>
      layout === 'loop'
        ? loopOverModels(inputs, (single) => createTfVae(tf, single, transposes))
        : createTfVae(tf, inputs, transposes),
    vaeLayouts: layouts,
    dispose: () => disposeTfBackend(loaded, name),
  };
}

export function tfjsPeers(): PeerSpec[] {
  return (['cpu', 'webgpu', 'wasm', 'wasm-single'] as const).map((kind) => ({
    name: `tfjs-${kind}`,
    package: `@tensorflow/tfjs-backend-${backendOf(kind)}`,
    open: () => openTfjs(kind),
  }));
}
