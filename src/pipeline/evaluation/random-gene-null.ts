/**
 * Random-gene null (gene specificity): does the chosen gene set predict y better out of sample than
 * random gene sets of the same size put through the same pipeline (same model, splits, scaling)?
 */
import { geneMatrix, type GeneMatrix } from '../data/gene-matrix';
import { crossValidate } from './cross-validate';
import type { BatchedRegressor } from './models';
import { createRng, randomPermutation } from './rng';
import { spinPValue as permutationPValue } from './spin';
import type { Split } from './splits';
import type { NullStatistic } from './spin-null';

/** The observed statistic to compare, which statistic, and progress reporting for the random-gene null. */
export interface RandomGeneNullOptions {
  /** The chosen gene set's pooled out-of-sample statistic (from crossValidate), compared with the nulls. */
  observed: number;
  statistic?: NullStatistic;
  onProgress?: (done: number, total: number) => void;
}

/** Columns `genes` of the N×G matrix, as an N×|genes| matrix. */
export function selectGenes(expression: GeneMatrix, genes: ArrayLike<number>): GeneMatrix {
  const { values: X, regions: n, genes: g } = expression;
  const out = new Float64Array(n * genes.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < genes.length; c++) out[i * genes.length + c] = X[i * g + genes[c]!]!;
  return geneMatrix(out, n, genes.length);
}

/**
 * `count` gene sets of `geneCount` column indices drawn without replacement from 0 … gAll−1, seeded:
 * set k is the first geneCount entries of the k-th random permutation of one seeded stream, so any
 * range of sets is the same whoever draws it.
 */
export function randomGeneSets(gAll: number, geneCount: number, count: number, seed: number): Int32Array[] {
  if (!(Number.isInteger(geneCount) && geneCount >= 1 && geneCount <= gAll)) {
    throw new RangeError(`geneCount must be an integer in 1…${gAll}, got ${geneCount}`);
  }
  const rng = createRng(seed);
  return Array.from({ length: count }, () => randomPermutation(gAll, rng).subarray(0, geneCount));
}

/** The pooled cross-validated statistic of each gene set: one fitPredict call per set (the tasks of one call share X). */
export async function geneSetStatistics(
  model: BatchedRegressor,
  Xall: GeneMatrix,
  sets: readonly Int32Array[],
  y: Float64Array,
  splits: readonly Split[],
  options: { statistic?: NullStatistic; onProgress?: (done: number, total: number) => void } = {},
): Promise<Float64Array> {
  const { statistic = 'r', onProgress } = options;
  const statistics = new Float64Array(sets.length);
  for (const [k, genes] of sets.entries()) {
    const result = await crossValidate(model, selectGenes(Xall, genes), y, splits);
    statistics[k] = statistic === 'r' ? result.pooled.r : result.pooled.r2;
    onProgress?.(k + 1, sets.length);
  }
  return statistics;
}

/**
 * `count` random gene sets of `geneCount` genes from all columns of Xall (seeded); the pooled
 * statistic of each set's cross-validation forms the null. p = (1 + #null ≥ observed)/(1 + count).
 */
export async function randomGeneNull(
  model: BatchedRegressor,
  Xall: GeneMatrix,
  geneCount: number,
  y: Float64Array,
  splits: readonly Split[],
  count: number,
  seed: number,
  options: RandomGeneNullOptions,
): Promise<{ nulls: Float64Array; p: number }> {
  const { observed, ...rest } = options;
  const nulls = await geneSetStatistics(
    model,
    Xall,
    randomGeneSets(Xall.genes, geneCount, count, seed),
    y,
    splits,
    rest,
  );
  return { nulls, p: permutationPValue(observed, nulls, 'greater') };
}
