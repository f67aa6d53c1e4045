/** A study's results → the report's figures and tables, every figure labelled by its basis. */
import { formatCountedP, formatFixed, formatP } from '../report/format';
import type {
  CvRow,
  DiagnosticsReport,
  IntervalsReport,
  LatentProgram,
  ReportData,
  ReportNote,
  ReportTables,
  RegionValues,
  RunInfo,
  SeedSummaryRow,
  TuningReport,
} from '../report/types';
import type { Dataset } from '../data/dataset';
import { geneSetNotes } from '../data/summary';
import { quantile } from '../data/scaling';
import { summarize } from '../evaluation/metrics';
import { COUNTERPART_IN_TRAINING, SCHEME_LABELS } from './scheme-splits';
import type { CvScheme, StudyOptions } from './options';
import { retrainedP, retrainedSpinP, type StudyResult } from './run-study';
import { COUNTERPART_COPY_NAME } from '../evaluation/baselines/counterpart-copy';
import { TUNED_NAME, VAE_NAME, VAE_NO_LAPLACIAN, ensembleName, isNoGeneModel } from './study-models';

const regionValues = (regions: readonly string[], values: ArrayLike<number>): RegionValues =>
  new Map(regions.map((region, i) => [region, Number.isFinite(values[i]!) ? values[i]! : null]));

/** The short findings a reader needs first, computed from the numbers (nothing hard-coded). */
export function headlineNotes(study: StudyResult, dataset: Dataset): ReportNote[] {
  const notes: ReportNote[] = [];
  const vae = study.inSample[0]!;
  const inSampleNull = study.nulls.find((n) => n.kind === 'in-sample refit');
  notes.push({
    level: 'note',
    text: `In-sample (the paper's figures): VAE r = ${formatFixed(vae.metrics.r)}, explained variance ${formatFixed(vae.metrics.explainedVariance)} on ${dataset.regions.length} regions × ${dataset.genes.length} genes (paper: r = 0.94, 0.86 with 910 genes).`,
  });
  if (inSampleNull) {
    notes.push({
      level: inSampleNull.p > 0.05 ? 'warning' : 'note',
      text:
        `Refitted on spatially permuted targets, the VAE reaches a median in-sample r of ${formatFixed(summarize(inSampleNull.nulls).median)} (p_spin = ${formatCountedP(inSampleNull.p, inSampleNull.nulls.length)})` +
        (inSampleNull.p > 0.05
          ? ': in-sample fit alone says little about genes.'
          : ': the real map is fitted better than spun ones.'),
    });
  }
  notes.push(...schemeNotes(study), ...gridEdgeNotes(study));
  notes.push(...tunedNotes(study));
  for (const { scheme, reason } of study.skippedSchemes)
    notes.push({ level: 'note', text: `${SCHEME_LABELS[scheme]} CV skipped: ${reason}.` });
  for (const d of dataset.dropped) notes.push({ level: 'note', text: `${d.region} left out: ${d.reason}.` });
  if (dataset.geneSet.missing.length > 0) {
    for (const text of geneSetNotes(dataset)) notes.push({ level: 'warning', text: `${text}.` });
  }
  return notes;
}

/** "p_spin 0.003 (1,000), p_moran 0.002 (1,000)" for a model's retrained nulls on a scheme, or ''. */
export function nullPs(study: StudyResult, model: string, scheme: CvScheme): string {
  const spin = retrainedP(study, model, 'spin', scheme);
  const moran = retrainedP(study, model, 'moran', scheme);
  return [
    spin && `p_spin ${formatCountedP(spin.p, spin.draws)}`,
    moran && `p_moran ${formatCountedP(moran.p, moran.draws)}`,
  ]
    .filter(Boolean)
    .join(', ');
}

const withPs = (text: string) => (text ? ` (${text})` : '');

/**
 * The headline against the best no-gene model, what the genes add there, and each other scheme with
 * nulls, with the caveat of schemes where a region's counterpart trains.
 */
