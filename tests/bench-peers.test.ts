/**
 * The bench's peers do cortex-vae's math: on a tiny shape, each peer's VAE (TensorFlow.js batched
 * and one model at a time, tfjs's threaded wasm, jax-js on wasm) trains three epochs from
 * trainVae's initial weights with trainVae's ε and must give trainVae's losses and weights on the
 * cpu reference (forward, hand-written or automatic backward, Adam). Plus what the comparison rests
 * on: the hand-encoded ONNX model, the thread counts the peers claim, and the ratio fields.
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { compareOutputs } from '../bench/accuracy';
import { ringLattice } from '../bench/graphs';
import { peerComparisons } from '../bench/peers/comparisons';
import { jaxPeers } from '../bench/peers/jax-peer';
import { loopOverModels, type PeerVae, type PeerVaeInputs } from '../bench/peers/peer-vae';
import { createJaxVae } from '../bench/peers/jax-vae';
import { ortPeers } from '../bench/peers/ort-peer';
import { loadTfjs, useTfBackend, type LoadedTfjs } from '../bench/peers/tfjs-loader';
import { createTfVae } from '../bench/peers/tfjs-vae';
import { summarize } from '../bench/timing';
import type { TrainData } from '../bench/train-data';
import type { KernelRow, PeerResult, TrainingRow } from '../bench/types';
import { CpuBackend } from '../src/engine/cpu/backend';
import { matmulCpu } from '../src/engine/cpu/matmul';
import { reparameterizeCpu } from '../src/engine/cpu/random';
import { Engine } from '../src/engine/engine';
import { initialWeights, PARAMETER_NAMES, trainVae } from '../src/model';
import { laplacianCsr } from '../src/pipeline/data/graph';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

const [N, G, H, K] = [10, 7, 8, 3];
const SEEDS = [3, 9];
const EPOCHS = 3;

function tinyInputs(): PeerVaeInputs {
  const graph = ringLattice(N, 2);
  const wave = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));
  const data: TrainData = {
    shape: { name: 'shipped', regions: N, genes: G, hidden: H, latent: K, edges: graph.edges.length, source: 'test' },
    x: wave(N * G, 1),
    y: wave(N, 2),
    laplacian: laplacianCsr(graph, 'normalized'),
  };
  return {
    data,
    // held-out regions: the target MSE must skip them and divide by the count of the others
    mask: Float32Array.from({ length: N }, (_, n) => (n % 4 === 0 ? 0 : 1)),
    weights: { beta: 0.5, alpha: 2, lambda: 0.7 },
    initial: initialWeights({ inputSize: G, hiddenSize: H, latentSize: K }, SEEDS),
  };
}

/** trainVae on the cpu reference: each epoch's loss per model, and the weights after EPOCHS epochs. */
async function reference(inputs: PeerVaeInputs) {
  const { data, mask, weights } = inputs;
  const result = await trainVae({
    engine: new Engine(new CpuBackend()),
    X: data.x,
    xShape: [1, N, G],
    laplacian: data.laplacian,
    edgeCount: data.shape.edges,
    tasks: SEEDS.map((seed) => ({ y: data.y, trainMask: Uint8Array.from(mask), seed })),
    config: { hiddenSize: H, latentSize: K, epochs: EPOCHS, logEvery: 1, klWarmupEpochs: 0, ...weights },
  });
  return { losses: result.history.map((h) => h.map((e) => e.total)), weights: result.weights! };
}

/** The ε trainVae draws at this epoch: its Philox stream keyed by the tasks' seeds and the step. */
function engineEps(step: number): Float32Array {
  const size = SEEDS.length * N * K;
  return reparameterizeCpu({ data: new Float32Array(size), shape: [SEEDS.length, N, K] }, new Float32Array(size), {
    seeds: Uint32Array.from(SEEDS),
    step,
  }).eps;
}

