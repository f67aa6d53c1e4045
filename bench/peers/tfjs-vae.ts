/**
 * The graph VAE's training step written in TensorFlow.js ops, B models at once, so a peer runs the
 * same workload as ours (DESIGN.md §4; every region in the target mask). tfjs-core's gradient
 * registry is a separate ESM-only module that Node cannot load from the package, so the backward
 * pass is written out by hand (the same products our tape issues) and applied with tfjs's Adam.
 *
 * Forward (per model; X [1, N, G] shared):
 *   a1 = X W1 + b1, h = relu(a1); μ = h Wμ + bμ; lv = h Wσ + bσ; s = exp(½ lv); z = μ + s ⊙ ε
 *   hd = relu(z Wd1 + bd1); X̂ = hd Wd2 + bd2; ŷ = z wy + by
 *   loss = mean(X̂ − X)² + β·(−½ mean(1 + lv − μ² − e^lv)) + α·mean(ŷ − y)² + λ·tr(μᵀ L μ)/(|E|·K)
 * Backward:
 *   dX̂ = 2(X̂ − X)/(N G); dWd2 = hdᵀ dX̂; dbd2 = Σ_n dX̂; dhd = dX̂ Wd2ᵀ ⊙ [hd > 0]
 *   dWd1 = zᵀ dhd; dbd1 = Σ_n dhd; dŷ = 2α(ŷ − y)/N; dwy = zᵀ dŷ; dby = Σ_n dŷ
 *   dz = dhd Wd1ᵀ + dŷ wyᵀ; dμ = dz + β μ/(N K) + 2λ L μ/(|E| K)
 *   dlv = ½ dz ⊙ s ⊙ ε + ½β (e^lv − 1)/(N K); dWμ = hᵀ dμ; dWσ = hᵀ dlv (biases: Σ_n)
 *   dh = (dμ Wμᵀ + dlv Wσᵀ) ⊙ [h > 0]; dW1 = Xᵀ dh; db1 = Σ_n dh
 */
import { DEFAULT_VAE_CONFIG, type ParameterName, type VaeConfig } from '../../src/model';
import type { TrainData } from '../train-data';
import type { Tf } from './tfjs-loader';

type Tensor3 = ReturnType<Tf['tensor3d']>;

/** Our parameter names for the tfjs model's variables (same shapes, [B, rows, cols]). */
export const ENGINE_NAMES = {
  w1: 'encoder.w1', b1: 'encoder.b1', wMu: 'encoder.wMu', bMu: 'encoder.bMu', wLv: 'encoder.wLogVar', bLv: 'encoder.bLogVar',
  wd1: 'decoder.w1', bd1: 'decoder.b1', wd2: 'decoder.w2', bd2: 'decoder.b2', wy: 'head.w', by: 'head.b',
} as const satisfies Record<string, ParameterName>;

export type TfParameterName = keyof typeof ENGINE_NAMES;

export interface TfVae {
  /** One epoch: forward, backward, Adam update (recorded; call tfSettle to wait for it). */
  step(): void;
  /** The loss of each model and every gradient by parameter name, for one step's inputs. */
  lossAndGradients(eps: Tensor3): { loss: Tensor3; gradients: Record<TfParameterName, Tensor3> };
  /** The variables, by tfjs-side name. */
  readonly parameters: Record<TfParameterName, ReturnType<Tf['variable']>>;
  dispose(): void;
}

/** Dense N×N copy of the CSR Laplacian (N is the region count: small). */
function denseLaplacian(data: TrainData): Float32Array {
  const { n, rowPtr, colIndex, values } = data.laplacian;
  const dense = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) dense[i * n + colIndex[e]!] = values[e]!;
  return dense;
}

let instances = 0;

/** The loss weights β, α, λ (default: the model's defaults). */
export type LossWeights = Pick<VaeConfig, 'beta' | 'alpha' | 'lambda'>;