export function schemeNotes(study: StudyResult): ReportNote[] {
  const notes: ReportNote[] = [];
  const schemes = [...new Set(study.crossValidation.map((c) => c.scheme))];
  for (const scheme of schemes) {
    const cv = study.crossValidation.filter((c) => c.scheme === scheme);
    const noGene = cv.filter((c) => isNoGeneModel(c.model));
    const genes = cv.filter((c) => !isNoGeneModel(c.model));
    const hasNulls = study.nulls.some((n) => n.kind === 'retrained' && n.scheme === scheme);
    if (!noGene.length || !genes.length || (!hasNulls && scheme !== study.headline)) continue;
    const best = noGene.reduce((a, b) => (b.result.pooled.r > a.result.pooled.r ? b : a));
    const top = genes.reduce((a, b) => (b.result.pooled.r > a.result.pooled.r ? b : a));
    const contribution = study.geneContributions.find(
      (c) => c.scheme === scheme && c.model === top.model && c.versusModels.length === noGene.length,
    );
    const isHeadline = scheme === study.headline;
    const counterpartsTrain = COUNTERPART_IN_TRAINING.has(scheme);
    const copy = cv.find((c) => c.model === COUNTERPART_COPY_NAME);
    notes.push({
      level: top.result.pooled.r <= best.result.pooled.r ? 'warning' : 'note',
      text:
        `${isHeadline ? 'Headline, out of sample' : 'Out of sample'} (${SCHEME_LABELS[scheme]}): the best no-gene model is ${best.model}, ` +
        `r = ${formatFixed(best.result.pooled.r)}${withPs(nullPs(study, best.model, scheme))}; a gene model is interesting only if it beats it. ` +
        `The best gene model is ${top.model}, r = ${formatFixed(top.result.pooled.r)}, R² = ${formatFixed(top.result.pooled.r2)}${withPs(nullPs(study, top.model, scheme))}` +
        (contribution
          ? `; Δr = ${formatFixed(contribution.deltaR)} [${formatFixed(contribution.deltaRInterval[0])}, ${formatFixed(contribution.deltaRInterval[1])}], ΔR² = ${formatFixed(contribution.deltaR2)}` +
            withPs(
              [
                contribution.pSpin && `p_spin ${formatCountedP(contribution.pSpin.p, contribution.pSpin.draws)}`,
                contribution.pMoran && `p_moran ${formatCountedP(contribution.pMoran.p, contribution.pMoran.draws)}`,
              ]
                .filter(Boolean)
                .join(', '),
            )
          : '') +
        (counterpartsTrain && copy
          ? `. Caveat: each test region's counterpart in the other hemisphere trains here, and copying it alone gives r = ${formatFixed(copy.result.pooled.r)}: this scheme measures left–right symmetry as much as genes.`
          : '.'),
    });
  }
  return notes;
}

/** One note per baseline and scheme whose tuned choice sat on an edge of its grid. */
export function gridEdgeNotes(study: StudyResult): ReportNote[] {
  return (study.gridEdges ?? [])
    .filter((e) => e.lower + e.upper > 0)
    .map((e) => ({
      level: 'warning' as const,
      text: `${e.model}, ${SCHEME_LABELS[e.scheme]}: the choice sat on the grid's ${[e.lower && `lower edge in ${e.lower}`, e.upper && `upper edge in ${e.upper}`].filter(Boolean).join(' and ')} of ${e.splits} splits (a wider grid might choose beyond it).`,
    }));
}

/**
 * What the tuned VAE achieved against the goals set for it — out of sample R² > 0, r within 0.05 of
 * ridge, p_spin < 0.01 over its own null, 90 % intervals holding 85–95 % — each stated with its
 * shortfall, and the Laplacian comparison.
 */
