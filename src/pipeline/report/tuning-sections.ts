/**
 * Report sections on how the VAE was tuned and why it predicts as it does out of sample: the
 * candidates and the choice on every split with its inner-CV errors, then the diagnostics — training
 * and held-out error over epochs per split, and the bias and spread of the held-out predictions.
 */
import { htmlTable, lineChartSvg } from './charts';
import { formatNumber } from './format';
import { caption, section, type SectionHtml } from './sections';
import type { DiagnosticsReport, TuningReport } from './types';

/** Positive values spanning more than a factor of 20: drawn on a log axis. */
const wideRange = (values: readonly number[]): boolean =>
  values.every((v) => v > 0) && Math.max(...values) > 20 * Math.min(...values);

/** What each tuning search does between epoch counts (successive-halving.ts). */
const SEARCH_TEXT: Record<string, string> = {
  'drop-worst': 'at each count the worst candidate stops and the others go on',
  halving: 'at each count only the better half go on',
  exhaustive: 'every candidate trains to the largest count',
};

export function tuningSection(tuning: TuningReport | undefined): SectionHtml | null {
  if (!tuning) return null;
  const sizes = caption(
    `Nested CV inside each split's training regions: ${tuning.innerFolds} inner folds, each a spatial patch holding out ` +
      `${Math.round(100 * tuning.innerFraction)}% of the training regions of its hemisphere nearest to a seed region (seeds spread by farthest-point sampling). ` +
      `The ${tuning.candidates.length} candidates train on every inner fold and their inner held-out error is read at ${tuning.epochs.join(', ')} epochs; ` +
      `${SEARCH_TEXT[tuning.search] ?? tuning.search}; ` +
      `the (candidate, epochs) pair with the least error is refitted on all training regions. Held-out regions never take part. ` +
      `${tuning.seeds} seed(s) on the headline splits; ${tuning.spins} spins for its retrained null.`,
  );
  const candidates = htmlTable(
    [{ header: '#', numeric: true }, { header: 'setting (over the base configuration)' }],
    tuning.candidates.map((c, i) => [String(i + 1), c]),
  );
  const choices = htmlTable(
    [
      { header: 'scheme' },
      { header: 'split' },
      { header: 'seed', numeric: true },
      { header: 'chosen', numeric: true },
      { header: 'epochs', numeric: true },
      { header: 'inner MSE (chosen)', numeric: true },
      { header: 'inner MSE (best of each candidate)' },
    ],
    tuning.choices.map((c) => {
      const e = tuning.epochs.indexOf(c.epochs);
      return [
        c.scheme,
        c.split,
        String(c.seed),
        `#${c.candidate + 1}`,
        String(c.epochs),
        formatNumber(c.innerError[c.candidate]![e]!),
        c.innerError.map((row, k) => `#${k + 1}: ${formatNumber(Math.min(...row))}`).join(' · '),
      ];
    }),
  );
  // one chart per split of the first seed listed: inner error over epochs, one line per candidate
  const firstSeed = tuning.choices[0]?.seed;
  const charts = tuning.choices
    .filter((c) => c.seed === firstSeed)
    .map((c) =>
      lineChartSvg({
        title: `Inner-CV error per candidate, ${c.scheme} ${c.split}`,
        basis: 'out-of-sample',
        series: Object.fromEntries(
          c.innerError.map((row, k) => [`#${k + 1}${k === c.candidate ? ' (chosen)' : ''}`, row]),
        ),
        x: tuning.epochs,
        xLabel: 'epochs',
        yLabel: 'inner held-out MSE',
        logY: wideRange(c.innerError.flat()),
      }),
    )
    .join('');
  return section(
    'tuning',
    'Tuning (nested spatial CV)',
    sizes +
      '<h3>Candidates</h3>' +
      candidates +
      '<h3>Choice per split</h3>' +
      choices +
      caption(
        "Inner held-out errors are measured on inner folds of the training regions (out of sample for the inner fits; the split's own held-out regions are not used).",
      ) +
      `<div class="figure-grid">${charts}</div>`,
  );
}

export function diagnosticsSection(diagnostics: DiagnosticsReport | undefined): SectionHtml | null {
  if (!diagnostics || (diagnostics.curves.length === 0 && diagnostics.spread.length === 0)) return null;
  const charts = diagnostics.curves
    .map((c) =>
      lineChartSvg({
        title: `${c.model}, ${c.split}`,
        basis: 'out-of-sample',
        series: { 'training (target loss, sampled z)': c.train, 'held-out MSE': c.heldOut },
        x: c.epochs,
        xLabel: `epoch (its predictions use epoch ${c.usedEpochs})`,
        yLabel: 'mean squared error',
        logY: wideRange([...c.train, ...c.heldOut]),
      }),
    )
    .join('');
  const spread = diagnostics.spread.length
    ? htmlTable(
        [
          { header: 'model' },
          { header: 'split' },
          { header: 'n', numeric: true },
          { header: 'bias mean(ŷ) − mean(y)', numeric: true },
          { header: 'spread SD(ŷ)/SD(y)', numeric: true },
          { header: 'r', numeric: true },
          { header: 'R²', numeric: true },
        ],
        diagnostics.spread.map((s) => [
          s.model,
          s.split,
          String(s.n),
          formatNumber(s.bias),
          formatNumber(s.spreadRatio),
          formatNumber(s.r),
          formatNumber(s.rSquared),
        ]),
      )
    : '';
  return section(
    'diagnostics',
    'Diagnostics: why the VAE predicts as it does out of sample',
    (charts
      ? '<h3>Training and held-out error over epochs</h3>' +
        caption(
          "Each headline split trained again with the same data, setting and seed, reading the held-out error as it goes (these fits' predictions are not used anywhere). Over-fitting starts where the held-out error turns up while the training loss keeps falling.",
        ) +
        `<div class="figure-grid">${charts}</div>`
      : '') +
      (spread
        ? '<h3>Bias and spread of held-out predictions</h3>' +
          caption(
            'R² counts a shift (bias) and a wrong spread as error; r does not. A spread ratio above 1 means the held-out predictions vary more than the truth: the model interpolates its training regions too eagerly.',
          ) +
          spread
        : ''),
    'out-of-sample',
  );
}
