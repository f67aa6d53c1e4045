/**
 * Successive halving over the epoch grid (docs/evaluation.md, "Nested tuning"): the rungs are the
 * grid's epoch counts e₁ < e₂ < … < e_R. Every candidate trains to e₁; after each rung the
 * survivors are ranked by their least inner error so far, min_{e ≤ e_r} err(c, e), and the better
 * half, ⌊n/2⌋ of n (at least one), trains on to the next rung from where it stopped. Training to
 * epoch e does not depend on what follows, so every error read is the one a single long run gives,
 * and a candidate that leads at some rung is never dropped there.
 *
 * Exhaustive search, kept for comparison, is one rung at e_R holding every candidate.
 */

export type TuningSearch = 'halving' | 'exhaustive';

export const TUNING_SEARCHES: readonly TuningSearch[] = ['halving', 'exhaustive'];

/** Epoch counts at which the survivors are ranked and halved; training runs rung to rung. */
export function rungEpochs(search: TuningSearch, epochs: readonly number[]): number[] {
  return search === 'halving' ? [...epochs] : [epochs[epochs.length - 1]!];
}

/** How many of n candidates go on to the next rung: the better half, ⌊n/2⌋, and at least one. */
export function keepCount(n: number): number {
  return Math.max(1, Math.floor(n / 2));
}

/**
 * The candidates of `alive` that go on: the keepCount(|alive|) with the least score (ties to the
 * lower index), listed in index order.
 */
export function betterHalf(alive: readonly number[], score: (candidate: number) => number): number[] {
  const ranked = [...alive].sort((a, b) => score(a) - score(b) || a - b);
  return ranked.slice(0, keepCount(alive.length)).sort((a, b) => a - b);
}

/**
 * models·epochs one inner fold spends on the search: Σ_r n_r · (e_r − e_{r−1}), with n₁ the candidate
 * count and n_{r+1} = keepCount(n_r) under halving (n_r = candidates throughout when exhaustive).
 */
export function searchModelEpochs(search: TuningSearch, candidates: number, epochs: readonly number[]): number {
  let alive = candidates;
  let previous = 0;
  let total = 0;
  for (const rung of rungEpochs(search, epochs)) {
    total += alive * (rung - previous);
    previous = rung;
    alive = keepCount(alive);
  }
  return total;
}
