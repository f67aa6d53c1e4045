/**
 * Early elimination in the nested tuning (successive halving, dropping the worst): the schedule
 * (who goes on at each rung) on a constructed error table, the errors exhaustive search reads for
 * the candidates kept and the least of them chosen, the models·epochs each search spends (counted by
 * the backend's Adam steps, refits included), and no peeking.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import type { Hemisphere } from '../src/pipeline/atlas';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import {
  keepCount,
  rungEpochs,
  searchModelEpochs,
  survivors,
  type TuningSearch,
} from '../src/pipeline/evaluation/successive-halving';
import { tunedVaeRegressor, type TuningSettings } from '../src/pipeline/evaluation/tuned-vae-regressor';
import { normalisedLaplacian, ringWithChords } from './model-synthetic';

describe('the halving schedule', () => {
  test('halving keeps the better half, drop-worst all but one, exhaustive every one; at least one always', () => {
    const counts = (search: TuningSearch) => [1, 2, 3, 4, 5, 9].map((n) => keepCount(search, n));
    expect(counts('halving')).toEqual([1, 1, 1, 2, 2, 4]);
    expect(counts('drop-worst')).toEqual([1, 1, 2, 3, 4, 8]);
    expect(counts('exhaustive')).toEqual([1, 2, 3, 4, 5, 9]);
  });

  test('a constructed table: halving 5 → 2 → 1 → 1, drop-worst 5 → 4 → 3 → 2, by the least error so far', () => {
    // err[c][e] at epochs 25, 50, 100, 200: #1 and #4 tie at 25 on 0.5 (#1 goes on, the lower index);
    // #2 leads at 25 but stalls, and #1 overtakes it at 50; #3 starts worst and would win late,
    // the risk halving takes
    const err = [
      [0.9, 0.8, 0.7, 0.6],
      [0.5, 0.35, 0.3, 0.29],
      [0.4, 0.41, 0.42, 0.43],
      [1.5, 0.9, 0.3, 0.1],
      [0.5, 0.3, 0.2, 0.15],
    ];
    const rungs = rungEpochs('halving', [25, 50, 100, 200]);
    expect(rungs).toEqual([25, 50, 100, 200]);
    const trace = (search: TuningSearch) => {
      let alive = [0, 1, 2, 3, 4];
      return rungs.map((_, r) => (alive = survivors(search, alive, (c) => Math.min(...err[c]!.slice(0, r + 1)))));
    };
    expect(trace('halving')).toEqual([[1, 2], [1], [1], [1]]);
    // #3, worst at 25, is the one dropped first (and with it the late win); then #0, then #2, which stalls
    expect(trace('drop-worst')).toEqual([[0, 1, 2, 4], [1, 2, 4], [1, 4], [4]]);
  });

  test('exhaustive search is one rung holding every candidate', () => {
    expect(rungEpochs('exhaustive', [25, 50, 100, 200])).toEqual([200]);
    expect(searchModelEpochs('exhaustive', 5, [25, 50, 100, 200])).toBe(1000);
    // 5·25 + 2·25 + 1·50 + 1·100
    expect(searchModelEpochs('halving', 5, [25, 50, 100, 200])).toBe(325);
    // 5·25 + 4·25 + 3·50 + 2·100
    expect(searchModelEpochs('drop-worst', 5, [25, 50, 100, 200])).toBe(575);
  });
});

/** Counts models·epochs: one backward pass through the sampling step per model and epoch of training. */
class CountingBackend extends CpuBackend {
  modelEpochs = 0;
  override reparameterizeGrad(...args: Parameters<CpuBackend['reparameterizeGrad']>) {
    this.modelEpochs += args[0].shape[0]!;
    return super.reparameterizeGrad(...args);
  }
}

