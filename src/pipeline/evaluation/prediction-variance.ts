/**
 * How uncertain the VAE itself is about each region's target: the spread of ŷ when z is drawn from
 * the approximate posterior q(z|x) = N(μ, diag σ²) and put through the head ŷ = z·wy + by.
 * The head is linear in z, so sampling is not needed — the variance is exact:
 *   Var(ŷᵢ) = Σ_k σ²_ik · wy_k²,  σ²_ik = exp(logσ²_ik).
 * The decoder does not enter ŷ, so it plays no part.
 */
import type { Engine } from '../../engine/engine';
import type { VaeModel } from '../../model';
import { disposeWeights, uploadWeights } from '../../model/device-weights';
import { encode } from '../../model/vae-forward';

/** Var(ŷᵢ) under q(z|x) for every region, one array of N per model of the batch. X: [1|B, N, G]. */
export async function predictionVariance(
  engine: Engine,
  model: VaeModel,
  X: Float32Array,
  xShape: readonly [number, number, number],
): Promise<Float64Array[]> {
  const { batch, dims } = model.weights;
  const [, regions] = xShape;
  const k = dims.latentSize;
  const params = uploadWeights(engine, model.weights, false);
  const x = engine.tensor(X, xShape);
  try {
    const logVar = engine.noGrad(() =>
      engine.tidy(() => {
        const posterior = encode(params, x, model.config.activation);
        engine.keep(posterior.logVar);
        return posterior.logVar;
      }),
    );
    const values = await logVar.read();
    logVar.dispose();
    const head = model.weights.tensors['head.w'];
    return Array.from({ length: batch }, (_, b) =>
      Float64Array.from({ length: regions }, (_, i) => {
        let variance = 0;
        for (let c = 0; c < k; c++) variance += Math.exp(values[(b * regions + i) * k + c]!) * head[b * k + c]! ** 2;
        return variance;
      }),
    );
  } finally {
    x.dispose();
    disposeWeights(params);
  }
}
