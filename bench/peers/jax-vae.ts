/**
 * The graph VAE's training step in jax-js: the objective written once as a function of the
 * parameters, its gradient from jax-js's reverse-mode `valueAndGrad`, and Adam, all inside one
 * `jit`-compiled step (jax-js fuses and caches its kernels). B models carry an explicit leading
 * batch dimension [B, rows, cols]; X is [1, N, G], broadcast by the batched matmul.
 *
 *   h = relu(X W1 + b1); μ = h Wμ + bμ; lv = h Wσ + bσ; z = μ + exp(½ lv) ⊙ ε
 *   X̂ = relu(z Wd1 + bd1) Wd2 + bd2; ŷ = z wy + by
 *   loss_b = mean(X̂ − X)² + β·(−½ mean(1 + lv − μ² − e^lv)) + α·Σ m(ŷ − y)²/max(1, Σ m) + λ·tr(μᵀ L μ)/(|E|·K)
 *   Adam: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)
 *
 * jax-js counts references: every function consumes its array arguments, so an array used twice is
 * passed as `.ref` the first time.
 */
import type * as JaxModule from '@jax-js/jax';
import { DEFAULT_VAE_CONFIG, PARAMETER_NAMES, type ParameterName } from '../../src/model';
import { denseLaplacian, maskCount, parameterShape, type PeerVae, type PeerVaeInputs } from './peer-vae';

export type Jax = typeof JaxModule;
type JaxArray = JaxModule.numpy.Array;
type Params = Record<ParameterName, JaxArray>;
interface State {
  params: Params;
  m: Params;
  v: Params;
}

export function createJaxVae(jax: Jax, inputs: PeerVaeInputs): PeerVae {
  const { numpy: np, nn, random, tree } = jax;
  const { regions: N, genes: G, latent: K, edges } = inputs.data.shape;
  const B = inputs.initial.batch;
  const { beta, alpha, lambda } = inputs.weights;
  const { learningRate, beta1, beta2, adamEpsilon } = DEFAULT_VAE_CONFIG;
  const masked = maskCount(inputs.mask);
  const array = (data: Float32Array, shape: number[]) => np.array(data).reshape(shape);
  const x = array(inputs.data.x, [1, N, G]);
  const y = array(inputs.data.y, [1, N, 1]);
  const mask = array(inputs.mask, [1, N, 1]);
  const laplacian = array(denseLaplacian(inputs.data), [1, N, N]);
  const byName = (make: (name: ParameterName) => JaxArray) =>
    Object.fromEntries(PARAMETER_NAMES.map((n) => [n, make(n)])) as Params;

  /** Per-model losses [B] and their sum (the scalar differentiated: model b's loss depends on its own parameters only). */
  const objective = (
    p: Params,
    xs: JaxArray,
    ys: JaxArray,
    ms: JaxArray,
    ls: JaxArray,
    eps: JaxArray,
  ): [JaxArray, JaxArray] => {
    const h = nn.relu(np.matmul(xs.ref, p['encoder.w1']).add(p['encoder.b1']));
    const mu = np.matmul(h.ref, p['encoder.wMu']).add(p['encoder.bMu']);
    const logVar = np.matmul(h, p['encoder.wLogVar']).add(p['encoder.bLogVar']);
    const z = mu.ref.add(np.exp(logVar.ref.mul(0.5)).mul(eps));
    const hd = nn.relu(np.matmul(z.ref, p['decoder.w1']).add(p['decoder.b1']));
    const xHat = np.matmul(hd, p['decoder.w2']).add(p['decoder.b2']);
    const yHat = np.matmul(z, p['head.w']).add(p['head.b']);
    const reconstruction = np.square(xHat.sub(xs)).mean([1, 2]);
    const kl = logVar.ref.add(1).sub(np.square(mu.ref)).sub(np.exp(logVar)).mean([1, 2]).mul(-0.5);
    const target = np
      .square(yHat.sub(ys))
      .mul(ms)
      .sum([1, 2])
      .mul(1 / masked);
    const smoothness = mu.ref
      .mul(np.matmul(ls, mu))
      .sum([1, 2])
      .mul(1 / (edges * K));
    const losses = reconstruction.add(kl.mul(beta)).add(target.mul(alpha)).add(smoothness.mul(lambda));
    return [losses.ref.sum(), losses];
  };
  const lossAndGrad = jax.valueAndGrad(objective, { hasAux: true });

  /** One epoch: gradients, then Adam with the bias corrections c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ). */
  const step = jax.jit(
    (s: State, xs: JaxArray, ys: JaxArray, ms: JaxArray, ls: JaxArray, eps: JaxArray, c1: JaxArray, c2: JaxArray) => {
      const [[total, losses], grads] = lossAndGrad(tree.ref(s.params), xs, ys, ms, ls, eps);
      total.dispose();
      const m = byName((n) => s.m[n].mul(beta1).add(grads[n].ref.mul(1 - beta1)));
      const v = byName((n) => s.v[n].mul(beta2).add(np.square(grads[n]).mul(1 - beta2)));
      const params = byName((n) =>
        s.params[n].sub(
          m[n].ref
            .mul(c1.ref)
            .div(np.sqrt(v[n].ref.mul(c2.ref)).add(adamEpsilon))
            .mul(learningRate),
        ),
      );
      c1.dispose();
      c2.dispose();
      return { state: { params, m, v }, losses };
    },
  );

  let state: State = {
    params: byName((n) => array(inputs.initial.tensors[n], parameterShape(inputs.initial, n))),
    m: byName((n) => np.zeros(parameterShape(inputs.initial, n))),
    v: byName((n) => np.zeros(parameterShape(inputs.initial, n))),
  };
  let t = 0;
  let last: JaxArray | null = null;

  return {
    step: (eps) => {
      t++;
      const noise = eps ? array(eps, [B, N, K]) : random.normal(random.key(t), [B, N, K]);
      const corrections = [1 / (1 - beta1 ** t), 1 / (1 - beta2 ** t)].map((c) => np.array(c));
      const out = step(state, x.ref, y.ref, mask.ref, laplacian.ref, noise, corrections[0]!, corrections[1]!);
      state = out.state;
      last?.dispose();
      last = out.losses;
    },
    lastLosses: async () => {
      if (!last) throw new Error('jax-js VAE: lastLosses before a step');
      const data = (await last.data()) as Float32Array;
      last = null;
      return data;
    },
    weights: async () => {
      const tensors = {} as Record<ParameterName, Float32Array>;
      for (const n of PARAMETER_NAMES) tensors[n] = (await state.params[n].ref.data()) as Float32Array;
      return { batch: B, dims: inputs.initial.dims, tensors };
    },
    dispose: () => {
      last?.dispose();
      tree.dispose(state as unknown as JaxModule.JsTree<JaxArray>);
      for (const a of [x, y, mask, laplacian]) a.dispose();
      step.dispose();
    },
  };
}
