/**
 * Stage: every cross-validation scheme, every model on the same splits. On the headline the VAE and
 * the tuned VAE run as seed ensembles (one batched job each; the first member is the single model)
 * and the λ = 0 VAE beside them; elsewhere the VAE runs on `vaeSchemes`, the tuned VAE on
 * `tuning.schemes`, and the baselines (no-gene ones included) on every scheme.
 */
import { crossValidateWithFit, scoreSplits, type CrossValidationResult } from '../evaluation/cross-validate';
import type { BatchedRegressor, BatchFit } from '../evaluation/models';
import { seedEnsemble } from '../evaluation/seed-ensemble';
import type { Split } from '../evaluation/splits';
import type { TuningChoice } from '../evaluation/tuned-vae-regressor';
import type { StudyContext } from './context';
import type { CvScheme } from './options';
import { SCHEME_LABELS, schemeUnavailable } from './scheme-splits';
import { ensembleName } from './study-models';
import type { CvEntry, GridEdgeHits, TuningRecord } from './types';

/** A seed ensemble's headline cross-validation: every member scored alone, and the ensemble. */
export interface HeadlineEnsemble {
  name: string;
  seeds: number[];
  /** members[t][s]: split t, seed s */
  members: Float64Array[][];
  memberVariance: Float64Array[][] | null;
  bySeed: CrossValidationResult[];
  ensemble: CrossValidationResult;
}

export interface CrossValidationStage {
  crossValidation: CvEntry[];
  skippedSchemes: { scheme: CvScheme; reason: string }[];
  /** The tuned VAE's choice on every split it was cross-validated on. */
  tuning: TuningRecord[];
  /** The VAE's headline ensemble, then the tuned VAE's when tuning is on. */
  headlineRuns: HeadlineEnsemble[];
  gridEdges: GridEdgeHits[];
}

/** Grid edge hits of a fit that reports them (ridge, PLS). */
function edgeHits(scheme: CvScheme, model: string, fit: BatchFit): GridEdgeHits[] {
  const edges = fit.gridEdges;
  if (!edges) return [];
  const count = (edge: string) => edges.filter((e) => e === edge).length;
  return [{ scheme, model, splits: edges.length, lower: count('lower'), upper: count('upper') }];
}

/** The single model (first seed) and, with more than one seed, the ensemble, as CV entries. */
function entriesOf(scheme: CvScheme, run: HeadlineEnsemble): CvEntry[] {
  const single: CvEntry = { scheme, model: run.name, result: run.bySeed[0]! };
  if (run.seeds.length === 1) return [single];
  return [single, { scheme, model: ensembleName(run.name, run.seeds.length), result: run.ensemble }];
}

export async function crossValidationStage(ctx: StudyContext, seeds: number[]): Promise<CrossValidationStage> {
  const { inputs, tracked, expression, vae, vaeNoLaplacian, baselines, tuned, vaeMember, tunedMember } = ctx;
  const { dataset, options } = inputs;
  const { y } = dataset;
  const tunedSeeds = Array.from({ length: options.tuning?.seeds ?? 0 }, (_, s) => options.seed + s);
  const crossValidation: CvEntry[] = [];
  const skippedSchemes: { scheme: CvScheme; reason: string }[] = [];
  const tuning: TuningRecord[] = [];
  const gridEdges: GridEdgeHits[] = [];
  const recordChoices = (
    scheme: CvScheme,
    splits: readonly Split[],
    choices: readonly TuningChoice[],
    taskSeeds: readonly number[],
  ) => {
    choices.forEach((choice, k) => {
      const split = splits[Math.floor(k / taskSeeds.length)]!;
      tuning.push({
        scheme,
        split: split.name,
        seed: taskSeeds[k % taskSeeds.length]!,
        candidate: choice.candidate,
        epochs: choice.epochs,
        innerError: choice.innerError,
        modelEpochs: choice.modelEpochs,
      });
    });
  };
  /** The headline run of `member`'s seed ensemble, and the member model's own fit (task t·S + s: split t, seed s). */
  const headlineEnsemble = async <Fit extends BatchFit>(
    scheme: CvScheme,
    member: BatchedRegressor<Fit>,
    memberSeeds: number[],
    splits: Split[],
  ): Promise<{ run: HeadlineEnsemble; memberFit: Fit }> => {
    const ensemble = seedEnsemble(member, memberSeeds);
    const label =
      `${SCHEME_LABELS[scheme]} CV, ${member.name} over ${memberSeeds.length} seed(s) ` + `(${splits.length} splits)`;
    const tasks = splits.map((s) => ({ y, train: s.train, test: s.test }));
    const fit = await tracked(label, (update) => ensemble.fitPredict(expression, tasks, update));
    const run: HeadlineEnsemble = {
      name: member.name,
      seeds: memberSeeds,
      members: fit.members,
      memberVariance: fit.memberVariance ?? null,
      bySeed: memberSeeds.map((_, k) =>
        scoreSplits(
          y,
          splits,
          fit.members.map((m) => m[k]!),
        ),
      ),
      ensemble: scoreSplits(y, splits, fit.predictions),
    };
    return { run, memberFit: fit.memberFit };
  };

  const headlineRuns: HeadlineEnsemble[] = [];
  for (const scheme of options.schemes) {
    const reason = schemeUnavailable(scheme, dataset);
    if (reason) {
      skippedSchemes.push({ scheme, reason });
      continue;
    }
    const splits = ctx.splitsOf(scheme);
    const cv = <Fit extends BatchFit>(model: BatchedRegressor<Fit>) =>
      tracked(`${SCHEME_LABELS[scheme]} CV, ${model.name} (${splits.length} splits)`, (update) =>
        crossValidateWithFit(model, expression, y, splits, { onProgress: update }),
      );
    if (scheme === ctx.headline) {
      const { run: vaeRun } = await headlineEnsemble(scheme, vaeMember, seeds, splits);
      headlineRuns.push(vaeRun);
      crossValidation.push(...entriesOf(scheme, vaeRun));
      crossValidation.push({ scheme, model: vaeNoLaplacian.name, result: (await cv(vaeNoLaplacian)).result });
      if (tunedMember) {
        const { run: tunedRun, memberFit } = await headlineEnsemble(scheme, tunedMember, tunedSeeds, splits);
        headlineRuns.push(tunedRun);
        recordChoices(scheme, splits, memberFit.choices, tunedSeeds);
        crossValidation.push(...entriesOf(scheme, tunedRun));
      }
    } else {
      if (options.vaeSchemes.includes(scheme))
        crossValidation.push({ scheme, model: vae.name, result: (await cv(vae)).result });
      if (tuned && options.tuning!.schemes.includes(scheme)) {
        const { result, fit } = await cv(tuned);
        crossValidation.push({ scheme, model: tuned.name, result });
        recordChoices(scheme, splits, fit.choices, [options.seed]);
      }
    }
    for (const model of baselines) {
      const { result, fit } = await cv(model);
      crossValidation.push({ scheme, model: model.name, result });
      gridEdges.push(...edgeHits(scheme, model.name, fit));
    }
  }
  return { crossValidation, skippedSchemes, tuning, headlineRuns, gridEdges };
}
