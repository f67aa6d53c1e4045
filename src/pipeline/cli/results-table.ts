/** The short results table printed on stdout (or the same figures as JSON with --json). */
import { isAbsolute, relative } from 'node:path';
import type { Dataset } from '../data/dataset';
import { formatCountedP, formatFixed, formatP } from '../report/format';
import { textTable } from '../report/text-table';
import type { TargetSummaryRow } from '../report/types';
import { retrainedP, type StudyResult } from '../study/run-study';
import { gridEdgeNotes, schemeNotes } from '../study/to-report';
import { SCHEME_LABELS } from '../study/scheme-splits';

const f = (v: number): string => formatFixed(v);
const p = (v: number | undefined): string => (v === undefined ? '' : formatP(v));

export function resultsTable(
  study: StudyResult,
  dataset: Dataset,
  json: boolean,
  wallSeconds: number,
  paper: { explainedVariance: number; r: number } | undefined,
): string {
  const headline = study.crossValidation.filter((c) => c.scheme === study.headline);
  if (json) {
    return JSON.stringify(
      {
        regions: dataset.regions.length,
        genes: dataset.genes.length,
        wallSeconds,
        paper,
        inSample: study.inSample,
        overSeeds: study.overSeeds,
        headline: study.headline,
        crossValidation: study.crossValidation.map((c) => ({
          scheme: c.scheme,
          model: c.model,
          pooled: c.result.pooled,
          medianR: c.result.medianR,
          medianR2: c.result.medianR2,
          perSplit: c.result.perSplit.map((s) => ({ name: s.name, r: s.metrics.r, r2: s.metrics.r2 })),
          pSpin: retrainedP(study, c.model, 'spin', c.scheme),
          pMoran: retrainedP(study, c.model, 'moran', c.scheme),
        })),
        geneContributions: study.geneContributions,
        nulls: study.nulls.map((n) => ({
          name: n.name,
          scheme: n.scheme,
          family: n.family,
          basis: n.basis,
          observed: n.observed,
          p: n.p,
          pLabel: n.pLabel,
          count: n.nulls.length,
        })),
        ...studyExtrasJson(study),
      },
      null,
      2,
    );
  }
  const lines = [
    `${dataset.regions.length} regions × ${dataset.genes.length} genes, target ${dataset.target.name}; ${wallSeconds.toFixed(0)} s`,
    '',
  ];
  lines.push('in-sample (fit and scored on the same regions)');
  const inRows = study.inSample.map(({ model, metrics }) => [
    model,
    f(metrics.r),
    f(metrics.explainedVariance),
    f(metrics.r2),
  ]);
  if (paper) inRows.unshift(['paper (reported, 910 genes)', f(paper.r), f(paper.explainedVariance), '']);
  lines.push(textTable(['model', 'r', 'expl. var.', 'R²'], inRows), '');
  const s = study.overSeeds;
  lines.push(
    `VAE over ${s.seeds.length} seeds: in-sample r ${f(s.inSampleR.mean)} ± ${f(s.inSampleR.sd)}; out-of-sample r ${f(s.cvR.mean)} ± ${f(s.cvR.sd)}, R² ${f(s.cvR2.mean)} ± ${f(s.cvR2.sd)}`,
  );
  const t = study.tunedOverSeeds;
  if (t)
    lines.push(
      `tuned VAE over ${t.seeds.length} seeds: out-of-sample r ${f(t.cvR.mean)} ± ${f(t.cvR.sd)}, R² ${f(t.cvR2.mean)} ± ${f(t.cvR2.sd)}`,
    );
  lines.push('');
  const counted = (model: string, scheme: StudyResult['headline'], family: 'spin' | 'moran') => {
    const entry = retrainedP(study, model, family, scheme);
    return entry ? formatCountedP(entry.p, entry.draws) : '';
  };
  lines.push(
    `out-of-sample, headline: ${SCHEME_LABELS[study.headline]} (pooled held-out predictions; p with its number of null maps)`,
  );
  lines.push(
    textTable(
      ['model', 'r', 'R²', 'median fold R²', 'p_spin (spins)', 'p_moran (surrogates)'],
      headline.map((c) => [
        c.model,
        f(c.result.pooled.r),
        f(c.result.pooled.r2),
        f(c.result.medianR2),
        counted(c.model, c.scheme, 'spin'),
        counted(c.model, c.scheme, 'moran'),
      ]),
    ),
    '',
  );
  const others = study.crossValidation.filter((c) => c.scheme !== study.headline);
  if (others.length) {
    lines.push('other schemes (pooled r / R²; r per split for hemisphere transfer)');
    lines.push(
      textTable(
        ['scheme', 'model', 'r', 'r per split', 'R²', 'p_spin (spins)', 'p_moran (surrogates)'],
        others.map((c) => [
          SCHEME_LABELS[c.scheme],
          c.model,
          f(c.result.pooled.r),
          c.scheme === 'hemisphere' ? c.result.perSplit.map((s) => `${s.name} ${f(s.metrics.r)}`).join(', ') : '',
          f(c.result.pooled.r2),
          counted(c.model, c.scheme, 'spin'),
          counted(c.model, c.scheme, 'moran'),
        ]),
      ),
      '',
    );
  }
  if (study.geneContributions.length) {
    lines.push("the genes' contribution: Δ = gene model − best no-gene model (or − ridge) on the same splits");
    lines.push(
      textTable(
        ['scheme', 'model', 'compared with', 'Δr', 'Δr 95% interval', 'ΔR²', 'p_spin (spins)', 'p_moran (surrogates)'],
        study.geneContributions.map((c) => [
          SCHEME_LABELS[c.scheme],
          c.model,
          c.versus,
          f(c.deltaR),
          `[${f(c.deltaRInterval[0])}, ${f(c.deltaRInterval[1])}]`,
          f(c.deltaR2),
          c.pSpin ? formatCountedP(c.pSpin.p, c.pSpin.draws) : '',
          c.pMoran ? formatCountedP(c.pMoran.p, c.pMoran.draws) : '',
        ]),
      ),
      '',
    );
  }
  for (const note of [...schemeNotes(study), ...gridEdgeNotes(study)]) lines.push(`${note.level}: ${note.text}`);
  lines.push('');
  const headlineTuning = study.tuning.filter((c) => c.scheme === study.headline);
  if (headlineTuning.length) {
    lines.push('tuned VAE: choice per headline split (candidate numbers as in evaluation.tuning.candidates, from 1)');
    // the chosen pair has the least inner error of all, so the least of its candidate's row
    lines.push(
      textTable(
        ['split', 'seed', 'candidate', 'epochs', 'inner MSE'],
        headlineTuning.map((c) => [
          c.split,
          String(c.seed),
          `#${c.candidate + 1}`,
          String(c.epochs),
          f(Math.min(...c.innerError[c.candidate]!)),
        ]),
      ),
      '',
    );
  }
  if (study.intervals) {
    lines.push(
      `predictive intervals, ${study.intervals.model}: coverage of ${study.intervals.points.length} held-out regions`,
    );
    lines.push(
      textTable(
        ['nominal', 'generative', 'calibrated', 'calibrated width'],
        study.intervals.coverage.map((c) => [pct(c.level), pct(c.generative), pct(c.calibrated), f(c.calibratedWidth)]),
      ),
      '',
    );
  }
  if (study.sensitivity) {
    lines.push(`sensitivity: ${SCHEME_LABELS[study.headline]} CV over gene sets (pooled r / R²)`);
    lines.push(
      textTable(
        ['expression', 'genes', 'count', 'model', 'r', 'R²'],
        study.sensitivity.map((r) => [
          shortPath(r.expression),
          r.genes,
          String(r.geneCount),
          r.model,
          f(r.pooled.r),
          f(r.pooled.r2),
        ]),
      ),
      '',
    );
  }
  lines.push('nulls');
  lines.push(
    textTable(
      ['null', 'observed r', 'n', 'p'],
      study.nulls.map((n) => [n.name, f(n.observed), String(n.nulls.length), `${n.pLabel} ${p(n.p)}`]),
    ),
  );
  if (study.latents.length) {
    lines.push(
      '',
      'latent programs of the VAE fitted without the target (α = 0): r with the target, two-sided p (null maps)',
    );
    lines.push(
      textTable(
        ['latent', 'r', 'p_spin (spins)', 'p_moran (surrogates)'],
        study.latents.map((l) => [
          `μ${l.index + 1}`,
          f(l.r),
          formatCountedP(l.pSpin, l.spins),
          formatCountedP(l.pMoran, l.moranMaps),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;

/** The tuned VAE's choices, its seeds, the intervals' coverage, the sensitivity table and the bias/spread of held-out predictions. */
function studyExtrasJson(study: StudyResult): Record<string, unknown> {
  return {
    tunedOverSeeds: study.tunedOverSeeds,
    tuning: study.tuning,
    intervals: study.intervals && {
      model: study.intervals.model,
      seeds: study.intervals.seeds,
      coverage: study.intervals.coverage,
      perSplit: study.intervals.perSplit,
    },
    sensitivity:
      study.sensitivity?.map((r) => ({
        expression: r.expression,
        genes: r.genes,
        geneCount: r.geneCount,
        model: r.model,
        r: r.pooled.r,
        r2: r.pooled.r2,
      })) ?? null,
  };
}

/** Several maps: one table map × model → headline r, R², p_spin (or every map's figures as JSON). */
export function targetsTable(
  rows: readonly TargetSummaryRow[],
  studies: readonly { target: string; study: StudyResult; dataset: Dataset }[],
  json: boolean,
  wallSeconds: number,
): string {
  if (json) {
    return JSON.stringify(
      {
        wallSeconds,
        targets: rows.map(({ report: _report, ...row }) => row),
        studies: studies.map(({ target, study, dataset }) => ({
          target,
          regions: dataset.regions.length,
          genes: dataset.genes.length,
          headline: study.headline,
          ...studyExtrasJson(study),
        })),
      },
      null,
      2,
    );
  }
  const first = studies[0]!;
  return [
    `${studies.length} target maps, ${first.dataset.regions.length} regions × ${first.dataset.genes.length} genes; ${wallSeconds.toFixed(0)} s`,
    `out-of-sample, ${SCHEME_LABELS[first.study.headline]} (pooled held-out predictions)`,
    textTable(
      ['target', 'model', 'r', 'R²', 'p_spin (spins)'],
      rows.map((r) => [
        r.target,
        r.model,
        f(r.r),
        f(r.rSquared),
        r.pSpin === undefined ? '' : formatCountedP(r.pSpin, r.spins),
      ]),
    ),
  ].join('\n');
}

/** A file path as the reader typed it: relative to the working directory when it lies inside it. */
function shortPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}
