/**
 * Previews while training (TrainVaeOptions.preview): ŷ and μ of the current parameters every few
 * epochs, for drawing a fit as it forms. On both backends the last preview is the result itself,
 * and taking previews changes nothing about training (the captured step replays as before).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { WebGpuBackend } from '../src/engine/webgpu/backend';
import type { EpochPreview } from '../src/model/train-run';
import { trainVae, type TrainVaeResult } from '../src/model/trainer';
import { openGpu } from './helpers/gpu';
import { maskOf, maskWithout, plantedData } from './model-synthetic';

const N = 19;
const G = 7;
const data = plantedData(N, G, 5);
const EPOCHS = 12;

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.destroy());

interface Trained {
  result: TrainVaeResult;
  previews: EpochPreview[];
}

async function train(backend: Backend, withPreview: boolean): Promise<Trained> {
  const previews: EpochPreview[] = [];
  const result = await trainVae({
    engine: new Engine(backend),
    X: data.x,
    xShape: [1, N, G],
    laplacian: data.laplacian,
    edgeCount: data.edgeCount,
    tasks: [
      { y: data.y, trainMask: maskWithout(N, [1, 4]), seed: 3 },
      { y: data.y, trainMask: maskOf(N, [0, 2, 5, 7, 11]), seed: 4 },
    ],
    config: { hiddenSize: 6, latentSize: 2, learningRate: 1e-2, epochs: EPOCHS, logEvery: 5 },
    ...(withPreview ? { preview: { everyEpochs: 4, onPreview: (p: EpochPreview) => previews.push(p) } } : {}),
  });
  return { result, previews };
}

const BACKENDS = [
  ['cpu', () => new CpuBackend()],
  ['webgpu', () => gpu],
] as const;

describe.each(BACKENDS)('training previews on %s', (_, backend) => {
  it('come every 4 epochs, end at the result, and leave training unchanged', async () => {
    const plain = await train(backend(), false);
    const previewed = await train(backend(), true);
    expect(previewed.previews.map((p) => p.epoch)).toEqual([4, 8, 12]);
    const last = previewed.previews.at(-1)!;
    expect(last.firstTask).toBe(0);
    expect(last.predictions).toEqual(previewed.result.predictions);
    expect(last.mu).toEqual(previewed.result.mu);
    expect(previewed.previews[0]!.predictions[0]).not.toEqual(last.predictions[0]);
    expect(previewed.result.history).toEqual(plain.result.history);
    expect(previewed.result.predictions).toEqual(plain.result.predictions);
  });
});
