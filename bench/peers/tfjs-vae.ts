/**
 * The graph VAE's training step written in TensorFlow.js ops, B models at once, so a peer runs the
 * same workload as ours (docs/math.md). tfjs-core's gradient registry is a separate ESM-only module
 * that Node cannot load from the package, so the backward pass is written out by hand (the same
 * products our tape issues) and applied with tfjs's Adam (the same update as ours).
 *
 * Forward (per model; X [1, N, G] shared; m the target mask, M = max(1, Σ m)):
 *   a1 = X W1 + b1, h = relu(a1); μ = h Wμ + bμ; lv = h Wσ + bσ; s = exp(½ lv); z = μ + s ⊙ ε
 *   hd = relu(z Wd1 + bd1); X̂ = hd Wd2 + bd2; ŷ = z wy + by
 *   loss = mean(X̂ − X)² + β·(−½ mean(1 + lv − μ² − e^lv)) + α·Σ m(ŷ − y)²/M + λ·tr(μᵀ L μ)/(|E|·K)
 * Backward:
 *   dX̂ = 2(X̂ − X)/(N G); dWd2 = hdᵀ dX̂; dbd2 = Σ_n dX̂; dhd = dX̂ Wd2ᵀ ⊙ [hd > 0]
 *   dWd1 = zᵀ dhd; dbd1 = Σ_n dhd; dŷ = 2α m(ŷ − y)/M; dwy = zᵀ dŷ; dby = Σ_n dŷ
 *   dz = dhd Wd1ᵀ + dŷ wyᵀ; dμ = dz + β μ/(N K) + 2λ L μ/(|E| K)
 *   dlv = ½ dz ⊙ s ⊙ ε + ½β (e^lv − 1)/(N K); dWμ = hᵀ dμ; dWσ = hᵀ dlv (biases: Σ_n)
 *   dh = (dμ Wμᵀ + dlv Wσᵀ) ⊙ [h > 0]; dW1 = Xᵀ dh; db1 = Σ_n dh
 * The Laplacian is a dense N×N matrix (tfjs has no sparse matmul); the products are the same.
 */
import { DEFAULT_VAE_CONFIG, type ParameterName } from '../../src/model';
import { denseLaplacian, maskCount, parameterShape, type PeerVae, type PeerVaeInputs } from './peer-vae';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './tfjs-loader';

type Tensor3 = ReturnType<Tf['tensor3d']>;

/** Our parameter names for the tfjs model's variables (same shapes, [B, rows, cols]). */
export const ENGINE_NAMES = {
  w1: 'encoder.w1',
  b1: 'encoder.b1',
  wMu: 'encoder.wMu',
  bMu: 'encoder.bMu',
  wLv: 'encoder.wLogVar',
  bLv: 'encoder.bLogVar',
  wd1: 'decoder.w1',
  bd1: 'decoder.b1',
  wd2: 'decoder.w2',
  bd2: 'decoder.b2',
  wy: 'head.w',
  by: 'head.b',
} as const satisfies Record<string, ParameterName>;

export type TfParameterName = keyof typeof ENGINE_NAMES;

/**
 * How a transposed operand reaches matMul: as tfjs's transpose flag, or transposed first. The wasm
 * backend runs XNNPACK (SIMD, threaded) only for one un-transposed 2-D product and falls back to
 * a scalar loop otherwise, so there the explicit transpose is the fast path.
 */
export type TransposeStyle = 'flags' | 'explicit';

let instances = 0;