// the ring of eval-tuning.test.ts: 20 regions in one hemisphere, genes smooth around it and carrying y
const n = 20;
const g = 12;
const graph = normalisedLaplacian(n, ringWithChords(n));
const angle = (i: number) => (2 * Math.PI * i) / n;
const centroids = Float64Array.from({ length: 3 * n }, (_, k) =>
  k % 3 === 2 ? 0 : 50 * (k % 3 === 0 ? Math.cos : Math.sin)(angle(Math.floor(k / 3))),
);
const hemispheres: Hemisphere[] = new Array(n).fill('L');
const X = Float64Array.from(
  { length: n * g },
  (_, k) => Math.sin(angle(Math.floor(k / g)) + 0.5 * (k % g)) + 0.05 * Math.cos(1.7 * k),
);
const expression = geneMatrix(X, n, g);
const y = Float64Array.from({ length: n }, (_, i) => 5 + 2 * Math.sin((2 * Math.PI * i) / n) + 0.3 * Math.cos(5.1 * i));
const tasks = [
  [0, 1, 2, 3, 4],
  [10, 11, 12, 13, 14],
].map((test) => ({ y, test, train: [...Array(n).keys()].filter((i) => !test.includes(i)) }));
const settings: TuningSettings = {
  candidates: [
    { learningRate: 1e-4 },
    { learningRate: 3e-3 },
    { learningRate: 1e-2 },
    { learningRate: 1e-2, hiddenSize: 8 },
  ],
  epochs: [5, 10, 20],
  innerFolds: 3,
  innerFraction: 0.25,
};
const tuned = (backend: CpuBackend, search: TuningSettings['search']) =>
  tunedVaeRegressor({
    engine: new Engine(backend),
    laplacian: graph.laplacian,
    edgeCount: graph.edgeCount,
    seed: 3,
    scaling: 'zscore',
    config: { hiddenSize: 16, latentSize: 4, klWarmupEpochs: 0 },
    tuning: { ...settings, search },
    centroids,
    hemispheres,
  });

const EARLY = ['halving', 'drop-worst'] as const;
const SEARCHES = [...EARLY, 'exhaustive'] as const;

describe('early elimination inside the tuned VAE', () => {
  test.each(EARLY)('%s: survivors as scheduled, errors as exhaustive search reads them', async (search) => {
    const exhaustive = await tuned(new CpuBackend(), 'exhaustive').fitPredict(expression, tasks);
    const early = await tuned(new CpuBackend(), search).fitPredict(expression, tasks);
    tasks.forEach((_, t) => {
      const full = exhaustive.choices[t]!.innerError;
      const read = early.choices[t]!.innerError;
      // rung by rung from the exhaustive table: who goes on, hence how far each row reaches
      let alive = [0, 1, 2, 3];
      const reach = [0, 0, 0, 0];
      settings.epochs.forEach((_, r) => {
        for (const c of alive) reach[c] = r + 1;
        alive = survivors(search, alive, (c) => Math.min(...full[c]!.slice(0, r + 1)));
      });
      expect(read.map((row) => row.length)).toEqual(reach);
      expect(reach.filter((length) => length === 3)).toHaveLength(search === 'halving' ? 1 : 2);
      read.forEach((row, c) => row.forEach((err, e) => expect(err).toBeCloseTo(full[c]![e]!, 10)));
      // the first least error among the pairs read, from the exhaustive table
      let best = { c: 0, e: 0 };
      reach.forEach((length, c) =>
        full[c]!.slice(0, length).forEach((err, e) => {
          if (err < full[best.c]![best.e]!) best = { c, e };
        }),
      );
      expect(early.choices[t]).toMatchObject({ candidate: best.c, epochs: settings.epochs[best.e] });
    });
  });

  test.each(SEARCHES)('%s: models·epochs as counted by the backend, and as reported', async (search) => {
    const backend = new CountingBackend();
    const { choices } = await tuned(backend, search).fitPredict(expression, tasks);
    // Σ_r n_r (e_r − e_{r−1}) over the rungs 5, 10, 20
    const perFold = { halving: 4 * 5 + 2 * 5 + 1 * 10, 'drop-worst': 4 * 5 + 3 * 5 + 2 * 10, exhaustive: 4 * 20 }[
      search
    ];
    const refits = choices.reduce((sum, choice) => sum + choice.epochs, 0);
    for (const choice of choices) expect(choice.modelEpochs).toBe(settings.innerFolds * perFold);
    expect(backend.modelEpochs).toBe(tasks.length * settings.innerFolds * perFold + refits);
  });

  test.each(SEARCHES)('%s: no peeking: the held-out targets change neither choice nor prediction', async (search) => {
    const task = tasks[0]!;
    const a = await tuned(new CpuBackend(), search).fitPredict(expression, [task]);
    const changed = Float64Array.from(y, (v, i) => (task.test.includes(i) ? -40 * v + 300 : v));
    const b = await tuned(new CpuBackend(), search).fitPredict(expression, [{ ...task, y: changed }]);
    expect(b.choices).toEqual(a.choices);
    expect(Array.from(b.predictions[0]!)).toEqual(Array.from(a.predictions[0]!));
  });

  test('an unknown search is refused', () => {
    expect(() => tuned(new CpuBackend(), 'grid' as never)).toThrow(
      /search must be one of halving, drop-worst, exhaustive/,
    );
  });
});
