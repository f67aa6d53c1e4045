/**
 * A seed ensemble as a model of its own: every task is fitted once per seed (all seeds × tasks as one
 * batched fitPredict call of the member model) and the ensemble predicts the members' mean,
 *   ŷᵢ = (1/S) Σ_s ŷᵢ^(s).
 * The members' own predictions (and their posterior variances, when the member model reports them)
 * stay available for mean ± SD over seeds and for predictive intervals.
 */
import type { BatchedRegressor, BatchFit, FitTask } from './models';

/**
 * The ensemble's fit: the members' mean, each member's own prediction and Var(ŷ), and the member
 * model's whole fit (its per-task records, e.g. tuning choices).
 */
export interface SeedEnsembleFit<MemberFit extends BatchFit = BatchFit> extends BatchFit {
  /** members[t][s]: task t's prediction by the member with seeds[s]. */
  members: Float64Array[][];
  /** memberVariance[t][s]: that member's Var(ŷ) under q(z|x), when the member model reports it. */
  memberVariance?: Float64Array[][];
  /** The member model's fit of the expanded tasks: task t with seeds[s] is its task t·S + s. */
  memberFit: MemberFit;
}

export interface SeedEnsemble<MemberFit extends BatchFit = BatchFit> extends BatchedRegressor<
  SeedEnsembleFit<MemberFit>
> {
  seeds: readonly number[];
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
export function seedEnsemble<MemberFit extends BatchFit>(
  member: BatchedRegressor<MemberFit>,
  seeds: readonly number[],
  name = `${member.name}, ${seeds.length}-seed ensemble`,
): SeedEnsemble<MemberFit> {
  if (seeds.length === 0) throw new RangeError('a seed ensemble needs at least one seed');
  return {
    name,
    seeds,
    async fitPredict(X, tasks, onProgress) {
      const expanded: FitTask[] = tasks.flatMap((task) => seeds.map((seed) => ({ ...task, seed })));
      const memberFit = await member.fitPredict(
        X,
        expanded,
        onProgress && ((done, total) => onProgress((done / total) * tasks.length, tasks.length)),
      );
      const bySeed = <T>(values: readonly T[]): T[][] =>
        tasks.map((_, t) => values.slice(t * seeds.length, (t + 1) * seeds.length));
      const members = bySeed(memberFit.predictions);
      const predictions = members.map(memberMean);
      return memberFit.variance
        ? { predictions, members, memberVariance: bySeed(memberFit.variance), memberFit }
        : { predictions, members, memberFit };
    },
  };
}
