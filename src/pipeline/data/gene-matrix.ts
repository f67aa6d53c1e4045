/**
 * The expression matrix every model and evaluation takes, with its shape attached: one argument
 * instead of (X, n, g), checked once where it is made.
 */

/** Expression of N regions × G genes, row-major: values[i·G + j]. */
export interface GeneMatrix {
  readonly values: Float64Array;
  readonly regions: number;
  readonly genes: number;
}

/** `values` as an N×G gene matrix; throws a RangeError when a size is not a whole number ≥ 0 or values.length ≠ N·G. */
export function geneMatrix(values: Float64Array, regions: number, genes: number): GeneMatrix {
  for (const [name, size] of [
    ['regions', regions],
    ['genes', genes],
  ] as const) {
    if (!(Number.isInteger(size) && size >= 0))
      throw new RangeError(`gene matrix: ${name} must be a whole number ≥ 0, got ${size}`);
  }
  if (values.length !== regions * genes) {
    throw new RangeError(
      `gene matrix: ${values.length} values for ${regions} regions × ${genes} genes (${regions * genes})`,
    );
  }
  return { values, regions, genes };
}
