/**
 * Exhaustive against successive-halving tuning on the shipped data, as JSON (docs/evaluation.md,
 * "Nested tuning"): the tuned VAE's own fits at the default protocol — the headline splits × its
 * seeds, then its retrained spin null's spins × splits, one group after another (the file is
 * rewritten after each) — with the choice each search makes, the models·epochs it spends (inner
 * fits and refit) and the held-out error of the refitted prediction.
 *
 * Exhaustive tuning runs; halving's choice is read off its error table: halving reads exactly the
 * errors exhaustive search reads for the candidates it keeps (training on from a stopped run is
 * bit-identical, tests/model-resume.test.ts; the tuner's reads, tests/eval-halving.test.ts), and
 * where the two choices differ, halving's is refitted. With `--run-halving` the halving tuner runs
 * too, and its choices are checked against the ones read off.
 *
 *   npx esbuild bench/tuning-halving.ts --bundle --platform=node --format=esm --loader:.wgsl=text \
 *     --external:webgpu --external:wgsl_reflect --outfile=dist/tuning-halving.mjs
 *   XDG_RUNTIME_DIR=/tmp node dist/tuning-halving.mjs bench/results/tuning-halving.json [--run-halving]
 */
import { writeFileSync } from 'node:fs';
import { Engine } from '../src/engine/engine';
import { WebGpuBackend } from '../src/engine/webgpu/backend';
import { DEFAULT_VAE_CONFIG } from '../src/model';
import { defaultRunConfig } from '../src/pipeline/cli/config';
import { datasetFrom, laplacianOf } from '../src/pipeline/cli/context';
import { fitByConfig } from '../src/pipeline/evaluation/config-groups';
import type { FitTask } from '../src/pipeline/evaluation/models';
import { spunTargets } from '../src/pipeline/evaluation/spin-null';
import { spinPermutations } from '../src/pipeline/evaluation/spin';
import { betterHalf, searchModelEpochs } from '../src/pipeline/evaluation/successive-halving';
import { tunedVaeRegressor, type TuningChoice } from '../src/pipeline/evaluation/tuned-vae-regressor';
import { DEFAULT_STUDY_OPTIONS, DEFAULT_TUNING } from '../src/pipeline/study/options';
import { schemeSplits } from '../src/pipeline/study/scheme-splits';

interface Group { label: string; tasks: FitTask[]; names: { split: string; seed: number; spin: number | null }[] }

