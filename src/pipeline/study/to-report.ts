/** A study's results → the report's figures and tables, every figure labelled by its basis. */
import { formatFixed, formatP } from '../report/format';
import type { CvRow, LatentProgram, ReportData, ReportNote, ReportTables, RegionValues, RunInfo } from '../report/types';
import type { Dataset } from '../data/dataset';
import { geneSetNotes } from '../data/summary';
import { quantile } from '../data/scaling';
import { summarize } from '../evaluation/metrics';
import { SCHEME_LABELS } from './scheme-splits';
import { retrainedSpinP, type StudyResult } from './run-study';

const regionValues = (regions: readonly string[], values: ArrayLike<number>): RegionValues =>
  new Map(regions.map((region, i) => [region, Number.isFinite(values[i]!) ? values[i]! : null]));


/** The short findings a reader needs first, computed from the numbers (nothing hard-coded). */
export function headlineNotes(study: StudyResult, dataset: Dataset): ReportNote[] {
  const notes: ReportNote[] = [];
  const vae = study.inSample[0]!;
  const cv = study.crossValidation.filter((c) => c.scheme === study.headline);
  const vaeCv = cv[0]!.result.pooled;
  const spatial = cv.find((c) => c.model.startsWith('spatial-only'));
  const vaeSpinP = retrainedSpinP(study, cv[0]!.model);
  const inSampleNull = study.nulls.find((n) => n.kind === 'in-sample refit');
  notes.push({
    level: 'note',
    text: `In-sample (the paper's figures): VAE r = ${formatFixed(vae.metrics.r)}, explained variance ${formatFixed(vae.metrics.explainedVariance)} on ${dataset.regions.length} regions × ${dataset.genes.length} genes (paper: r = 0.94, 0.86 with 910 genes).`,
  });
  if (inSampleNull) {
    notes.push({
      level: inSampleNull.p > 0.05 ? 'warning' : 'note',
      text: `Refitted on spatially permuted targets, the VAE reaches a median in-sample r of ${formatFixed(summarize(inSampleNull.nulls).median)} (p_spin = ${formatP(inSampleNull.p)})` +
        (inSampleNull.p > 0.05 ? ': in-sample fit alone says little about genes.' : ': the real map is fitted better than spun ones.'),
    });
  }
  notes.push({
    level: spatial && spatial.result.pooled.r >= vaeCv.r ? 'warning' : 'note',
    text: `Out of sample (${SCHEME_LABELS[study.headline]}): VAE pooled r = ${formatFixed(vaeCv.r)}, R² = ${formatFixed(vaeCv.r2)}` +
      (vaeSpinP !== undefined ? `, p_spin = ${formatP(vaeSpinP)}` : '') +
      (spatial ? `; spatial-only baseline r = ${formatFixed(spatial.result.pooled.r)}.` : '.'),
  });
  for (const { scheme, reason } of study.skippedSchemes) notes.push({ level: 'note', text: `${SCHEME_LABELS[scheme]} CV skipped: ${reason}.` });
  for (const d of dataset.dropped) notes.push({ level: 'note', text: `${d.region} left out: ${d.reason}.` });
  if (dataset.geneSet.missing.length > 0) {
    for (const text of geneSetNotes(dataset)) notes.push({ level: 'warning', text: `${text}.` });
  }
  return notes;
}

