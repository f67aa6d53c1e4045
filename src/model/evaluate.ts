import type { Activation } from '../engine/backend';
import type { Engine } from '../engine/engine';
import type { Tensor } from '../engine/tensor';
import { encodeMean, predictTarget, type DeviceParameters } from './vae-forward';

/** Per-model outputs of a trained batch, read back to the host. */
export interface Evaluation {
  /** ŷ = μ wy + by for every region, one array of N per model */
  predictions: Float32Array[];
  /** μ, row-major N×K per model */
  mu: Float32Array[];
}

/** ŷ and μ without sampling (evaluation mode), for all B models. */
export async function evaluateModels(
  engine: Engine,
  params: DeviceParameters,
  x: Tensor,
  activation: Activation,
): Promise<Evaluation> {
  const [mu, yHat] = engine.noGrad(() =>
    engine.tidy(() => {
      const mean = encodeMean(params, x, activation);
      const prediction = predictTarget(params, mean);
      engine.keep(mean);
      engine.keep(prediction);
      return [mean, prediction] as const;
    }),
  );
  const [muData, yData] = await Promise.all([mu.read(), yHat.read()]);
  mu.dispose();
  yHat.dispose();
  const [batch, regions, latents] = mu.shape as [number, number, number];
  return {
    predictions: splitRows(yData, batch, regions),
    mu: splitRows(muData, batch, regions * latents),
  };
}

/** Model b's block of a [B, ...] array, copied out. */
function splitRows(data: Float32Array, batch: number, perModel: number): Float32Array[] {
  return Array.from({ length: batch }, (_, b) => data.slice(b * perModel, (b + 1) * perModel));
}
