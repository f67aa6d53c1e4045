// The engine without the VAE: a one-hidden-layer network ŷ = tanh(x·W1 + b1)·W2 + b2 fitted to
// y = sin(3x) by Adam, with tensors, the tape and the fused ops of cortex-vae's engine.
//   node engine-for-another-model.mjs [cpu|webgpu]
import { Adam, CpuBackend, Engine, ops, requestGpuBackend } from 'cortex-vae';

async function openBackend(choice) {
  if (choice === 'cpu') return new CpuBackend();
  const gpu = await requestGpuBackend();
  if ('backend' in gpu) return gpu.backend;
  if (choice === 'webgpu') throw new Error(`WebGPU is unavailable: ${gpu.reason}`);
  return new CpuBackend();
}

const engine = new Engine(await openBackend(process.argv[2]));
const N = 64;
const H = 16;
// shapes are [batch, rows, columns]: one batch member, N points
const xs = Float32Array.from({ length: N }, (_, i) => -1 + (2 * i) / (N - 1));
const x = engine.tensor(xs, [1, N, 1]);
const y = engine.tensor(
  xs.map((v) => Math.sin(3 * v)),
  [1, N, 1],
);

let seed = 3;
const normal = (scale) => (length) =>
  Float32Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return scale * (seed / 2 ** 31 - 0.5) * 3.4;
  });
const w1 = engine.param(normal(1)(H), [1, 1, H]);
const b1 = engine.param(new Float32Array(H), [1, 1, H]);
const w2 = engine.param(normal(1 / Math.sqrt(H))(H), [1, H, 1]);
const b2 = engine.param(new Float32Array(1), [1, 1, 1]);
const params = [w1, b1, w2, b2];
const adam = new Adam(params, { learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });

// loss = mean (ŷ − y)², one scalar per batch member ([1])
const loss = () => ops.mse(ops.matmul(ops.matmul(x, w1, { bias: b1, activation: 'tanh' }), w2, { bias: b2 }), y);
const history = [];
for (let step = 1; step <= 400; step++) {
  const value = engine.tidy(() => {
    engine.zeroGrad(params);
    const l = loss();
    engine.backward(l);
    adam.step(step);
    return engine.keep(l);
  });
  if (step === 1 || step % 100 === 0) history.push({ step, mse: (await value.read())[0] });
  value.dispose();
}
const final = engine.noGrad(() => loss());
const mse = (await final.read())[0];
engine.backend.destroy();
console.log(JSON.stringify({ backend: engine.backend.name, history, mse }, null, 2));