export function tunedNotes(study: StudyResult): ReportNote[] {
  const notes: ReportNote[] = [];
  const cv = (model: string) =>
    study.crossValidation.find((c) => c.scheme === study.headline && c.model === model)?.result.pooled;
  const tuned = cv(TUNED_NAME);
  const ridge = study.crossValidation.find((c) => c.scheme === study.headline && c.model.startsWith('ridge'))?.result
    .pooled;
  const scheme = SCHEME_LABELS[study.headline];
  if (tuned) {
    const p = retrainedSpinP(study, TUNED_NAME);
    const seeds = study.tunedOverSeeds;
    const gap = ridge ? tuned.r - ridge.r : NaN;
    const ensemble = seeds && seeds.seeds.length > 1 ? cv(ensembleName(TUNED_NAME, seeds.seeds.length)) : undefined;
    const nullSize = study.nulls.find((n) => n.model === TUNED_NAME && n.kind === 'retrained')?.nulls.length ?? 0;
    const short = [
      tuned.r2 <= 0 ? `R² ${formatFixed(tuned.r2)} ≤ 0` : '',
      gap < -0.05 ? `r ${formatFixed(-gap)} below ridge (goal: within 0.05)` : '',
      seeds && seeds.seeds.length > 1 && ridge && seeds.cvR.mean < ridge.r - 0.05
        ? `mean r over seeds ${formatFixed(ridge.r - seeds.cvR.mean)} below ridge`
        : '',
      seeds && seeds.seeds.length > 1 && seeds.cvR2.mean <= 0
        ? `mean R² over seeds ${formatFixed(seeds.cvR2.mean)} ≤ 0`
        : '',
      p === undefined ? 'no retrained spin null (evaluation.tuning.spins = 0)' : '',
      p !== undefined && p >= 0.01
        ? `p_spin ${formatP(p)} ≥ 0.01${nullSize < 100 ? ' (fewer than 100 spins cannot reach 0.01)' : ''}`
        : '',
    ].filter(Boolean);
    notes.push({
      level: short.length ? 'warning' : 'note',
      text:
        `Tuned VAE, ${scheme}: pooled r = ${formatFixed(tuned.r)}, R² = ${formatFixed(tuned.r2)}` +
        (p !== undefined ? `, ${nullPs(study, TUNED_NAME, study.headline)} over its own retrained nulls` : '') +
        (seeds && seeds.seeds.length > 1
          ? `; over ${seeds.seeds.length} seeds r ${formatFixed(seeds.cvR.mean)} ± ${formatFixed(seeds.cvR.sd)}, R² ${formatFixed(seeds.cvR2.mean)} ± ${formatFixed(seeds.cvR2.sd)}`
          : '') +
        (ensemble && ridge
          ? `; its ${seeds!.seeds.length}-seed ensemble r = ${formatFixed(ensemble.r)}, R² = ${formatFixed(ensemble.r2)} (${ensemble.r >= ridge.r ? `${formatFixed(ensemble.r - ridge.r)} above ridge` : `${formatFixed(ridge.r - ensemble.r)} below ridge`})`
          : '') +
        (ridge ? `; ridge r = ${formatFixed(ridge.r)}, R² = ${formatFixed(ridge.r2)}` : '') +
        (short.length ? `. Short of the goal: ${short.join('; ')} — see the diagnostics.` : '.'),
    });
  }
  const withLaplacian = cv(VAE_NAME);
  const withoutLaplacian = cv(VAE_NO_LAPLACIAN);
  if (withLaplacian && withoutLaplacian) {
    const p = (model: string) => withPs(nullPs(study, model, study.headline));
    notes.push({
      level: 'note',
      text:
        `Does the Laplacian term help out of sample? ${scheme}: VAE r = ${formatFixed(withLaplacian.r)}${p(VAE_NAME)} with λ as configured, ` +
        `${formatFixed(withoutLaplacian.r)}${p(VAE_NO_LAPLACIAN)} with λ = 0 (difference ${formatFixed(withLaplacian.r - withoutLaplacian.r)}).`,
    });
  }
  const ninety = study.intervals?.coverage.find((c) => Math.abs(c.level - 0.9) < 1e-9);
  if (study.intervals && ninety) {
    const inRange = ninety.calibrated >= 0.85 && ninety.calibrated <= 0.95;
    notes.push({
      level: inRange ? 'note' : 'warning',
      text:
        `Predictive intervals (${study.intervals.model}): calibrated 90% intervals hold ${Math.round(ninety.calibrated * study.intervals.points.length)} of ${study.intervals.points.length} held-out regions (${(100 * ninety.calibrated).toFixed(1)}%) ` +
        `(goal 85–95%); the model's own generative spread alone holds ${(100 * ninety.generative).toFixed(0)}%.`,
    });
  }
  return notes;
}