async function expectSameMath(make: (inputs: PeerVaeInputs) => PeerVae): Promise<void> {
  const inputs = tinyInputs();
  const expected = await reference(inputs);
  const vae = make(inputs);
  try {
    for (let epoch = 1; epoch <= EPOCHS; epoch++) {
      vae.step(engineEps(epoch));
      const losses = await vae.lastLosses();
      SEEDS.forEach((_, b) => {
        const want = expected.losses[b]![epoch - 1]!;
        expect(
          Math.abs(losses[b]! - want) / Math.abs(want),
          `model ${b}, epoch ${epoch}: ${losses[b]} vs ${want}`,
        ).toBeLessThan(1e-5);
      });
    }
    const weights = await vae.weights();
    for (const name of PARAMETER_NAMES) {
      const { maxScaledError } = compareOutputs([weights.tensors[name]], [expected.weights.tensors[name]]);
      expect(maxScaledError, `${name} after ${EPOCHS} epochs`).toBeLessThan(1e-5);
    }
    // the epochs moved every weight matrix: the comparison is not of untouched initial values
    const initial = inputs.initial.tensors['encoder.w1'];
    expect(compareOutputs([weights.tensors['encoder.w1']], [initial]).maxAbsError).toBeGreaterThan(1e-3);
  } finally {
    vae.dispose();
  }
}

async function tfjs(): Promise<LoadedTfjs> {
  const loaded = await loadTfjs();
  if ('reason' in loaded) throw new Error(loaded.reason);
  return loaded;
}

describe('each peer VAE trains as trainVae does on the cpu reference', () => {
  it('TensorFlow.js, B models batched, transposes as matMul flags', async () => {
    const { tf } = await tfjs();
    await useTfBackend(tf, 'cpu');
    await expectSameMath((inputs) => createTfVae(tf, inputs));
  });

  it('TensorFlow.js, one model after another, explicit transposes', async () => {
    const { tf } = await tfjs();
    await useTfBackend(tf, 'cpu');
    await expectSameMath((inputs) => loopOverModels(inputs, (single) => createTfVae(tf, single, 'explicit')));
  });

  it('TensorFlow.js on its threaded wasm backend, with the threads it was given', async () => {
    const loaded = await tfjs();
    loaded.wasm!.register();
    try {
      await useTfBackend(loaded.tf, 'wasm');
      expect(loaded.wasm!.threads()).toBe(os.availableParallelism());
      await expectSameMath((inputs) => loopOverModels(inputs, (single) => createTfVae(loaded.tf, single, 'explicit')));
    } finally {
      loaded.wasm!.dispose();
      await useTfBackend(loaded.tf, 'cpu');
    }
  });

  it.each(['loop', 'batched'] as const)(
    'TensorFlow.js on the single-threaded wasm build the package starts in Node, %s, explicit transposes',
    async (layout) => {
      const loaded = await tfjs();
      loaded.wasmSingle!.register();
      try {
        await useTfBackend(loaded.tf, 'wasm');
        expect(await loaded.wasmSingle!.build()).toBe('tfjs-backend-wasm-simd.wasm');
        await expectSameMath((inputs) =>
          layout === 'loop'
            ? loopOverModels(inputs, (single) => createTfVae(loaded.tf, single, 'explicit'))
            : createTfVae(loaded.tf, inputs, 'explicit'),
        );
      } finally {
        loaded.wasmSingle!.dispose();
        await useTfBackend(loaded.tf, 'cpu');
      }
    },
  );

  it('jax-js on wasm, batched, valueAndGrad and Adam in one jit step', async () => {
    const wasm = jaxPeers().find((p) => p.name === 'jax-wasm')!;
    const peer = await wasm.open();
    try {
      expect(peer.config.threads).toBe(os.availableParallelism());
      const jax = await import('@jax-js/jax');
      await expectSameMath((inputs) => createJaxVae(jax, inputs));
    } finally {
      await peer.dispose();
    }
  });
});

describe('onnxruntime-web peer', () => {
  it('runs the hand-encoded MatMul model with broadcasting, on the threads it claims', async () => {
    const peer = await ortPeers()[0]!.open();
    try {
      expect(peer.config.threads).toBe(os.availableParallelism());
      const a = Float32Array.from({ length: 1 * 3 * 4 }, (_, i) => Math.cos(i));
      const b = Float32Array.from({ length: 2 * 4 * 5 }, (_, i) => Math.sin(i));
      const expected = matmulCpu(
        { data: a, shape: [1, 3, 4] },
        { data: b, shape: [2, 4, 5] },
        false,
        false,
        undefined,
        'none',
      ).data;
      const product = await peer.matmul({ case: 'test', a: [1, 3, 4], b: [2, 4, 5] }, { a, b, expected });
      expect(compareOutputs([await product.output()], [expected]).maxScaledError).toBeLessThan(1e-6);
      product.dispose();
    } finally {
      await peer.dispose();
    }
  });
});

