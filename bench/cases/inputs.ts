/** Seeded inputs shared by the case files: the same values land on every backend. */
import { shapeSize, type Backend, type RawTensor, type Shape } from '../../src/engine/backend';
import { formatShape } from '../../src/engine/broadcast';
import { seededValues } from '../accuracy';

/** Uploads seeded values in [lo, hi) of `shape`. */
export function seeded(backend: Backend, shape: Shape, seed: number, lo = -1, hi = 1): RawTensor {
  return backend.upload(seededValues(shapeSize(shape), seed, lo, hi), shape);
}

/** Releases every tensor given. */
export function releaseAll(backend: Backend, tensors: readonly (RawTensor | undefined)[]): void {
  for (const t of tensors) if (t) backend.release(t);
}

/** Shapes joined for a table cell: "[64,68,910]·[64,910,256]". */
export function shapeText(shapes: readonly Shape[], joiner = '·'): string {
  return shapes.map(formatShape).join(joiner);
}

/** A seed derived from a case name (FNV-1a, 32 bit): the same case gets the same data in every run. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
