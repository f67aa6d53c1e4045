/**
 * The sections of report.html. Each takes one part of ReportData and returns its HTML,
 * or '' when that part is absent, so a report shows exactly what the run produced.
 */
import { basisBadgeHtml } from './basis-label';
import { brainMapSvg } from './brain-map';
import { barChartSvg, histogramChartSvg, htmlTable, lineChartSvg, scatterChartSvg } from './charts';
import type { DkOutlines } from './dk-outlines';
import { escapeXml, formatCountedP, formatNumber, formatP } from './format';
import type {
  BrainMap,
  CvRow,
  DatasetSummary,
  FigureBasis,
  GeneContributionRow,
  InSampleMetrics,
  LatentProgram,
  LossCurves,
  NullDistribution,
  PredictionSet,
  ReportMaps,
  ReportNote,
  RunInfo,
  SeedSummaryRow,
} from './types';

export interface SectionHtml {
  id: string;
  heading: string;
  html: string;
}

export function section(id: string, heading: string, body: string, basis?: FigureBasis): SectionHtml {
  const badge = basis ? ' ' + basisBadgeHtml(basis) : '';
  return { id, heading, html: `<section id="${id}"><h2>${escapeXml(heading)}${badge}</h2>${body}</section>` };
}

export const caption = (text: string) => `<p class="caption">${escapeXml(text)}</p>`;
export const optional = (v: number | undefined, f: (x: number) => string) => (v === undefined ? '—' : f(v));

export function notesHtml(notes: readonly ReportNote[] | undefined): string {
  if (!notes?.length) return '';
  return `<ul class="notes">${notes.map((n) => `<li class="${n.level}"><strong>${n.level === 'warning' ? 'Warning' : 'Note'}:</strong> ${escapeXml(n.text)}</li>`).join('')}</ul>`;
}

