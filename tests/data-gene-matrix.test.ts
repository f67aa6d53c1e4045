import { describe, expect, it } from 'vitest';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { selectGenes } from '../src/pipeline/evaluation/random-gene-null';

describe('geneMatrix', () => {
  it('keeps the values (not a copy) with their shape; an empty matrix of regions is allowed', () => {
    const values = Float64Array.of(1, 2, 3, 4, 5, 6);
    const X = geneMatrix(values, 2, 3);
    expect(X).toEqual({ values, regions: 2, genes: 3 });
    expect(X.values).toBe(values);
    expect(geneMatrix(new Float64Array(0), 5, 0).regions).toBe(5);
  });

  it('refuses a length that is not regions × genes, naming both', () => {
    expect(() => geneMatrix(new Float64Array(7), 2, 3)).toThrow(RangeError);
    expect(() => geneMatrix(new Float64Array(7), 2, 3)).toThrow('7 values for 2 regions × 3 genes (6)');
  });

  it('refuses sizes that are not whole numbers ≥ 0', () => {
    expect(() => geneMatrix(new Float64Array(0), -1, 0)).toThrow(/regions must be a whole number ≥ 0, got -1/);
    expect(() => geneMatrix(new Float64Array(3), 2, 1.5)).toThrow(/genes must be a whole number ≥ 0, got 1.5/);
    expect(() => geneMatrix(new Float64Array(0), NaN, 0)).toThrow(RangeError);
  });

  it('selectGenes: the chosen columns, in the order given, as a regions × |genes| matrix', () => {
    const X = geneMatrix(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3);
    const chosen = selectGenes(X, [2, 0]);
    expect(chosen.regions).toBe(2);
    expect(chosen.genes).toBe(2);
    expect(Array.from(chosen.values)).toEqual([3, 1, 6, 4]);
  });
});
