/**
 * Exhaustive tuning against early elimination (successive halving, and dropping the worst) on the
 * shipped data, as JSON (docs/evaluation.md, "Nested tuning"): the tuned VAE's own fits at the
 * default protocol — the headline splits × its seeds, then its retrained spin null's spins ×
 * splits, one group after another (the file is rewritten after each) — with the choice each search
 * makes, the models·epochs it spends (inner fits and refit) and the held-out error of the refitted
 * prediction.
 *
 * Exhaustive tuning runs; each other search's choice is read off its error table: an early cut
 * reads exactly the errors exhaustive search reads for the candidates it keeps (training on from a
 * stopped run is bit-identical, tests/model-resume.test.ts; the tuner's reads and its models·epochs,
 * tests/eval-halving.test.ts), and where a choice differs from exhaustive search's it is refitted.
 *
 *   npx esbuild bench/tuning-halving.ts --bundle --platform=node --format=esm --loader:.wgsl=text \
 *     --external:webgpu --external:wgsl_reflect --outfile=dist/tuning-halving.mjs
 *   XDG_RUNTIME_DIR=/tmp node dist/tuning-halving.mjs bench/results/tuning-search-$(date +%F).json
 *
 * About 25 min on the shared 2-core machine (lavapipe); bench/results keeps it only when added with -f.
 */
import { writeFileSync } from 'node:fs';
import { Engine } from '../src/engine/engine';
import { WebGpuBackend } from '../src/engine/webgpu/backend';
import { DEFAULT_VAE_CONFIG } from '../src/model';
import { defaultRunConfig } from '../src/pipeline/cli/config';
import { datasetFrom, laplacianOf } from '../src/pipeline/cli/context';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { fitByConfig } from '../src/pipeline/evaluation/config-groups';
import type { FitTask } from '../src/pipeline/evaluation/models';
import { spunTargets } from '../src/pipeline/evaluation/spin-null';
import { spinPermutations } from '../src/pipeline/evaluation/spin';
import { searchModelEpochs, survivors, type TuningSearch } from '../src/pipeline/evaluation/successive-halving';
import { tunedVaeRegressor } from '../src/pipeline/evaluation/tuned-vae-regressor';
import { DEFAULT_STUDY_OPTIONS, DEFAULT_TUNING } from '../src/pipeline/study/options';
import { schemeSplits } from '../src/pipeline/study/scheme-splits';

interface Group {
  label: string;
  tasks: FitTask[];
  names: { split: string; seed: number; spin: number | null }[];
}
interface Side {
  candidate: number;
  epochs: number;
  innerModelEpochs: number;
  refitModelEpochs: number;
  heldOutMse: number;
  survivors?: number[][];
}
interface TaskOut {
  group: string;
  split: string;
  seed: number;
  spin: number | null;
  [search: string]: unknown;
}

const EARLY: readonly TuningSearch[] = ['halving', 'drop-worst'];

const sameChoice = (a: Side, b: Side): boolean => a.candidate === b.candidate && a.epochs === b.epochs;

/** A search's choice from a full table: each rung's survivors, then the first least error among the pairs they read. */
function choiceFromTable(search: TuningSearch, errors: readonly number[][], epochs: readonly number[]) {
  let alive = errors.map((_, c) => c);
  const reach = errors.map(() => 0);
  const kept: number[][] = [];
  epochs.forEach((_, r) => {
    for (const c of alive) reach[c] = r + 1;
    alive = survivors(search, alive, (c) => Math.min(...errors[c]!.slice(0, r + 1)));
    kept.push(alive);
  });
  let best = { c: 0, e: 0 };
  reach.forEach((length, c) =>
    errors[c]!.slice(0, length).forEach((err, e) => {
      if (err < errors[best.c]![best.e]!) best = { c, e };
    }),
  );
  return { candidate: best.c, epochs: epochs[best.e]!, survivors: kept };
}

