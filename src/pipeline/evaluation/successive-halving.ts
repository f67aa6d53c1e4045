/**
 * Early elimination over the epoch grid (docs/evaluation.md, "Nested tuning"): the rungs are the
 * grid's epoch counts e₁ < e₂ < … < e_R. Every candidate trains to e₁; after each rung the
 * candidates still in are ranked by their least inner error so far, min_{e ≤ e_r} err(c, e), and
 * the best keepCount(n) of them train on to the next rung from where they stopped:
 *   'halving'     the better half, ⌊n/2⌋ (successive halving);
 *   'drop-worst'  all but the worst, n − 1 (successive rejects);
 *   'exhaustive'  every one: a single rung at e_R, kept for comparison.
 * At least one always goes on. Training to epoch e does not depend on what follows, so every error
 * read is the one a single long run gives, and the leader at a rung is never dropped there; what an
 * early cut can miss is a candidate that trails early and wins late.
 */

export type TuningSearch = 'halving' | 'drop-worst' | 'exhaustive';

export const TUNING_SEARCHES: readonly TuningSearch[] = ['halving', 'drop-worst', 'exhaustive'];

/** Epoch counts at which the candidates still in are ranked and cut; training runs rung to rung. */
export function rungEpochs(search: TuningSearch, epochs: readonly number[]): number[] {
  return search === 'exhaustive' ? [epochs[epochs.length - 1]!] : [...epochs];
}

/** How many of n candidates go on past a rung (at least one). */
export function keepCount(search: TuningSearch, n: number): number {
  const keep = { halving: Math.floor(n / 2), 'drop-worst': n - 1, exhaustive: n }[search];
  return Math.max(1, keep);
}

/**
 * The candidates of `alive` that go on: the keepCount(search, |alive|) with the least score (ties
 * to the lower index), listed in index order.
 */
export function survivors(
  search: TuningSearch,
  alive: readonly number[],
  score: (candidate: number) => number,
): number[] {
  const ranked = [...alive].sort((a, b) => score(a) - score(b) || a - b);
  return ranked.slice(0, keepCount(search, alive.length)).sort((a, b) => a - b);
}

/**
 * models·epochs one inner fold spends on the search: Σ_r n_r · (e_r − e_{r−1}), with n₁ the
 * candidate count and n_{r+1} = keepCount(n_r).
 */
export function searchModelEpochs(search: TuningSearch, candidates: number, epochs: readonly number[]): number {
  let alive = candidates;
  let previous = 0;
  let total = 0;
  for (const rung of rungEpochs(search, epochs)) {
    total += alive * (rung - previous);
    previous = rung;
    alive = keepCount(search, alive);
  }
  return total;
}
