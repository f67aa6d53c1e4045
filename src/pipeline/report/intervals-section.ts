/** Report section: predictive intervals of held-out regions and how often they hold. */
import { htmlTable, lineChartSvg } from './charts';
import { formatNumber } from './format';
import { intervalChartSvg } from './interval-chart';
import { caption, section, type SectionHtml } from './sections';
import type { IntervalsReport } from './types';

const percent = (v: number) => `${(100 * v).toFixed(0)}%`;

export function intervalsSection(intervals: IntervalsReport | undefined): SectionHtml | null {
  if (!intervals || intervals.points.length === 0) return null;
  const table = htmlTable(
    [
      { header: 'nominal', numeric: true },
      { header: 'coverage, generative', numeric: true },
      { header: 'coverage, calibrated', numeric: true },
      { header: 'mean width, generative', numeric: true },
      { header: 'mean width, calibrated', numeric: true },
    ],
    intervals.coverage.map((c) => [
      percent(c.level),
      percent(c.generative),
      percent(c.calibrated),
      formatNumber(c.generativeWidth),
      formatNumber(c.calibratedWidth),
    ]),
  );
  const calibration = htmlTable(
    [
      { header: 'split' },
      { header: 'calibration points', numeric: true },
      ...intervals.levels.map((l) => ({ header: `q at ${percent(l)}`, numeric: true })),
    ],
    intervals.perSplit.map((s) => [s.split, String(s.calibrationPoints), ...s.multipliers.map((q) => formatNumber(q))]),
  );
  const coverageChart = lineChartSvg({
    title: 'Coverage of held-out regions against nominal',
    basis: 'out-of-sample',
    series: {
      nominal: intervals.levels,
      generative: intervals.coverage.map((c) => c.generative),
      calibrated: intervals.coverage.map((c) => c.calibrated),
    },
    x: intervals.levels,
    xLabel: 'nominal coverage',
    yLabel: 'share of held-out regions inside',
  });
  const chart = intervalChartSvg({
    title: `${intervals.model}: calibrated intervals`,
    basis: 'out-of-sample',
    levels: intervals.levels,
    points: intervals.points.map((p) => ({
      label: `${p.region} (${p.split})`,
      observed: p.observed,
      center: p.center,
      bounds: p.calibrated,
    })),
  });
  return section(
    'intervals',
    'Predictive intervals',
    caption(
      `${intervals.model}, ${intervals.seeds} seed(s). Each member predicts ŷ ~ N(ŷ_s, Var(ŷ) under z ~ q(z|x)) (exact: the head is linear in z); the members' mixture gives each held-out region a centre m and spread u. ` +
        "Generative interval: m ± z·u (the model's own uncertainty). Calibrated interval: m ± q·u, with q the split-conformal quantile of |y − m|/u over inner folds of that split's training regions (the same members refitted there), so no held-out target is used. Coverage counts held-out regions inside.",
    ) +
      table +
      `<div class="figure-grid">${coverageChart}</div>` +
      `<div class="figure-wide">${chart}</div>` +
      '<h3>Calibration per split</h3>' +
      calibration,
    'out-of-sample',
  );
}