export function runSection(run: RunInfo | undefined): SectionHtml | null {
  if (!run) return null;
  const facts: [string, string][] = [
    ['Command', run.command],
    ['Seed', String(run.seed)],
    ['Backend', run.backend],
    ...(run.adapter ? [['Adapter', run.adapter] as [string, string]] : []),
    ['Started', run.startedAt],
    ['Finished', run.finishedAt],
    ['Wall time', `${formatNumber(run.wallSeconds)} s`],
    ...(run.version ? [['cortex-vae', run.version] as [string, string]] : []),
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${k === 'Command' ? `<code>${escapeXml(v)}</code>` : escapeXml(v)}</dd>`).join('')}</dl>`;
  const config = `<details><summary>Configuration (JSON)</summary><pre>${escapeXml(JSON.stringify(run.config, null, 2))}</pre></details>`;
  return section('run', 'Run', dl + config);
}

export function datasetSection(dataset: DatasetSummary | undefined): SectionHtml | null {
  if (!dataset) return null;
  const facts: [string, string][] = [
    ['Regions', String(dataset.regions)],
    ['Genes', String(dataset.genes)],
    ['Target', dataset.target],
    ...Object.entries(dataset.files ?? {}),
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>`;
  const dropped = dataset.droppedRegions.length
    ? `<h3>Dropped regions (${dataset.droppedRegions.length})</h3>` +
      htmlTable(
        [{ header: 'region' }, { header: 'reason' }],
        dataset.droppedRegions.map((d) => [d.region, d.reason]),
      )
    : caption('No regions were dropped.');
  return section('data', 'Data', dl + dropped);
}

function mapFigure(map: BrainMap, outlines: DkOutlines, id: string): string {
  return `<div class="figure-wide">${brainMapSvg({ outlines, id, ...map })}</div>`;
}

export function mapsSection(maps: ReportMaps | undefined, outlines: DkOutlines): SectionHtml | null {
  const list = [maps?.observed, maps?.predicted, maps?.residual].filter((m): m is BrainMap => m !== undefined);
  if (list.length === 0) return null;
  return section(
    'maps',
    'Vulnerability maps',
    caption('Hover a region for its value. Hatched grey: no value for that region (listed under each map).') +
      list.map((m, i) => mapFigure(m, outlines, `map-${i}`)).join(''),
  );
}

export function fitSection(
  metrics: readonly InSampleMetrics[] | undefined,
  predictions: readonly PredictionSet[] | undefined,
): SectionHtml | null {
  if (!metrics?.length && !predictions?.length) return null;
  const table = metrics?.length
    ? htmlTable(
        [
          { header: 'model' },
          { header: 'n', numeric: true },
          { header: 'r', numeric: true },
          { header: 'p (parametric)', numeric: true },
          { header: 'explained variance', numeric: true },
          { header: 'R² (1 − SSres/SStot)', numeric: true },
        ],
        metrics.map((m) => [
          m.model,
          String(m.n),
          formatNumber(m.r),
          formatP(m.pParametric),
          formatNumber(m.explainedVariance),
          formatNumber(m.rSquared),
        ]),
      )
    : '';
  const scatters = predictions?.length
    ? `<div class="figure-grid">${predictions.map((p) => scatterChartSvg({ title: p.title, basis: p.basis, observed: p.observed, predicted: p.predicted, labels: p.regions })).join('')}</div>`
    : '';
  return section(
    'fit',
    'Fit: predicted against observed',
    (table
      ? `<h3>In-sample metrics ${basisBadgeHtml('in-sample')}</h3>` +
        caption(
          'Scored on the regions the model was trained on. With many genes and few regions, in-sample fit can be near perfect even for a target unrelated to the genes; the out-of-sample results are the honest measure.',
        ) +
        table
      : '') + scatters,
  );
}

export function crossValidationSection(
  rows: readonly CvRow[] | undefined,
  overSeeds?: readonly SeedSummaryRow[],
): SectionHtml | null {
  if (!rows?.length) return null;
  const seeds = overSeeds?.length
    ? `<h3>Headline scheme over seeds</h3>` +
      caption(
        "Each seed trains every split again from its own initialisation and sampling noise; mean ± SD of the pooled held-out figures over the seeds (the ensembles above average the seeds' predictions).",
      ) +
      htmlTable(
        [
          { header: 'model' },
          { header: 'seeds', numeric: true },
          { header: 'r (mean ± SD)', numeric: true },
          { header: 'R² (mean ± SD)', numeric: true },
        ],
        overSeeds.map((s) => [
          s.model,
          String(s.seeds),
          `${formatNumber(s.r.mean)} ± ${formatNumber(s.r.sd)}`,
          `${formatNumber(s.rSquared.mean)} ± ${formatNumber(s.rSquared.sd)}`,
        ]),
      )
    : '';
  const table = htmlTable(
    [
      { header: 'model' },
      { header: 'scheme' },
      { header: 'r', numeric: true },
      { header: 'r per split', numeric: true },
      { header: 'R²', numeric: true },
      { header: 'explained variance', numeric: true },
      { header: 'fold R² median [IQR]', numeric: true },
      { header: 'p_spin (spins)', numeric: true },
      { header: 'p_moran (surrogates)', numeric: true },
    ],
    rows.map((r) => [
      r.model,
      r.scheme + (r.counterpartsTrain ? ' †' : ''),
      formatNumber(r.r),
      r.perSplitR ?? '—',
      formatNumber(r.rSquared),
      formatNumber(r.explainedVariance),
      r.foldRSquaredMedian === undefined
        ? '—'
        : `${formatNumber(r.foldRSquaredMedian)}${r.foldRSquaredIqr ? ` [${formatNumber(r.foldRSquaredIqr[0])}, ${formatNumber(r.foldRSquaredIqr[1])}]` : ''}`,
      formatCountedP(r.pSpin, r.spins),
      formatCountedP(r.pMoran, r.moranMaps),
    ]),
  );
  return section(
    'cv',
    'Cross-validation',
    caption(
      'Every value scores predictions for regions held out of training (scaling and tuning fitted inside the training regions). r, R² and explained variance pool all held-out predictions. p_spin and p_moran compare the pooled r with the whole cross-validation rerun on each null map (symmetric spins; Moran spectral surrogates), the number of null maps in brackets. Models named "no genes" read no expression: a gene model is interesting only if it beats the best of them on the same scheme. † a test region\'s counterpart in the other hemisphere trains in this scheme, so copying it scores well without any gene (see the counterpart-copy row).',
    ) +
      table +
      seeds,
    'out-of-sample',
  );
}

/** Δ to the best no-gene baseline (and VAE − ridge) on the same splits, with its interval and paired null p-values. */
export function geneContributionSection(rows: readonly GeneContributionRow[] | undefined): SectionHtml | null {
  if (!rows?.length) return null;
  const table = htmlTable(
    [
      { header: 'scheme' },
      { header: 'model' },
      { header: 'compared with' },
      { header: 'Δr', numeric: true },
      { header: 'Δr 95% interval', numeric: true },
      { header: 'ΔR²', numeric: true },
      { header: 'p_spin of Δr (spins)', numeric: true },
      { header: 'p_moran of Δr (surrogates)', numeric: true },
    ],
    rows.map((r) => [
      r.scheme,
      r.model,
      r.versus,
      formatNumber(r.deltaR),
      `[${formatNumber(r.deltaRInterval[0])}, ${formatNumber(r.deltaRInterval[1])}]`,
      formatNumber(r.deltaR2),
      formatCountedP(r.pSpin, r.spins),
      formatCountedP(r.pMoran, r.moranMaps),
    ]),
  );
  return section(
    'genes',
    "The genes' contribution",
    caption(
      'Δr = pooled r of the gene model − pooled r of the best no-gene model on the same splits (ΔR² likewise); the interval resamples held-out regions ' +
        `(${rows[0]!.bootstrap} region-bootstrap resamples). p compares Δr with Δ on each retrained null map, rₖ(gene model) − maxᵦ rₖ(no-gene b), ` +
        'over the null maps both have (the VAEs have few). Rows "compared with ridge" are the paired VAE − ridge difference.',
    ) + table,
    'out-of-sample',
  );
}

export function nullsSection(nulls: readonly NullDistribution[] | undefined): SectionHtml | null {
  if (!nulls?.length) return null;
  const charts = nulls
    .map((n) =>
      histogramChartSvg({
        title: `${n.name} (${n.values.length} ${n.drawLabel ?? 'draws'})`,
        basis: n.basis,
        values: n.values,
        observed: n.observed,
        p: n.p,
        pLabel: n.pLabel,
        xLabel: n.statistic,
      }),
    )
    .join('');
  return section(
    'nulls',
    'Null distributions',
    caption(
      'Each histogram is the statistic over retrained null models; the red line is the real model. p is the share of nulls at least as extreme as the real model.',
    ) + `<div class="figure-grid">${charts}</div>`,
  );
}

export function latentsSection(
  latents: readonly LatentProgram[] | undefined,
  outlines: DkOutlines,
): SectionHtml | null {
  if (!latents?.length) return null;
  const withTarget = latents.filter((l) => l.targetCorrelation);
  const summary = withTarget.length
    ? htmlTable(
        [
          { header: 'latent' },
          { header: 'r with target', numeric: true },
          { header: 'p_spin (spins)', numeric: true },
          { header: 'p_moran (surrogates)', numeric: true },
          { header: 'p (parametric)', numeric: true },
          { header: 'basis' },
        ],
        withTarget.map((l) => {
          const c = l.targetCorrelation!;
          return [
            l.name,
            formatNumber(c.r),
            formatCountedP(c.pSpin, c.spins),
            formatCountedP(c.pMoran, c.moranMaps),
            optional(c.pParametric, formatP),
            c.basis,
          ];
        }),
      )
    : '';
  const programs = latents
    .map((latent, i) => {
      const genes = latent.topGenes;
      const geneChart =
        genes && genes.positive.length + genes.negative.length > 0
          ? barChartSvg({
              title: `${latent.name}: top gene loadings`,
              basis: genes.basis,
              bars: [...genes.positive, ...[...genes.negative].reverse()].map((g) => ({
                label: g.gene,
                value: g.loading,
              })),
              xLabel: 'loading',
            })
          : '';
      const c = latent.targetCorrelation;
      const link = c
        ? caption(
            `Correlation with the vulnerability map (${c.basis}): r = ${formatNumber(c.r)}` +
              `${c.pSpin !== undefined ? `, p_spin = ${formatCountedP(c.pSpin, c.spins)}` : ''}${c.pMoran !== undefined ? `, p_moran = ${formatCountedP(c.pMoran, c.moranMaps)}` : ''}${c.pParametric !== undefined ? `, p (parametric) = ${formatP(c.pParametric)}` : ''}.`,
          )
        : '';
      return (
        `<div class="latent" id="latent-${i}"><h3>${escapeXml(latent.name)}</h3>${link}` +
        (latent.map ? mapFigure(latent.map, outlines, `latent-map-${i}`) : '') +
        (geneChart ? `<div class="figure-grid">${geneChart}</div>` : '') +
        '</div>'
      );
    })
    .join('');
  const note = caption(
    'The programs come from the VAE fitted on every region without the target (α = 0): the latents never saw the map, so ' +
      'testing their correlation with it against null maps of the target is not circular. Two-sided p, uncorrected for the number of latents.',
  );
  return section('latents', 'Latent transcriptomic programs', note + summary + programs);
}

export function trainingSection(curves: LossCurves | undefined): SectionHtml | null {
  if (!curves || Object.keys(curves.series).length === 0) return null;
  const chart = lineChartSvg({
    title: 'Training loss per epoch',
    basis: 'in-sample',
    series: curves.series,
    logY: curves.logY ?? false,
  });
  return section('training', 'Training', `<div class="figure-grid">${chart}</div>`);
}

export function filesSection(files: readonly string[]): SectionHtml | null {
  if (files.length === 0) return null;
  return section(
    'files',
    'Files',
    `<ul>${files.map((f) => `<li><a href="${escapeXml(encodeURIComponent(f))}">${escapeXml(f)}</a></li>`).join('')}</ul>`,
  );
}
