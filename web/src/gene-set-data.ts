/**
 * A gene set's arrays decoded from its assets: the same values the project's loaders produced at
 * build time, typed for the model (float64 for the maths done on the host, the Laplacian as CSR).
 * `bytesOf` supplies each checked file's bytes: fetched in the page, read from disk in the tests.
 */
import type { CsrMatrix } from '../../src/engine/backend';
import { hemisphereOf, type Hemisphere } from '../../src/pipeline/atlas';
import type { ArrayAsset, GeneSetAsset } from './manifest';

export interface GeneSetData {
  id: string;
  label: string;
  regions: string[];
  hemisphere: Hemisphere[];
  genes: string[];
  /** N×G row-major expression. */
  expression: Float64Array;
  /** One map per manifest target, N values each. */
  targets: Float64Array[];
  laplacian: CsrMatrix;
  edgeCount: number;
  /** N×3 sphere centroids. */
  sphere: Float64Array;
}

export type BytesOf = (asset: ArrayAsset) => Uint8Array;

/** The typed array an asset holds, its length checked against its shape. */
export function decodeArray(asset: ArrayAsset, bytes: Uint8Array): Float32Array | Uint32Array {
  const count = asset.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== 4 * count) {
    const shape = asset.shape.join(', ');
    throw new Error(
      `${asset.file}: ${bytes.byteLength} bytes, but shape [${shape}] needs ${4 * count}; ` +
        'rebuild the assets with npm run web:build',
    );
  }
  const copy = bytes.slice().buffer;
  return asset.dtype === 'float32' ? new Float32Array(copy) : new Uint32Array(copy);
}

export function decodeGeneSet(asset: GeneSetAsset, bytesOf: BytesOf): GeneSetData {
  const read = (a: ArrayAsset) => decodeArray(a, bytesOf(a));
  const n = asset.regions.length;
  const targets = Float64Array.from(read(asset.targets));
  return {
    id: asset.id,
    label: asset.label,
    regions: asset.regions,
    hemisphere: asset.regions.map(hemisphereOf),
    genes: asset.genes,
    expression: Float64Array.from(read(asset.expression)),
    targets: Array.from({ length: asset.targets.shape[0]! }, (_, t) => targets.slice(t * n, (t + 1) * n)),
    laplacian: {
      n,
      rowPtr: read(asset.laplacian.rowPtr) as Uint32Array,
      colIndex: read(asset.laplacian.colIndex) as Uint32Array,
      values: read(asset.laplacian.values) as Float32Array,
    },
    edgeCount: asset.laplacian.edgeCount,
    sphere: Float64Array.from(read(asset.sphere)),
  };
}
