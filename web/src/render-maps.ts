/** Brain maps of a run (the report's brainMapSvg over the ggseg outlines) and its figures table. */
import { brainMapSvg } from '../../src/pipeline/report/brain-map';
import type { DkOutlines } from '../../src/pipeline/report/outline-shapes';
import type { FigureBasis } from '../../src/pipeline/report/types';
import type { MapKind, Outcome } from './experiment';

interface MapSpec {
  title: string;
  basis: FigureBasis;
  values: Float64Array | Float32Array;
  limits?: [number, number];
}

function regionValues(regions: readonly string[], values: ArrayLike<number>): Map<string, number | null> {
  return new Map(regions.map((r, i) => [r, values[i]!]));
}

function symmetricLimits(values: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return [-(m || 1), m || 1];
}

function svg(outlines: DkOutlines, regions: readonly string[], spec: MapSpec, id: string): string {
  return brainMapSvg({
    outlines,
    id,
    title: spec.title,
    basis: spec.basis,
    scale: 'diverging',
    values: regionValues(regions, spec.values),
    ...(spec.limits ? { limits: spec.limits } : {}),
  });
}

const MAP_NAMES: Record<MapKind, string> = { observed: 'observed map', spun: 'spun map' };

/** Observed (or spun) map, in-sample fit and held-out predictions on one colour scale per map. */
export function fitMapsHtml(
  outlines: DkOutlines,
  regions: readonly string[],
  maps: Partial<Record<MapKind, Float64Array>>,
  outcome: Outcome,
): string {
  return (Object.keys(maps) as MapKind[])
    .flatMap((kind) => {
      const y = maps[kind]!;
      const fit = outcome.byMap[kind]!;
      const limits = symmetricLimits(y);
      const specs: MapSpec[] = [
        { title: MAP_NAMES[kind], basis: 'observed data', values: y, limits },
        { title: `${MAP_NAMES[kind]}: in-sample fit`, basis: 'in-sample', values: fit.inSample, limits },
        { title: `${MAP_NAMES[kind]}: held-out hemisphere`, basis: 'out-of-sample', values: fit.heldOut, limits },
      ];
      return specs.map((spec, i) => `<figure>${svg(outlines, regions, spec, `${kind}-${i}`)}</figure>`);
    })
    .join('');
}

/** μ_k over the regions, one map per latent program. */
export function latentMapsHtml(outlines: DkOutlines, regions: readonly string[], outcome: Outcome): string {
  const n = regions.length;
  const k = outcome.latentSize;
  return Array.from({ length: k }, (_, j) => {
    const column = Float64Array.from({ length: n }, (_, i) => outcome.latents[i * k + j]!);
    const spec: MapSpec = { title: `latent program μ${j + 1}`, basis: 'in-sample', values: column };
    return `<figure>${svg(outlines, regions, spec, `latent-${j}`)}</figure>`;
  }).join('');
}

const cell = (v: number) => `<td class="num">${Number.isFinite(v) ? v.toFixed(3) : '—'}</td>`;

export function figuresRowsHtml(outcome: Outcome): string {
  return (Object.keys(outcome.byMap) as MapKind[])
    .map((kind) => {
      const f = outcome.byMap[kind]!;
      const cells = [f.inSampleR, f.inSampleR2, f.heldOutR, f.heldOutR2].map(cell).join('');
      return `<tr data-map="${kind}"><td>${MAP_NAMES[kind]}</td>${cells}</tr>`;
    })
    .join('');
}