export function createTfVae(tf: Tf, inputs: PeerVaeInputs, transposes: TransposeStyle = 'flags'): PeerVae {
  const { regions: N, genes: G, latent: K, edges } = inputs.data.shape;
  const { beta, alpha, lambda } = inputs.weights;
  const { learningRate, beta1, beta2, adamEpsilon } = DEFAULT_VAE_CONFIG;
  const B = inputs.initial.batch;
  const prefix = `bench-vae-${++instances}`;
  const names = Object.keys(ENGINE_NAMES) as TfParameterName[];
  const p = Object.fromEntries(
    names.map((name) => {
      const engineName = ENGINE_NAMES[name];
      const initial = tf.tensor3d(inputs.initial.tensors[engineName], parameterShape(inputs.initial, engineName));
      return [name, tf.variable(initial, true, `${prefix}/${name}`)];
    }),
  ) as Record<TfParameterName, ReturnType<Tf['variable']>>;
  const x = tf.tensor3d(inputs.data.x, [1, N, G]);
  const y = tf.tensor3d(inputs.data.y, [1, N, 1]);
  const mask = tf.tensor3d(inputs.mask, [1, N, 1]);
  const laplacian = tf.tensor3d(denseLaplacian(inputs.data), [1, N, N]);
  const masked = maskCount(inputs.mask);
  const optimizer = tf.train.adam(learningRate, beta1, beta2, adamEpsilon);
  const rowSum = (t: Tensor3) => tf.sum<Tensor3>(t, 1, true);
  const positive = (t: Tensor3) => tf.cast(tf.greater(t, 0), 'float32');
  const swap = (t: Tensor) => tf.transpose(t, [0, 2, 1]);
  const matMul = (a: Tensor, b: Tensor, transA = false, transB = false): Tensor3 =>
    transposes === 'flags' ? tf.matMul(a, b, transA, transB) : tf.matMul(transA ? swap(a) : a, transB ? swap(b) : b);
  let last: Tensor3 | null = null;

  const lossAndGradients = (eps: Tensor3) => {
    const h = tf.relu(tf.add(matMul(x, p.w1), p.b1)) as Tensor3;
    const mu = tf.add<Tensor3>(matMul(h, p.wMu), p.bMu);
    const logVar = tf.add<Tensor3>(matMul(h, p.wLv), p.bLv);
    const sigma = tf.exp(tf.mul(logVar, 0.5));
    const z = tf.add<Tensor3>(mu, tf.mul(sigma, eps));
    const hd = tf.relu(tf.add(matMul(z, p.wd1), p.bd1)) as Tensor3;
    const xHat = tf.add(matMul(hd, p.wd2), p.bd2);
    const yHat = tf.add(matMul(z, p.wy), p.by);
    const lmu = matMul(laplacian, mu);
    const variance = tf.exp(logVar);
    const reconstruction = tf.mean(tf.squaredDifference(xHat, x), [1, 2], true);
    const kl = tf.mul(tf.mean(tf.sub(tf.sub(tf.add(logVar, 1), tf.square(mu)), variance), [1, 2], true), -0.5);
    const target = tf.div(tf.sum(tf.mul(mask, tf.squaredDifference(yHat, y)), [1, 2], true), masked);
    const smoothness = tf.div(tf.sum(tf.mul(mu, lmu), [1, 2], true), edges * K);
    const loss = tf.addN([
      reconstruction,
      tf.mul(kl, beta),
      tf.mul(target, alpha),
      tf.mul(smoothness, lambda),
    ]) as Tensor3;

    const dXHat = tf.mul<Tensor3>(tf.sub(xHat, x), 2 / (N * G));
    const dHd = tf.mul<Tensor3>(matMul(dXHat, p.wd2, false, true), positive(hd));
    const dYHat = tf.mul<Tensor3>(tf.mul(tf.sub(yHat, y), mask), (2 * alpha) / masked);
    const dz = tf.add(matMul(dHd, p.wd1, false, true), matMul(dYHat, p.wy, false, true));
    const dMu = tf.addN([dz, tf.mul(mu, beta / (N * K)), tf.mul(lmu, (2 * lambda) / (edges * K))]) as Tensor3;
    const dLogVar = tf.add<Tensor3>(
      tf.mul(tf.mul(dz, tf.mul(sigma, eps)), 0.5),
      tf.mul(tf.sub(variance, 1), (0.5 * beta) / (N * K)),
    );
    const dH = tf.mul<Tensor3>(
      tf.add(matMul(dMu, p.wMu, false, true), matMul(dLogVar, p.wLv, false, true)),
      positive(h),
    );
    const gradients: Record<TfParameterName, Tensor3> = {
      w1: matMul(x, dH, true, false),
      b1: rowSum(dH),
      wMu: matMul(h, dMu, true, false),
      bMu: rowSum(dMu),
      wLv: matMul(h, dLogVar, true, false),
      bLv: rowSum(dLogVar),
      wd1: matMul(z, dHd, true, false),
      bd1: rowSum(dHd),
      wd2: matMul(hd, dXHat, true, false),
      bd2: rowSum(dXHat),
      wy: matMul(z, dYHat, true, false),
      by: rowSum(dYHat),
    };
    return { loss, gradients };
  };

  return {
    step: (eps) => {
      const loss = tf.tidy(() => {
        const { loss, gradients } = lossAndGradients(eps ? tf.tensor3d(eps, [B, N, K]) : tf.randomNormal([B, N, K]));
        optimizer.applyGradients(names.map((name) => ({ name: `${prefix}/${name}`, tensor: gradients[name] })));
        return loss;
      });
      last?.dispose();
      last = loss;
    },
    lastLosses: async () => {
      if (!last) throw new Error('tfjs VAE: lastLosses before the first step');
      return (await last.data()) as Float32Array;
    },
    weights: async () => {
      const tensors = {} as Record<ParameterName, Float32Array>;
      for (const name of names) tensors[ENGINE_NAMES[name]] = (await p[name].data()) as Float32Array;
      return { batch: B, dims: inputs.initial.dims, tensors };
    },
    dispose: () => {
      last?.dispose();
      optimizer.dispose();
      for (const v of Object.values(p)) v.dispose();
      for (const t of [x, y, mask, laplacian]) t.dispose();
    },
  };
}