/** Halving's choice from a full table: the rungs' survivors, then the first least error among the pairs they read. */
function halvingChoice(errors: readonly number[][], epochs: readonly number[]): { candidate: number; epochs: number; survivors: number[][] } {
  let alive = errors.map((_, c) => c);
  const reach = errors.map(() => 0);
  const survivors: number[][] = [];
  epochs.forEach((_, r) => {
    for (const c of alive) reach[c] = r + 1;
    alive = betterHalf(alive, (c) => Math.min(...errors[c]!.slice(0, r + 1)));
    survivors.push(alive);
  });
  let best = { c: 0, e: 0 };
  reach.forEach((length, c) => errors[c]!.slice(0, length).forEach((err, e) => {
    if (err < errors[best.c]![best.e]!) best = { c, e };
  }));
  return { candidate: best.c, epochs: epochs[best.e]!, survivors };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outPath = args.find((a) => !a.startsWith('--')) ?? 'tuning-halving.json';
  const runHalving = args.includes('--run-halving');
  const config = defaultRunConfig();
  const dataset = datasetFrom(config.data);
  const { X, y } = dataset;
  const n = dataset.regions.length;
  const g = dataset.genes.length;
  const options = { ...DEFAULT_STUDY_OPTIONS, model: DEFAULT_VAE_CONFIG };
  const tuning = DEFAULT_TUNING;
  const splits = schemeSplits(options.schemes[0]!, dataset, options);
  const seeds = Array.from({ length: tuning.seeds }, (_, s) => options.seed + s);
  const spins = spinPermutations({
    sphere: dataset.centroids.sphere, hemisphere: dataset.hemisphere, n: options.spins, seed: options.seed, method: options.spinMethod,
  }).slice(0, tuning.spins);
  // the headline ensemble's members (task-major over seeds, as seedEnsemble orders them), then each spin's CV
  const groups: Group[] = [{
    label: 'headline',
    tasks: splits.flatMap((split) => seeds.map((seed) => ({ y, train: split.train, test: split.test, seed }))),
    names: splits.flatMap((split) => seeds.map((seed) => ({ split: split.name, seed, spin: null }))),
  }, ...spunTargets(y, spins).map((spun, s) => ({
    label: `spin ${s}`,
    tasks: splits.map((split) => ({ y: spun, train: split.train, test: split.test })),
    names: splits.map((split) => ({ split: split.name, seed: options.seed, spin: s })),
  }))];

  const engine = new Engine(await WebGpuBackend.create());
  const shared = {
    engine, laplacian: laplacianOf(dataset, config.data), edgeCount: dataset.graph.edges.length,
    seed: options.seed, scaling: options.scaling,
  };
  const tuner = (search: 'halving' | 'exhaustive') => tunedVaeRegressor({
    ...shared, config: options.model, tuning: { ...tuning, search }, centroids: dataset.centroids.surface, hemispheres: dataset.hemisphere,
  });
  const perFold = { halving: searchModelEpochs('halving', tuning.candidates.length, tuning.epochs), exhaustive: searchModelEpochs('exhaustive', tuning.candidates.length, tuning.epochs) };
  const tasksOut: unknown[] = [];
  const totals = { halving: { modelEpochs: 0, mse: 0 }, exhaustive: { modelEpochs: 0, mse: 0 }, tasks: 0, same: 0, spinModelEpochs: { halving: 0, exhaustive: 0 }, spins: 0 };
  const seconds: Record<string, number> = {};
  for (const group of groups) {
    const start = performance.now();
    const exhaustive = tuner('exhaustive');
    const predictions = await exhaustive.fitPredict(X, n, g, group.tasks);
    seconds[`${group.label}, exhaustive`] = (performance.now() - start) / 1000;
    const read = exhaustive.lastChoices.map((choice) => halvingChoice(choice.innerError, tuning.epochs));
    // halving's refit, where its choice differs
    const differing = read.flatMap((choice, t) => (choice.candidate !== exhaustive.lastChoices[t]!.candidate || choice.epochs !== exhaustive.lastChoices[t]!.epochs ? [t] : []));
    const refits = differing.length === 0 ? { predictions: [] as Float64Array[] } : await fitByConfig(
      { ...shared, scaling: options.scaling }, X, n, g, differing.map((t) => group.tasks[t]!),
      differing.map((t) => exhaustive.configOf(read[t]!)));
    const halvingPredictions = predictions.map((p, t) => (differing.includes(t) ? refits.predictions[differing.indexOf(t)]! : p));
    let ran: TuningChoice[] | null = null;
    if (runHalving) {
      const startHalving = performance.now();
      const halving = tuner('halving');
      await halving.fitPredict(X, n, g, group.tasks);
      seconds[`${group.label}, halving`] = (performance.now() - startHalving) / 1000;
      ran = halving.lastChoices;
    }
    const heldOutMse = (t: number, prediction: Float64Array) =>
      group.tasks[t]!.test.reduce((s, i) => s + (group.tasks[t]!.y[i]! - prediction[i]!) ** 2, 0) / group.tasks[t]!.test.length;
    group.tasks.forEach((_, t) => {
      const e = exhaustive.lastChoices[t]!;
      const h = read[t]!;
      const sides = {
        exhaustive: { candidate: e.candidate, epochs: e.epochs, innerModelEpochs: e.modelEpochs, refitModelEpochs: e.epochs, heldOutMse: heldOutMse(t, predictions[t]!) },
        halving: {
          candidate: h.candidate, epochs: h.epochs, survivors: h.survivors, innerModelEpochs: tuning.innerFolds * perFold.halving,
          refitModelEpochs: h.epochs, heldOutMse: heldOutMse(t, halvingPredictions[t]!),
          ...(ran ? { ran: { candidate: ran[t]!.candidate, epochs: ran[t]!.epochs, modelEpochs: ran[t]!.modelEpochs } } : {}),
        },
      };
      const same = h.candidate === e.candidate && h.epochs === e.epochs;
      tasksOut.push({ group: group.label, ...group.names[t], sameChoice: same, ...sides, innerError: e.innerError });
      totals.tasks++;
      if (same) totals.same++;
      for (const side of ['halving', 'exhaustive'] as const) {
        const cost = sides[side].innerModelEpochs + sides[side].refitModelEpochs;
        totals[side].modelEpochs += cost;
        totals[side].mse += sides[side].heldOutMse;
        if (group.names[t]!.spin !== null) totals.spinModelEpochs[side] += cost;
      }
    });
    if (group.names[0]!.spin !== null) totals.spins++;
    const summary = Object.fromEntries((['halving', 'exhaustive'] as const).map((side) => [side, {
      modelEpochsPerTunedFit: totals[side].modelEpochs / totals.tasks,
      modelEpochsPerSpin: totals.spins > 0 ? totals.spinModelEpochs[side] / totals.spins : null,
      meanHeldOutMse: totals[side].mse / totals.tasks,
    }]));
    writeFileSync(outPath, JSON.stringify({
      command: 'node dist/tuning-halving.mjs (bench/tuning-halving.ts)',
      date: new Date().toISOString(),
      data: `${n} regions × ${g} genes, ${dataset.provenance.expressionFile}`,
      protocol: { scheme: options.schemes[0], splits: splits.length, seeds, spins: tuning.spins, candidates: tuning.candidates, epochs: tuning.epochs, innerFolds: tuning.innerFolds, innerFraction: tuning.innerFraction },
      groupsDone: groups.indexOf(group) + 1, groups: groups.map((gr) => gr.label),
      sameChoices: `${totals.same} of ${totals.tasks}`,
      summary, seconds, tasks: tasksOut,
    }, null, 2) + '\n');
    process.stderr.write(`${group.label}: ${totals.same} of ${totals.tasks} the same so far; ${JSON.stringify(summary)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
