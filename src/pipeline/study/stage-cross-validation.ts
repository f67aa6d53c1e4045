/**
 * Stage: every cross-validation scheme, every model on the same splits. On the headline the VAE and
 * the tuned VAE run as seed ensembles (one batched job each; the first member is the single model)
 * and the λ = 0 VAE beside them; elsewhere the VAE runs on `vaeSchemes`, the tuned VAE on
 * `tuning.schemes`, and the baselines (no-gene ones included) on every scheme.
 */
import { crossValidate, scoreSplits, type CrossValidationResult } from '../evaluation/cross-validate';
import type { BatchedRegressor } from '../evaluation/models';
import { seedEnsemble, type MemberModel } from '../evaluation/seed-ensemble';
import type { Split } from '../evaluation/splits';
import type { TunedVaeRegressor } from '../evaluation/tuned-vae-regressor';
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

/** Grid edge hits of the last fitPredict call of a model that reports them (ridge, PLS). */
function edgeHits(scheme: CvScheme, model: BatchedRegressor): GridEdgeHits[] {
  const edges = (model as { lastGridEdges?: readonly (string | null)[] }).lastGridEdges;
  if (!edges) return [];
  const count = (edge: string) => edges.filter((e) => e === edge).length;
  return [{ scheme, model: model.name, splits: edges.length, lower: count('lower'), upper: count('upper') }];
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
    model: TunedVaeRegressor,
    taskSeeds: readonly number[],
  ) => {
    model.lastChoices.forEach((choice, k) => {
      const split = splits[Math.floor(k / taskSeeds.length)]!;
      tuning.push({
        scheme,
        split: split.name,
        seed: taskSeeds[k % taskSeeds.length]!,
        candidate: choice.candidate,
        epochs: choice.epochs,
        innerError: choice.innerError,
      });
    });
  };
  const headlineEnsemble = async (
    scheme: CvScheme,
    member: MemberModel,
    memberSeeds: number[],
    splits: Split[],
  ): Promise<HeadlineEnsemble> => {
    const ensemble = seedEnsemble(member, memberSeeds);
    const label =
      `${SCHEME_LABELS[scheme]} CV, ${member.name} over ${memberSeeds.length} seed(s) ` + `(${splits.length} splits)`;
    const tasks = splits.map((s) => ({ y, train: s.train, test: s.test }));
    const mean = await tracked(label, (update) => ensemble.fitPredict(expression, tasks, update));
    return {
      name: member.name,
      seeds: memberSeeds,
      members: ensemble.lastMembers,
      memberVariance: ensemble.lastMemberVariance,
      bySeed: memberSeeds.map((_, k) =>
        scoreSplits(
          y,
          splits,
          ensemble.lastMembers.map((m) => m[k]!),
        ),
      ),
      ensemble: scoreSplits(y, splits, mean),
    };
  };

  const headlineRuns: HeadlineEnsemble[] = [];
  for (const scheme of options.schemes) {
    const reason = schemeUnavailable(scheme, dataset);
    if (reason) {
      skippedSchemes.push({ scheme, reason });
      continue;
    }
    const splits = ctx.splitsOf(scheme);
    const cv = (model: BatchedRegressor) =>
      tracked(`${SCHEME_LABELS[scheme]} CV, ${model.name} (${splits.length} splits)`, (update) =>
        crossValidate(model, expression, y, splits, { onProgress: update }),
      );
    if (scheme === ctx.headline) {
      const vaeRun = await headlineEnsemble(scheme, vaeMember, seeds, splits);
      headlineRuns.push(vaeRun);
      crossValidation.push(...entriesOf(scheme, vaeRun));
      crossValidation.push({ scheme, model: vaeNoLaplacian.name, result: await cv(vaeNoLaplacian) });
      if (tunedMember) {
        const tunedRun = await headlineEnsemble(scheme, tunedMember, tunedSeeds, splits);
        headlineRuns.push(tunedRun);
        recordChoices(scheme, splits, tunedMember, tunedSeeds);
        crossValidation.push(...entriesOf(scheme, tunedRun));
      }
    } else {
      if (options.vaeSchemes.includes(scheme)) crossValidation.push({ scheme, model: vae.name, result: await cv(vae) });
      if (tuned && options.tuning!.schemes.includes(scheme)) {
        crossValidation.push({ scheme, model: tuned.name, result: await cv(tuned) });
        recordChoices(scheme, splits, tuned, [options.seed]);
      }
    }
    for (const model of baselines) {
      crossValidation.push({ scheme, model: model.name, result: await cv(model) });
      gridEdges.push(...edgeHits(scheme, model));
    }
  }
  return { crossValidation, skippedSchemes, tuning, headlineRuns, gridEdges };
}
