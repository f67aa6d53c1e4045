/**
 * Interpreting the latent "transcriptomic programs" of a fitted VAE (in-sample: μ is computed on
 * every region the model was trained on). The study passes a VAE fitted without the target (α = 0),
 * so μ never saw y and testing its correlation with y against fixed null maps is not circular:
 *   - the map of μₖ and its correlation with the target, with p under spun and Moran-randomised
 *     targets (fixed latent maps, two-sided, uncorrected for the K latents);
 *   - gene loadings: rₖg = corr over regions of (μₖ, x̃_g), and the decoder's average Jacobian;
 *   - the top genes by correlation loading, each sign;
 *   - stability: latents of models from other seeds matched one-to-one to these by |r| (Hungarian),
 *     and the mean |r| of each latent with its matches.
 * A latent's sign is arbitrary (flipping μₖ and its weights gives the same model), so each latent is
 * oriented to correlate positively with the target.
 */
import type { GeneMatrix } from '../data/gene-matrix';
import { hungarian } from '../evaluation/hungarian';
import { pearson, pearsonPValue } from '../evaluation/metrics';
import { spinPValue } from '../evaluation/spin';

/** One latent dimension as a brain map: its correlation with y and the genes loading most on it. */
export interface LatentProgramSummary {
  index: number;
  /** +1 or −1: the factor applied to μₖ (and its loadings) so that r(μₖ, y) ≥ 0. */
  orientation: 1 | -1;
  /** Oriented μₖ per region. */
  map: Float64Array;
  r: number;
  pParametric: number;
  pSpin: number;
  pMoran: number;
  /** Null maps behind pSpin and pMoran. */
  spins: number;
  moranMaps: number;
  /** Correlation loadings over genes, oriented. */
  correlationLoadings: Float64Array;
  /** Decoder Jacobian loadings over genes, oriented. */
  decoderLoadings: Float64Array;
  topPositive: { gene: string; loading: number }[];
  topNegative: { gene: string; loading: number }[];
  /** Mean |r| with the matched latent of each other seed (NaN with one seed). */
  stability: number;
}

/** Column k of a row-major N×K matrix. */
export function column(m: ArrayLike<number>, rows: number, cols: number, k: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => m[i * cols + k]!);
}

/** For each latent k of `reference`, the |r| with its one-to-one match in `other` (Hungarian on −|r|). */
export function matchedCorrelations(reference: Float64Array[], other: Float64Array[]): Float64Array {
  const k = reference.length;
  const cost = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) cost[a * k + b] = -Math.abs(pearson(reference[a]!, other[b]!));
  const assignment = hungarian(cost, k);
  return Float64Array.from({ length: k }, (_, a) => -cost[a * k + assignment[a]!]!);
}

export interface LatentProgramInputs {
  /** μ of each seed's model, N×K row-major; the first is the model being interpreted. */
  muBySeed: Float32Array[];
  latentSize: number;
  /** Train-scaled expression. */
  X: GeneMatrix;
  /** Names of X's G genes. */
  genes: string[];
  y: Float64Array;
  /** K×G decoder Jacobian loadings of the first model. */
  decoderLoadings: Float64Array;
  /** Null maps of y: spun targets and Moran surrogates (the latents are fixed; only y is randomised). */
  nullTargets: { spin: readonly Float64Array[]; moran: readonly Float64Array[] };
  topGenes: number;
}

export function latentPrograms(inputs: LatentProgramInputs): LatentProgramSummary[] {
  const { muBySeed, latentSize: K, genes, y, nullTargets } = inputs;
  const { values: X, regions: n, genes: g } = inputs.X;
  // p of |r(μₖ, y)| among |r(μₖ, null map)|
  const twoSided = (map: Float64Array, r: number, targets: readonly Float64Array[]) =>
    spinPValue(
      r,
      Float64Array.from(targets, (t) => pearson(map, t)),
      'two-sided',
    );
  const latentsOf = (mu: Float32Array): Float64Array[] => Array.from({ length: K }, (_, k) => column(mu, n, K, k));
  const reference = latentsOf(muBySeed[0]!);
  const matches = muBySeed.slice(1).map((mu) => matchedCorrelations(reference, latentsOf(mu)));
  const geneColumns = Array.from({ length: g }, (_, c) => column(X, n, g, c));

  return reference.map((raw, k) => {
    const orientation: 1 | -1 = pearson(raw, y) < 0 ? -1 : 1;
    const map = raw.map((v) => orientation * v);
    const correlationLoadings = Float64Array.from(geneColumns, (x) => pearson(map, x));
    const decoder = Float64Array.from({ length: g }, (_, c) => orientation * inputs.decoderLoadings[k * g + c]!);
    const ranked = Array.from(correlationLoadings, (loading, c) => ({ gene: genes[c]!, loading }))
      .filter((e) => Number.isFinite(e.loading))
      .sort((a, b) => b.loading - a.loading);
    const r = pearson(map, y);
    return {
      index: k,
      orientation,
      map,
      r,
      pParametric: pearsonPValue(r, n),
      pSpin: twoSided(map, r, nullTargets.spin),
      pMoran: twoSided(map, r, nullTargets.moran),
      spins: nullTargets.spin.length,
      moranMaps: nullTargets.moran.length,
      correlationLoadings,
      decoderLoadings: decoder,
      topPositive: ranked.slice(0, inputs.topGenes).filter((e) => e.loading > 0),
      topNegative: ranked
        .slice(-inputs.topGenes)
        .reverse()
        .filter((e) => e.loading < 0),
      stability: matches.length ? matches.reduce((s, m) => s + m[k]!, 0) / matches.length : NaN,
    };
  });
}