/** "β = 1, λ = 0.01, H = 32": a candidate's overrides written out. */
export function describeSetting(setting: Record<string, unknown>): string {
  const names: Record<string, string> = {
    beta: 'β',
    lambda: 'λ',
    hiddenSize: 'H',
    latentSize: 'K',
    weightDecay: 'weight decay',
    learningRate: 'learning rate',
    alpha: 'α',
    klWarmupEpochs: 'KL warm-up epochs',
  };
  const entries = Object.entries(setting);
  return entries.length === 0
    ? 'the base configuration'
    : entries.map(([k, v]) => `${names[k] ?? k} = ${String(v)}`).join(', ');
}

function tuningReport(study: StudyResult, options: StudyOptions): TuningReport | undefined {
  const tuning = options.tuning;
  if (!tuning) return undefined;
  return {
    candidates: tuning.candidates.map((c) => describeSetting(c)),
    epochs: tuning.epochs,
    innerFolds: tuning.innerFolds,
    innerFraction: tuning.innerFraction,
    search: tuning.search ?? 'drop-worst',
    seeds: tuning.seeds,
    spins: tuning.spins,
    choices: study.tuning.map((t) => ({ ...t, scheme: SCHEME_LABELS[t.scheme] })),
  };
}

function diagnosticsReport(study: StudyResult): DiagnosticsReport {
  const curves = study.diagnostics.flatMap((d) =>
    d.curves.map((c, t) => ({ model: d.model, split: d.splits[t]!, ...c, usedEpochs: d.usedEpochs[t]! })),
  );
  const spread = study.crossValidation
    .filter((c) => c.scheme === study.headline)
    .flatMap(({ model, result }) => [
      ...result.perSplit.map((s) => ({
        model,
        split: s.name,
        n: s.metrics.n,
        bias: s.metrics.bias,
        spreadRatio: s.metrics.spreadRatio,
        r: s.metrics.r,
        rSquared: s.metrics.r2,
      })),
      {
        model,
        split: 'pooled',
        n: result.pooled.n,
        bias: result.pooled.bias,
        spreadRatio: result.pooled.spreadRatio,
        r: result.pooled.r,
        rSquared: result.pooled.r2,
      },
    ]);
  return { curves, spread };
}

function intervalsReport(study: StudyResult, regions: readonly string[]): IntervalsReport | undefined {
  const i = study.intervals;
  if (!i) return undefined;
  return {
    model: i.model,
    seeds: i.seeds.length,
    levels: i.levels,
    coverage: i.coverage,
    perSplit: i.perSplit,
    points: i.points.map((p) => ({ ...p, region: regions[p.region]! })),
  };
}

function seedRows(study: StudyResult): SeedSummaryRow[] {
  const row = (
    model: string,
    seeds: number,
    r: { mean: number; sd: number },
    r2: { mean: number; sd: number },
  ): SeedSummaryRow => ({ model, seeds, r: { mean: r.mean, sd: r.sd }, rSquared: { mean: r2.mean, sd: r2.sd } });
  const rows = [row(VAE_NAME, study.overSeeds.seeds.length, study.overSeeds.cvR, study.overSeeds.cvR2)];
  const t = study.tunedOverSeeds;
  if (t) rows.push(row(TUNED_NAME, t.seeds.length, t.cvR, t.cvR2));
  return rows.filter((r) => r.seeds > 1);
}