describe('peer comparisons', () => {
  const timing = summarize([10], 1);
  const kernel = (name: string, gflops: number): KernelRow => ({
    group: 'matmul',
    name,
    shape: '',
    status: 'ok',
    subject: timing,
    reference: timing,
    speedup: 1,
    subjectGflops: gflops,
    referenceGflops: 1,
    subjectGBps: null,
    referenceGBps: null,
    maxAbsError: 0,
    maxScaledError: 0,
    tolerance: 1e-4,
    withinTolerance: true,
  });
  const training: TrainingRow = {
    shape: 'shipped',
    backend: 'webgpu',
    batch: 4,
    status: 'ok',
    epoch: timing,
    modelsEpochsPerSecond: 40,
    runs: 1,
    logEvery: 1,
    firstLoss: 1,
  };
  const vae = { case: 'VAE epoch shipped B=4', data: tinyInputs().data, batch: 4 };
  const peers: PeerResult[] = [
    {
      name: 'fast-but-wrong',
      version: '1',
      status: 'ok',
      rows: [{ case: 'matmul 8³', workload: '', shape: '', status: 'ok', timing, gflops: 100, withinTolerance: false }],
    },
    {
      name: 'a',
      version: '1',
      status: 'ok',
      rows: [
        { case: 'matmul 8³', workload: '', shape: '', status: 'ok', timing, gflops: 5, withinTolerance: true },
        {
          case: 'VAE epoch shipped B=4',
          workload: '',
          shape: 'B=4, batched',
          status: 'ok',
          timing,
          gflops: null,
          modelsEpochsPerSecond: 7,
        },
        {
          case: 'VAE epoch shipped B=4',
          workload: '',
          shape: 'B=4, loop',
          status: 'ok',
          timing,
          gflops: null,
          modelsEpochsPerSecond: 10,
          note: 'loop',
        },
      ],
    },
    {
      name: 'b',
      version: '1',
      status: 'ok',
      rows: [
        { case: 'matmul 8³', workload: '', shape: '', status: 'ok', timing, gflops: 8, withinTolerance: true },
        {
          case: 'VAE epoch shipped B=4',
          workload: '',
          shape: '',
          status: 'unavailable',
          reason: 'unavailable: boom',
          timing: null,
          gflops: null,
        },
      ],
    },
  ];

  it('divides cortex-vae by the fastest configuration of any peer that ran the case and matched the reference', () => {
    const [matmul, epoch] = peerComparisons(
      [{ case: 'matmul 8³', a: [1, 8, 8], b: [1, 8, 8], kernelRow: 'matmul 8³ [registers]' }],
      [vae],
      [kernel('matmul 8³ [registers]', 4)],
      [training],
      peers,
    );
    expect(matmul).toMatchObject({ cortexVae: 4, bestPeer: { name: 'b', value: 8 }, ratio: 0.5 });
    expect(epoch).toMatchObject({
      cortexVae: 40,
      bestPeer: { name: 'a', configuration: 'B=4, loop', value: 10, note: 'loop' },
      ratio: 4,
    });
  });

  it('gives the reason when a side is missing', () => {
    const [matmul, epoch] = peerComparisons(
      [{ case: 'matmul 8³', a: [1, 8, 8], b: [1, 8, 8], kernelRow: 'absent' }],
      [{ ...vae, case: 'VAE epoch shipped B=99' }],
      [],
      [training],
      peers,
    );
    expect(matmul!.ratio).toBeNull();
    expect(matmul!.reason).toMatch(/cortex-vae has no result/);
    expect(epoch!.ratio).toBeNull();
    expect(epoch!.reason).toMatch(/cortex-vae has no result|no peer/);
  });
});
