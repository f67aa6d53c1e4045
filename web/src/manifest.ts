/**
 * The explorer's data: what `npm run web:build` writes beside the page (assets/manifest.json and
 * one binary file per array) and the page reads back. Arrays are little-endian float32 or uint32,
 * row-major, each with its shape and SHA-256 so a damaged or swapped file is caught on load.
 */

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 1;

export interface ArrayAsset {
  /** File name inside the assets folder. */
  file: string;
  dtype: 'float32' | 'uint32';
  shape: number[];
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface JsonAsset {
  file: string;
  sha256: string;
}

/** One gene set: the regions it keeps, its expression matrix and the maps and graph over those regions. */
export interface GeneSetAsset {
  /** URL value: '75' or '787'. */
  id: string;
  label: string;
  /** The shipped expression file the matrix was read from. */
  expressionFile: string;
  regions: string[];
  genes: string[];
  /** N×G expression as read (not z-scored: scaling is fitted on each fit's training regions). */
  expression: ArrayAsset;
  /** T×N target maps in manifest.targets order, oriented positive = more vulnerable. */
  targets: ArrayAsset;
  /** The symmetric-normalised graph Laplacian over the N regions, CSR. */
  laplacian: { rowPtr: ArrayAsset; colIndex: ArrayAsset; values: ArrayAsset; edgeCount: number };
  /** N×3 sphere centroids (each hemisphere in its own frame), what spin permutations rotate. */
  sphere: ArrayAsset;
}

export interface TargetInfo {
  name: string;
  description: string;
}

export interface Manifest {
  format: number;
  /** The command that wrote it. */
  generatedBy: string;
  targets: TargetInfo[];
  geneSets: GeneSetAsset[];
  /** The DK outline drawing (data/dk_ggseg_polygons.json, checked). */
  outlines: JsonAsset;
}