export function studyReport(
  study: StudyResult,
  dataset: Dataset,
  run: RunInfo,
  options: StudyOptions,
): { data: ReportData; tables: ReportTables } {
  const { regions } = dataset;
  const headlineVae = study.crossValidation.find((c) => c.scheme === study.headline)!.result;
  const residual = Array.from(dataset.y, (v, i) => v - study.main.prediction[i]!);
  const crossValidation: CvRow[] = study.crossValidation.map(({ scheme, model, result }) => {
    const r2 = result.perSplit
      .map((s) => s.metrics.r2)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const spin = retrainedP(study, model, 'spin', scheme);
    const moran = retrainedP(study, model, 'moran', scheme);
    return {
      ...(spin ? { pSpin: spin.p, spins: spin.draws } : {}),
      ...(moran ? { pMoran: moran.p, moranMaps: moran.draws } : {}),
      ...(scheme === 'hemisphere'
        ? { perSplitR: result.perSplit.map((s) => `${s.name} ${formatFixed(s.metrics.r)}`).join(', ') }
        : {}),
      counterpartsTrain: COUNTERPART_IN_TRAINING.has(scheme),
      model,
      scheme: SCHEME_LABELS[scheme],
      r: result.pooled.r,
      rSquared: result.pooled.r2,
      explainedVariance: result.pooled.explainedVariance,
      foldRSquaredMedian: result.medianR2,
      foldRSquaredIqr: r2.length ? [quantile(r2, 0.25), quantile(r2, 0.75)] : undefined,
    };
  });
  const latents: LatentProgram[] = study.latents.map((l) => ({
    name:
      `program ${l.index + 1}` + (Number.isFinite(l.stability) ? ` (stability |r| ${formatFixed(l.stability)})` : ''),
    map: { title: `μ${l.index + 1}`, basis: 'in-sample', values: regionValues(regions, l.map), scale: 'diverging' },
    topGenes: { basis: 'in-sample', positive: l.topPositive, negative: l.topNegative },
    targetCorrelation: {
      basis: 'in-sample',
      r: l.r,
      pSpin: l.pSpin,
      pParametric: l.pParametric,
      pMoran: l.pMoran,
      spins: l.spins,
      moranMaps: l.moranMaps,
    },
  }));
  const history = study.main.history;
  const heldOutScatter = (model: string, label: string) => {
    const result = study.crossValidation.find((c) => c.scheme === study.headline && c.model === model)?.result;
    return result
      ? [
          {
            title: `${label}, ${SCHEME_LABELS[study.headline]} CV`,
            basis: 'out-of-sample' as const,
            regions: result.pooledRegions.map((i) => regions[i]!),
            observed: result.pooledRegions.map((i) => dataset.y[i]!),
            predicted: result.pooledRegions.map((i) => result.heldOutPrediction[i]!),
          },
        ]
      : [];
  };
  const data: ReportData = {
    title: `cortex-vae: ${dataset.target.description}`,
    run,
    dataset: {
      regions: regions.length,
      genes: dataset.genes.length,
      target: dataset.target.description,
      files: dataset.provenance,
      droppedRegions: dataset.dropped,
    },
    notes: headlineNotes(study, dataset),
    maps: {
      observed: {
        title: 'observed vulnerability',
        basis: 'observed data',
        values: regionValues(regions, dataset.y),
        scale: 'diverging',
      },
      predicted: {
        title: 'predicted (held out)',
        basis: 'out-of-sample',
        values: regionValues(regions, headlineVae.heldOutPrediction),
        scale: 'diverging',
      },
      residual: {
        title: 'residual (in-sample)',
        basis: 'in-sample',
        values: regionValues(regions, residual),
        scale: 'diverging',
      },
    },
    predictions: [
      {
        title: 'VAE fitted on all regions',
        basis: 'in-sample',
        regions,
        observed: Array.from(dataset.y),
        predicted: Array.from(study.main.prediction),
      },
      ...heldOutScatter(VAE_NAME, 'VAE'),
      ...heldOutScatter(TUNED_NAME, 'tuned VAE'),
    ],
    inSample: study.inSample.map(({ model, metrics }) => ({
      model,
      n: metrics.n,
      r: metrics.r,
      pParametric: metrics.pParametric,
      explainedVariance: metrics.explainedVariance,
      rSquared: metrics.r2,
    })),
    crossValidation,
    overSeeds: seedRows(study),
    tuning: tuningReport(study, options),
    diagnostics: diagnosticsReport(study),
    intervals: intervalsReport(study, regions),
    sensitivity: study.sensitivity?.map((r) => ({
      expression: r.expression,
      genes: r.genes,
      geneCount: r.geneCount,
      regions: r.regions,
      model: r.model,
      r: r.pooled.r,
      rSquared: r.pooled.r2,
    })),
    nulls: study.nulls.map((n) => ({
      name: n.name,
      basis: n.basis,
      statistic: 'Pearson r',
      observed: n.observed,
      values: Array.from(n.nulls),
      p: n.p,
      pLabel: n.pLabel,
      drawLabel: n.family === 'genes' ? 'gene sets' : n.family === 'moran' ? 'surrogates' : 'spins',
    })),
    geneContributions: study.geneContributions.map((c) => ({
      scheme: SCHEME_LABELS[c.scheme],
      model: c.model,
      versus: c.versus,
      deltaR: c.deltaR,
      deltaR2: c.deltaR2,
      deltaRInterval: c.deltaRInterval,
      bootstrap: c.bootstrap,
      ...(c.pSpin ? { pSpin: c.pSpin.p, spins: c.pSpin.draws } : {}),
      ...(c.pMoran ? { pMoran: c.pMoran.p, moranMaps: c.pMoran.draws } : {}),
    })),
    lossCurves: {
      series: {
        total: history.map((h) => h.total),
        reconstruction: history.map((h) => h.reconstruction),
        'KL (unweighted)': history.map((h) => h.kl),
        target: history.map((h) => h.target),
        smoothness: history.map((h) => h.smoothness),
      },
      logY: true,
    },
    latents,
  };
  return { data, tables: studyTables(study, dataset) };
}

