/** Report sections that compare runs: the headline CV over gene sets, and over several target maps. */
import { htmlTable } from './charts';
import { escapeXml, formatCountedP, formatNumber } from './format';
import { caption, section, type SectionHtml } from './sections';
import type { SensitivityReportRow, TargetSummaryRow } from './types';

export function sensitivitySection(rows: readonly SensitivityReportRow[] | undefined): SectionHtml | null {
  if (!rows?.length) return null;
  const table = htmlTable(
    [
      { header: 'expression file' },
      { header: 'genes' },
      { header: 'gene count', numeric: true },
      { header: 'regions', numeric: true },
      { header: 'model' },
      { header: 'r', numeric: true },
      { header: 'R²', numeric: true },
    ],
    rows.map((r) => [
      r.expression,
      r.genes,
      String(r.geneCount),
      String(r.regions),
      r.model,
      formatNumber(r.r),
      formatNumber(r.rSquared),
    ]),
  );
  return section(
    'sensitivity',
    'Sensitivity to the genes',
    caption(
      'The headline cross-validation rerun for each gene set, same splits scheme, models and settings; pooled held-out predictions.',
    ) + table,
    'out-of-sample',
  );
}

export function targetsSection(rows: readonly TargetSummaryRow[] | undefined): SectionHtml | null {
  if (!rows?.length) return null;
  const reports = [...new Map(rows.filter((r) => r.report).map((r) => [r.target, r.report!])).entries()];
  const links = reports.length
    ? `<p class="caption">Each map's full report: ${reports.map(([target, href]) => `<a href="${escapeXml(href)}">${escapeXml(target)}</a>`).join(' · ')}</p>`
    : '';
  const table = htmlTable(
    [
      { header: 'target map' },
      { header: 'model' },
      { header: 'r', numeric: true },
      { header: 'R²', numeric: true },
      { header: 'p_spin (spins)', numeric: true },
    ],
    rows.map((r) => [r.target, r.model, formatNumber(r.r), formatNumber(r.rSquared), formatCountedP(r.pSpin, r.spins)]),
  );
  return section(
    'targets',
    'Several target maps',
    caption(
      "The same protocol run on each map: the headline cross-validation (pooled held-out predictions) and p_spin against each model's retrained spin null.",
    ) +
      table +
      links,
    'out-of-sample',
  );
}