export function studyReport(study: StudyResult, dataset: Dataset, run: RunInfo): { data: ReportData; tables: ReportTables } {
  const { regions } = dataset;
  const headlineVae = study.crossValidation.find((c) => c.scheme === study.headline)!.result;
  const residual = Array.from(dataset.y, (v, i) => v - study.main.prediction[i]!);
  const crossValidation: CvRow[] = study.crossValidation.map(({ scheme, model, result }) => {
    const r2 = result.perSplit.map((s) => s.metrics.r2).filter(Number.isFinite).sort((a, b) => a - b);
    return {
      model,
      scheme: SCHEME_LABELS[scheme],
      r: result.pooled.r,
      rSquared: result.pooled.r2,
      explainedVariance: result.pooled.explainedVariance,
      foldRSquaredMedian: result.medianR2,
      foldRSquaredIqr: r2.length ? [quantile(r2, 0.25), quantile(r2, 0.75)] : undefined,
      pSpin: scheme === study.headline ? retrainedSpinP(study, model) : undefined,
    };
  });
  const latents: LatentProgram[] = study.latents.map((l) => ({
    name: `program ${l.index + 1}` + (Number.isFinite(l.stability) ? ` (stability |r| ${formatFixed(l.stability)})` : ''),
    map: { title: `μ${l.index + 1}`, basis: 'in-sample', values: regionValues(regions, l.map), scale: 'diverging' },
    topGenes: { basis: 'in-sample', positive: l.topPositive, negative: l.topNegative },
    targetCorrelation: { basis: 'in-sample', r: l.r, pSpin: l.pSpin, pParametric: l.pParametric },
  }));
  const history = study.main.history;
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
      observed: { title: 'observed vulnerability', basis: 'observed data', values: regionValues(regions, dataset.y), scale: 'diverging' },
      predicted: { title: 'predicted (held out)', basis: 'out-of-sample', values: regionValues(regions, headlineVae.heldOutPrediction), scale: 'diverging' },
      residual: { title: 'residual (in-sample)', basis: 'in-sample', values: regionValues(regions, residual), scale: 'diverging' },
    },
    predictions: [
      { title: 'VAE fitted on all regions', basis: 'in-sample', regions, observed: Array.from(dataset.y), predicted: Array.from(study.main.prediction) },
      {
        title: `VAE, ${SCHEME_LABELS[study.headline]} CV`,
        basis: 'out-of-sample',
        regions: headlineVae.pooledRegions.map((i) => regions[i]!),
        observed: headlineVae.pooledRegions.map((i) => dataset.y[i]!),
        predicted: headlineVae.pooledRegions.map((i) => headlineVae.heldOutPrediction[i]!),
      },
    ],
    inSample: study.inSample.map(({ model, metrics }) => ({
      model, n: metrics.n, r: metrics.r, pParametric: metrics.pParametric, explainedVariance: metrics.explainedVariance, rSquared: metrics.r2,
    })),
    crossValidation,
    nulls: study.nulls.map((n) => ({
      name: n.name, basis: n.basis, statistic: 'Pearson r', observed: n.observed, values: Array.from(n.nulls), p: n.p, pLabel: n.pLabel,
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

function studyTables(study: StudyResult, dataset: Dataset): ReportTables {
  const { regions, genes } = dataset;
  const k = study.latents.length;
  const heldOut = study.crossValidation.find((c) => c.scheme === study.headline)!.result.heldOutPrediction;
  return {
    predictions: {
      columns: ['region', 'observed', 'predicted_in_sample', 'residual_in_sample', `predicted_${study.headline}_cv`],
      rows: regions.map((region, i) => [region, dataset.y[i]!, study.main.prediction[i]!, dataset.y[i]! - study.main.prediction[i]!, Number.isFinite(heldOut[i]!) ? heldOut[i]! : null]),
    },
    latents: {
      columns: ['region', ...study.latents.map((l) => `mu${l.index + 1}`)],
      rows: regions.map((region, i) => [region, ...study.latents.map((l) => l.map[i]!)]),
    },
    geneLoadings: {
      columns: ['gene', ...study.latents.flatMap((l) => [`corr_mu${l.index + 1}`, `decoder_mu${l.index + 1}`])],
      rows: genes.map((gene, c) => [gene, ...Array.from({ length: k }, (_, j) => [study.latents[j]!.correlationLoadings[c]!, study.latents[j]!.decoderLoadings[c]!]).flat()]),
    },
  };
}