/** One row per held-out region and split; bounds are the calibrated intervals (empty when infinite). */
function intervalTable(
  intervals: NonNullable<StudyResult['intervals']>,
  regions: readonly string[],
): ReportTables['intervals'] {
  const levels = intervals.levels.map((l) => Math.round(100 * l));
  const bound = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    columns: [
      'region',
      'split',
      'observed',
      'predicted',
      'spread',
      ...levels.flatMap((l) => [`lower_${l}`, `upper_${l}`]),
    ],
    rows: intervals.points.map((p) => [
      regions[p.region]!,
      p.split,
      p.observed,
      p.center,
      p.spread,
      ...p.calibrated.flatMap(([lo, hi]) => [bound(lo), bound(hi)]),
    ]),
  };
}

function studyTables(study: StudyResult, dataset: Dataset): ReportTables {
  const { regions, genes } = dataset;
  const k = study.latents.length;
  const heldOut = study.crossValidation.find((c) => c.scheme === study.headline)!.result.heldOutPrediction;
  const tuned = study.crossValidation.find((c) => c.scheme === study.headline && c.model === TUNED_NAME)?.result
    .heldOutPrediction;
  const cell = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    predictions: {
      columns: [
        'region',
        'observed',
        'predicted_in_sample',
        'residual_in_sample',
        `predicted_${study.headline}_cv`,
        ...(tuned ? [`predicted_${study.headline}_cv_tuned`] : []),
      ],
      rows: regions.map((region, i) => [
        region,
        dataset.y[i]!,
        study.main.prediction[i]!,
        dataset.y[i]! - study.main.prediction[i]!,
        cell(heldOut[i]!),
        ...(tuned ? [cell(tuned[i]!)] : []),
      ]),
    },
    latents: {
      columns: ['region', ...study.latents.map((l) => `mu${l.index + 1}`)],
      rows: regions.map((region, i) => [region, ...study.latents.map((l) => l.map[i]!)]),
    },
    geneLoadings: {
      columns: ['gene', ...study.latents.flatMap((l) => [`corr_mu${l.index + 1}`, `decoder_mu${l.index + 1}`])],
      rows: genes.map((gene, c) => [
        gene,
        ...Array.from({ length: k }, (_, j) => [
          study.latents[j]!.correlationLoadings[c]!,
          study.latents[j]!.decoderLoadings[c]!,
        ]).flat(),
      ]),
    },
    ...(study.intervals ? { intervals: intervalTable(study.intervals, regions) } : {}),
  };
}