async function main(): Promise<void> {
  const outPath = process.argv[2] ?? 'tuning-halving.json';
  const config = defaultRunConfig();
  const dataset = datasetFrom(config.data);
  const { y } = dataset;
  const X = geneMatrix(dataset.X, dataset.regions.length, dataset.genes.length);
  const options = { ...DEFAULT_STUDY_OPTIONS, model: DEFAULT_VAE_CONFIG };
  const tuning = DEFAULT_TUNING;
  const splits = schemeSplits(options.schemes[0]!, dataset, options);
  const seeds = Array.from({ length: tuning.seeds }, (_, s) => options.seed + s);
  const spins = spinPermutations({
    sphere: dataset.centroids.sphere,
    hemisphere: dataset.hemisphere,
    n: options.spins,
    seed: options.seed,
    method: options.spinMethod,
  }).slice(0, tuning.spins);
  // the headline ensemble's members (task-major over seeds, as seedEnsemble orders them), then each spin's CV
  const groups: Group[] = [
    {
      label: 'headline',
      tasks: splits.flatMap((split) => seeds.map((seed) => ({ y, train: split.train, test: split.test, seed }))),
      names: splits.flatMap((split) => seeds.map((seed) => ({ split: split.name, seed, spin: null }))),
    },
    ...spunTargets(y, spins).map((spun, s) => ({
      label: `spin ${s}`,
      tasks: splits.map((split) => ({ y: spun, train: split.train, test: split.test })),
      names: splits.map((split) => ({ split: split.name, seed: options.seed, spin: s })),
    })),
  ];

  const engine = new Engine(await WebGpuBackend.create());
  const shared = {
    engine,
    laplacian: laplacianOf(dataset, config.data),
    edgeCount: dataset.graph.edges.length,
    seed: options.seed,
    scaling: options.scaling,
  };
  const searches: TuningSearch[] = ['exhaustive', ...EARLY];
  const tasksOut: TaskOut[] = [];
  const sides: Record<string, Side>[] = [];
  const seconds: Record<string, number> = {};
  for (const [groupIndex, group] of groups.entries()) {
    const start = performance.now();
    const exhaustive = tunedVaeRegressor({
      ...shared,
      config: options.model,
      tuning: { ...tuning, search: 'exhaustive' },
      centroids: dataset.centroids.surface,
      hemispheres: dataset.hemisphere,
    });
    const { predictions, choices } = await exhaustive.fitPredict(X, group.tasks);
    seconds[group.label] = (performance.now() - start) / 1000;
    // mean squared error over the split's held-out regions
    const heldOutMse = (t: number, prediction: Float64Array) => {
      const { y: target, test } = group.tasks[t]!;
      return test.reduce((sum, i) => sum + (target[i]! - prediction[i]!) ** 2, 0) / test.length;
    };
    const bySearch: Record<string, Side[]> = {
      exhaustive: choices.map((c, t) => ({
        candidate: c.candidate,
        epochs: c.epochs,
        innerModelEpochs: c.modelEpochs,
        refitModelEpochs: c.epochs,
        heldOutMse: heldOutMse(t, predictions[t]!),
      })),
    };
    for (const search of EARLY) {
      const read = choices.map((c) => choiceFromTable(search, c.innerError, tuning.epochs));
      const same = (t: number) =>
        read[t]!.candidate === bySearch.exhaustive![t]!.candidate &&
        read[t]!.epochs === bySearch.exhaustive![t]!.epochs;
      const differing = read.flatMap((_, t) => (same(t) ? [] : [t]));
      const refits =
        differing.length === 0
          ? []
          : (
              await fitByConfig(
                shared,
                X,
                differing.map((t) => group.tasks[t]!),
                differing.map((t) => exhaustive.configOf(read[t]!)),
              )
            ).predictions;
      const innerModelEpochs = tuning.innerFolds * searchModelEpochs(search, tuning.candidates.length, tuning.epochs);
      bySearch[search] = read.map((c, t) => ({
        candidate: c.candidate,
        epochs: c.epochs,
        survivors: c.survivors,
        innerModelEpochs,
        refitModelEpochs: c.epochs,
        heldOutMse: heldOutMse(t, differing.includes(t) ? refits[differing.indexOf(t)]! : predictions[t]!),
      }));
    }
    group.tasks.forEach((_, t) => {
      const entry = Object.fromEntries(searches.map((search) => [search, bySearch[search]![t]!]));
      sides.push(entry);
      const innerError = choices[t]!.innerError;
      tasksOut.push({ group: group.label, ...group.names[t]!, ...entry, innerError });
    });
    const spinTasks = tasksOut.flatMap((task, k) => (task.spin !== null ? [k] : []));
    const spinCount = new Set(tasksOut.filter((task) => task.spin !== null).map((task) => task.spin)).size;
    const cost = (side: Side) => side.innerModelEpochs + side.refitModelEpochs;
    const summary = Object.fromEntries(
      searches.map((search) => [
        search,
        {
          sameChoicesAsExhaustive:
            `${sides.filter((side) => sameChoice(side[search]!, side.exhaustive!)).length}` + ` of ${sides.length}`,
          modelEpochsPerTunedFit: sides.reduce((sum, s) => sum + cost(s[search]!), 0) / sides.length,
          modelEpochsPerSpin:
            spinCount > 0 ? spinTasks.reduce((sum, k) => sum + cost(sides[k]![search]!), 0) / spinCount : null,
          meanHeldOutMse: sides.reduce((sum, s) => sum + s[search]!.heldOutMse, 0) / sides.length,
        },
      ]),
    );
    writeFileSync(
      outPath,
      JSON.stringify(
        {
          command: 'node dist/tuning-halving.mjs (bench/tuning-halving.ts)',
          date: new Date().toISOString(),
          data: `${X.regions} regions × ${X.genes} genes, ${dataset.provenance.expressionFile}`,
          protocol: {
            scheme: options.schemes[0],
            splits: splits.length,
            seeds,
            spins: tuning.spins,
            candidates: tuning.candidates,
            epochs: tuning.epochs,
            innerFolds: tuning.innerFolds,
            innerFraction: tuning.innerFraction,
          },
          groupsDone: groupIndex + 1,
          groups: groups.map((gr) => gr.label),
          summary,
          seconds,
          tasks: tasksOut,
        },
        null,
        2,
      ) + '\n',
    );
    process.stderr.write(`${group.label}: ${JSON.stringify(summary)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
