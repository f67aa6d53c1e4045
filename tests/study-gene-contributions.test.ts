/** Δ to the best no-gene model: the observed difference, its bootstrap interval and its paired null p, by hand. */
import { describe, expect, it } from 'vitest';
import { scoreSplits } from '../src/pipeline/evaluation/cross-validate';
import { pearson } from '../src/pipeline/evaluation/metrics';
import { geneContributions, withContributionPs } from '../src/pipeline/study/gene-contributions';
import type { NullEntry, StudyResult } from '../src/pipeline/study/types';

const y = Float64Array.of(1, 3, 2, 5, 4, 6, 8, 7);
const splits = [
  { name: 'a', train: [4, 5, 6, 7], test: [0, 1, 2, 3] },
  { name: 'b', train: [0, 1, 2, 3], test: [4, 5, 6, 7] },
];
const entry = (model: string, prediction: number[]) => ({
  scheme: 'patches' as const,
  model,
  result: scoreSplits(y, splits, [Float64Array.from(prediction), Float64Array.from(prediction)]),
});
const genes = entry('ridge (λ by inner CV)', [1.2, 2.5, 2.4, 4.1, 4.6, 5.5, 7.7, 7.4]);
const copy = entry('no genes: counterpart copy', [2, 2, 3, 4, 5, 5, 6, 8]);
const trend = entry('spatial-only (linear trend on centroids)', [3, 3, 3, 3, 6, 6, 6, 6]);
const retrained = (model: string, family: 'spin' | 'moran', nulls: number[]): NullEntry => ({
  name: model,
  model,
  kind: 'retrained',
  family,
  scheme: 'patches',
  basis: 'out-of-sample',
  statistic: 'r',
  observed: 0,
  nulls: Float64Array.from(nulls),
  p: 1,
  pLabel: family === 'spin' ? 'p_spin' : 'p_moran',
});

describe("the genes' contribution", () => {
  const observed = { crossValidation: [genes, copy, trend], nulls: [], headline: 'patches' as const };

  it('Δr and ΔR² against the best no-gene model (by pooled r), with a bootstrap interval around Δr', () => {
    const [row] = geneContributions(observed, y, 1);
    const best = copy.result.pooled.r > trend.result.pooled.r ? copy : trend;
    expect(row!.model).toBe(genes.model);
    expect(row!.versus).toContain(best.model);
    expect(row!.deltaR).toBeCloseTo(genes.result.pooled.r - best.result.pooled.r, 12);
    expect(row!.deltaR2).toBeCloseTo(genes.result.pooled.r2 - best.result.pooled.r2, 12);
    expect(row!.deltaR).toBeCloseTo(
      pearson(y, genes.result.heldOutPrediction) - pearson(y, best.result.heldOutPrediction),
      12,
    );
    expect(row!.deltaRInterval[0]).toBeLessThanOrEqual(row!.deltaR);
    expect(row!.deltaRInterval[1]).toBeGreaterThanOrEqual(row!.deltaR);
    expect(row!.pSpin).toBeUndefined();
  });

  it('p pairs the null maps: Δₖ = rₖ(gene model) − maxᵦ rₖ(b), over the draws every model has', () => {
    const rows = geneContributions(observed, y, 1);
    const nulls = [
      retrained(genes.model, 'spin', [0.1, 0.5, 0.2, 0.99]),
      retrained(copy.model, 'spin', [0.2, 0.1, 0.0]),
      retrained(trend.model, 'spin', [0.0, 0.3, 0.1, 0.9]),
    ];
    const [row] = withContributionPs({ ...observed, nulls, geneContributions: rows } as unknown as StudyResult);
    // Δₖ over the 3 draws all three models have: 0.1 − 0.2, 0.5 − 0.3, 0.2 − 0.1
    const deltas = [-0.1, 0.2, 0.1];
    expect(row!.pSpin).toEqual({ p: (1 + deltas.filter((d) => d >= row!.deltaR).length) / 4, draws: 3 });
    expect(row!.pMoran).toBeUndefined(); // no Moran nulls
  });
});
