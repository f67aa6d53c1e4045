/**
 * The genes' contribution as a figure of its own: on each scheme, every gene model's pooled r and R²
 * minus those of the best no-gene baseline on the same splits (Δr, ΔR²), and the VAE's minus ridge's.
 *   - Interval: a region bootstrap of the pooled held-out predictions (B resamples of the held-out
 *     regions with replacement, Δr recomputed on each; the 2.5 and 97.5 percentiles).
 *   - p: the same retrained nulls, paired: on null map k, Δₖ = rₖ(gene model) − maxᵦ rₖ(no-gene b),
 *     the same statistic as the observed Δ = r − maxᵦ rᵦ; p = (1 + #Δₖ ≥ Δ)/(1 + draws), over the
 *     draws every model involved has (the first `draws` maps are the same maps for all of them).
 */
import { pearson, rSquared } from '../evaluation/metrics';
import { createRng } from '../evaluation/rng';
import type { CvEntry, CountedP, GeneContribution, NullEntry, StudyResult } from './types';
import { isNoGeneModel } from './study-models';

export const BOOTSTRAP_RESAMPLES = 1000;

/** 2.5 and 97.5 percentiles of Δr over region resamples of the pooled held-out predictions. */
function bootstrapInterval(y: Float64Array, model: CvEntry, versus: CvEntry[], seed: number): [number, number] {
  const regions = model.result.pooledRegions;
  const rng = createRng(seed);
  const deltas = Array.from({ length: BOOTSTRAP_RESAMPLES }, () => {
    const sample = Array.from(regions, () => regions[rng.int(regions.length)]!);
    const observed = Float64Array.from(sample, (i) => y[i]!);
    const r = (entry: CvEntry) =>
      pearson(
        observed,
        Float64Array.from(sample, (i) => entry.result.heldOutPrediction[i]!),
      );
    return r(model) - Math.max(...versus.map(r));
  })
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const at = (q: number) => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))]!;
  return [at(0.025), at(0.975)];
}

/** p of Δ against the paired nulls of one family, or undefined when a model lacks that null. */
function pairedP(
  nulls: readonly NullEntry[],
  model: string,
  versus: string[],
  scheme: string,
  family: 'spin' | 'moran',
  delta: number,
): CountedP | undefined {
  const find = (name: string) =>
    nulls.find((e) => e.kind === 'retrained' && e.model === name && e.scheme === scheme && e.family === family);
  const own = find(model);
  const others = versus.map(find);
  if (!own || others.some((o) => !o)) return undefined;
  const draws = Math.min(own.nulls.length, ...others.map((o) => o!.nulls.length));
  let exceed = 0;
  for (let k = 0; k < draws; k++) {
    const nullDelta = own.nulls[k]! - Math.max(...others.map((o) => o!.nulls[k]!));
    if (nullDelta >= delta) exceed++;
  }
  return { p: (1 + exceed) / (1 + draws), draws };
}

function contribution(
  study: Pick<StudyResult, 'nulls'>,
  y: Float64Array,
  model: CvEntry,
  versus: CvEntry[],
  seed: number,
): GeneContribution {
  const best = versus.reduce((a, b) => (b.result.pooled.r > a.result.pooled.r ? b : a));
  const r2 = (entry: CvEntry) => {
    const regions = entry.result.pooledRegions;
    const predicted = Float64Array.from(regions, (i) => entry.result.heldOutPrediction[i]!);
    return rSquared(
      Float64Array.from(regions, (i) => y[i]!),
      predicted,
    );
  };
  const deltaR = model.result.pooled.r - best.result.pooled.r;
  const names = versus.map((v) => v.model);
  return {
    scheme: model.scheme,
    model: model.model,
    versus: versus.length > 1 ? `best no-gene model (${best.model})` : best.model,
    deltaR,
    deltaR2: model.result.pooled.r2 - r2(best),
    deltaRInterval: bootstrapInterval(y, model, versus, seed),
    bootstrap: BOOTSTRAP_RESAMPLES,
    versusModels: names,
    ...nullPs(study.nulls, model.model, names, model.scheme, deltaR),
  };
}

function nullPs(
  nulls: readonly NullEntry[],
  model: string,
  versus: string[],
  scheme: string,
  delta: number,
): Pick<GeneContribution, 'pSpin' | 'pMoran'> {
  const pSpin = pairedP(nulls, model, versus, scheme, 'spin', delta);
  const pMoran = pairedP(nulls, model, versus, scheme, 'moran', delta);
  return { ...(pSpin ? { pSpin } : {}), ...(pMoran ? { pMoran } : {}) };
}

/** The contributions with their p-values against the study's retrained nulls (once those are in). */
export function withContributionPs(study: StudyResult): GeneContribution[] {
  return study.geneContributions.map((c) => ({
    ...c,
    ...nullPs(study.nulls, c.model, c.versusModels, c.scheme, c.deltaR),
  }));
}

/** Δ to the best no-gene baseline for every gene model on every scheme, then each VAE − ridge on the headline. */
export function geneContributions(
  study: Pick<StudyResult, 'crossValidation' | 'nulls' | 'headline'>,
  y: Float64Array,
  seed: number,
): GeneContribution[] {
  const schemes = [...new Set(study.crossValidation.map((c) => c.scheme))];
  const rows: GeneContribution[] = [];
  for (const scheme of schemes) {
    const entries = study.crossValidation.filter((c) => c.scheme === scheme);
    const noGene = entries.filter((c) => isNoGeneModel(c.model));
    if (noGene.length === 0) continue;
    for (const entry of entries.filter((c) => !isNoGeneModel(c.model))) {
      rows.push(contribution(study, y, entry, noGene, seed));
    }
  }
  const headline = study.crossValidation.filter((c) => c.scheme === study.headline);
  const ridge = headline.find((c) => c.model.startsWith('ridge'));
  if (ridge) {
    for (const vae of headline.filter((c) => c.model.startsWith('graph VAE'))) {
      rows.push(contribution(study, y, vae, [ridge], seed));
    }
  }
  return rows;
}