export function createTfVae(tf: Tf, data: TrainData, batch: number, weights: LossWeights = DEFAULT_VAE_CONFIG): TfVae {
  const { regions: N, genes: G, hidden: H, latent: K, edges } = data.shape;
  const { beta, alpha, lambda } = weights;
  const { learningRate, beta1, beta2, adamEpsilon } = DEFAULT_VAE_CONFIG;
  const B = batch;
  const prefix = `bench-vae-${++instances}`;
  const glorot = (name: string, rows: number, cols: number, seed: number) => {
    const limit = Math.sqrt(6 / (rows + cols));
    return tf.variable(tf.randomUniform([B, rows, cols], -limit, limit, 'float32', seed), true, `${prefix}/${name}`);
  };
  const zeros = (name: string, cols: number) => tf.variable(tf.zeros([B, 1, cols]), true, `${prefix}/${name}`);
  const p: Record<TfParameterName, ReturnType<Tf['variable']>> = {
    w1: glorot('w1', G, H, 1), b1: zeros('b1', H), wMu: glorot('wMu', H, K, 2), bMu: zeros('bMu', K),
    wLv: glorot('wLv', H, K, 3), bLv: zeros('bLv', K), wd1: glorot('wd1', K, H, 4), bd1: zeros('bd1', H),
    wd2: glorot('wd2', H, G, 5), bd2: zeros('bd2', G), wy: glorot('wy', K, 1, 6), by: zeros('by', 1),
  };
  const x = tf.tensor3d(data.x, [1, N, G]);
  const y = tf.tensor3d(data.y, [1, N, 1]);
  const laplacian = tf.tensor3d(denseLaplacian(data), [1, N, N]);
  const optimizer = tf.train.adam(learningRate, beta1, beta2, adamEpsilon);
  const rowSum = (t: Tensor3) => tf.sum(t, 1, true) as Tensor3;
  const positive = (t: Tensor3) => tf.cast(tf.greater(t, 0), 'float32');

  const lossAndGradients = (eps: Tensor3) => {
    const h = tf.relu(tf.add(tf.matMul(x, p.w1), p.b1)) as Tensor3;
    const mu = tf.add(tf.matMul(h, p.wMu), p.bMu) as Tensor3;
    const logVar = tf.add(tf.matMul(h, p.wLv), p.bLv) as Tensor3;
    const sigma = tf.exp(tf.mul(logVar, 0.5));
    const z = tf.add(mu, tf.mul(sigma, eps)) as Tensor3;
    const hd = tf.relu(tf.add(tf.matMul(z, p.wd1), p.bd1)) as Tensor3;
    const xHat = tf.add(tf.matMul(hd, p.wd2), p.bd2);
    const yHat = tf.add(tf.matMul(z, p.wy), p.by);
    const lmu = tf.matMul(laplacian, mu);
    const variance = tf.exp(logVar);
    const reconstruction = tf.mean(tf.squaredDifference(xHat, x), [1, 2], true);
    const kl = tf.mul(tf.mean(tf.sub(tf.sub(tf.add(logVar, 1), tf.square(mu)), variance), [1, 2], true), -0.5);
    const target = tf.mean(tf.squaredDifference(yHat, y), [1, 2], true);
    const smoothness = tf.div(tf.sum(tf.mul(mu, lmu), [1, 2], true), edges * K);
    const loss = tf.addN([reconstruction, tf.mul(kl, beta), tf.mul(target, alpha), tf.mul(smoothness, lambda)]) as Tensor3;

    const dXHat = tf.mul(tf.sub(xHat, x), 2 / (N * G)) as Tensor3;
    const dHd = tf.mul(tf.matMul(dXHat, p.wd2, false, true), positive(hd)) as Tensor3;
    const dYHat = tf.mul(tf.sub(yHat, y), (2 * alpha) / N) as Tensor3;
    const dz = tf.add(tf.matMul(dHd, p.wd1, false, true), tf.matMul(dYHat, p.wy, false, true));
    const dMu = tf.addN([dz, tf.mul(mu, beta / (N * K)), tf.mul(lmu, (2 * lambda) / (edges * K))]) as Tensor3;
    const dLogVar = tf.add(tf.mul(tf.mul(dz, tf.mul(sigma, eps)), 0.5), tf.mul(tf.sub(variance, 1), (0.5 * beta) / (N * K))) as Tensor3;
    const dH = tf.mul(tf.add(tf.matMul(dMu, p.wMu, false, true), tf.matMul(dLogVar, p.wLv, false, true)), positive(h)) as Tensor3;
    const gradients: Record<TfParameterName, Tensor3> = {
      w1: tf.matMul(x, dH, true, false), b1: rowSum(dH),
      wMu: tf.matMul(h, dMu, true, false), bMu: rowSum(dMu),
      wLv: tf.matMul(h, dLogVar, true, false), bLv: rowSum(dLogVar),
      wd1: tf.matMul(z, dHd, true, false), bd1: rowSum(dHd),
      wd2: tf.matMul(hd, dXHat, true, false), bd2: rowSum(dXHat),
      wy: tf.matMul(z, dYHat, true, false), by: rowSum(dYHat),
    };
    return { loss, gradients };
  };

  return {
    parameters: p,
    lossAndGradients,
    step: () => tf.tidy(() => {
      const { gradients } = lossAndGradients(tf.randomNormal([B, N, K]) as Tensor3);
      optimizer.applyGradients(Object.entries(gradients).map(([name, tensor]) => ({ name: `${prefix}/${name}`, tensor })));
    }),
    dispose: () => {
      optimizer.dispose();
      for (const v of Object.values(p)) v.dispose();
      for (const t of [x, y, laplacian]) t.dispose();
    },
  };
}
