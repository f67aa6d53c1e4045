/**
 * A seed ensemble as a model of its own: every task is fitted once per seed (all seeds × tasks as one
 * batched fitPredict call of the member model) and the ensemble predicts the members' mean,
 *   ŷᵢ = (1/S) Σ_s ŷᵢ^(s).
 * The members' own predictions (and their posterior variances, when the member model reports them)
 * stay available for mean ± SD over seeds and for predictive intervals.
 */
import type { BatchedRegressor, FitTask } from './models';

/** A member model that may also report Var(ŷ) under q(z|x) for each task of its last call. */
export type MemberModel = BatchedRegressor & { lastVariance?: Float64Array[] | null };

export interface SeedEnsemble extends BatchedRegressor {
  seeds: readonly number[];
  /** lastMembers[t][s]: task t's prediction by the member with seeds[s], from the last call. */
  lastMembers: Float64Array[][];
  /** lastMemberVariance[t][s]: that member's Var(ŷ) under q(z|x), when the member model reports it. */
  lastMemberVariance: Float64Array[][] | null;
}

/** Mean over members, region by region. */
export function memberMean(members: readonly Float64Array[]): Float64Array {
  const mean = new Float64Array(members[0]!.length);
  for (const m of members) for (let i = 0; i < mean.length; i++) mean[i]! += m[i]! / members.length;
  return mean;
}

/**
 * The ensemble of `member` over `seeds`. Expanded tasks are ordered task-major: task t with seed s is
 * call index t·S + s of the member model (its per-task records, e.g. tuning choices, follow that order).
 */
export function seedEnsemble(
  member: MemberModel,
  seeds: readonly number[],
  name = `${member.name}, ${seeds.length}-seed ensemble`,
): SeedEnsemble {
  if (seeds.length === 0) throw new RangeError('a seed ensemble needs at least one seed');
  const ensemble: SeedEnsemble = {
    name,
    seeds,
    lastMembers: [],
    lastMemberVariance: null,
    async fitPredict(X, tasks, onProgress) {
      const expanded: FitTask[] = tasks.flatMap((task) => seeds.map((seed) => ({ ...task, seed })));
      const predictions = await member.fitPredict(
        X,
        expanded,
        onProgress && ((done, total) => onProgress((done / total) * tasks.length, tasks.length)),
      );
      const bySeed = <T>(values: readonly T[]): T[][] =>
        tasks.map((_, t) => values.slice(t * seeds.length, (t + 1) * seeds.length));
      ensemble.lastMembers = bySeed(predictions);
      ensemble.lastMemberVariance = member.lastVariance ? bySeed(member.lastVariance) : null;
      return ensemble.lastMembers.map(memberMean);
    },
  };
  return ensemble;
}
