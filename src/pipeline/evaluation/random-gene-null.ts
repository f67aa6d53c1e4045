/**
 * Random-gene null (gene specificity): does the chosen gene set predict y better out of sample than
 * random gene sets of the same size put through the same pipeline (same model, splits, scaling)?
 */
import { crossValidate } from './cross-validate';
import type { BatchedRegressor } from './models';
import { createRng, randomPermutation } from './rng';
import { spinPValue as permutationPValue } from './spin';
import type { Split } from './splits';
import type { NullStatistic } from './spin-null';

export interface RandomGeneNullOptions {
  /** The chosen gene set's pooled out-of-sample statistic (from crossValidate), compared with the nulls. */
  observed: number;
  statistic?: NullStatistic;
  onProgress?: (done: number, total: number) => void;
}

/** Columns `genes` of the N×G matrix X, as an N×|genes| matrix. */
export function selectGenes(X: Float64Array, n: number, g: number, genes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n * genes.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < genes.length; c++) out[i * genes.length + c] = X[i * g + genes[c]!]!;
  return out;
}

/**
 * `count` gene sets of `geneCount` genes drawn without replacement from all gAll columns of Xall
 * (seeded); the pooled statistic of each set's cross-validation forms the null. One fitPredict call
 * per gene set (the tasks of one call share X). p = (1 + #null ≥ observed)/(1 + count).
 */
export async function randomGeneNull(
  model: BatchedRegressor,
  Xall: Float64Array,
  n: number,
  gAll: number,
  geneCount: number,
  y: Float64Array,
  splits: readonly Split[],
  count: number,
  seed: number,
  options: RandomGeneNullOptions,
): Promise<{ nulls: Float64Array; p: number }> {
  if (!(Number.isInteger(geneCount) && geneCount >= 1 && geneCount <= gAll)) {
    throw new RangeError(`geneCount must be an integer in 1…${gAll}, got ${geneCount}`);
  }
  const { observed, statistic = 'r', onProgress } = options;
  const rng = createRng(seed);
  const nulls = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const genes = randomPermutation(gAll, rng).subarray(0, geneCount);
    const result = await crossValidate(model, selectGenes(Xall, n, gAll, genes), n, geneCount, y, splits);
    nulls[k] = statistic === 'r' ? result.pooled.r : result.pooled.r2;
    onProgress?.(k + 1, count);
  }
  return { nulls, p: permutationPValue(observed, nulls, 'greater') };
}
