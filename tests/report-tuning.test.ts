/**
 * The report's sections on the tuned VAE, its diagnostics and intervals, the sensitivity table and
 * several targets: drawn when present, every figure labelled with its basis, numbers as given.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDkOutlines } from '../src/pipeline/report/dk-outlines';
import { reportHtml } from '../src/pipeline/report/html';
import { intervalChartSvg } from '../src/pipeline/report/interval-chart';
import { lineChartSvg } from '../src/pipeline/report/line-chart';
import type { ReportData } from '../src/pipeline/report/types';
import { DATA_DIR } from './fixtures/shipped-data';

const outlines = loadDkOutlines(join(DATA_DIR, 'dk_ggseg_polygons.json'));

const data: ReportData = {
  title: 'tuning fixture',
  overSeeds: [{ model: 'tuned', seeds: 3, r: { mean: 0.61, sd: 0.04 }, rSquared: { mean: 0.2, sd: 0.05 } }],
  crossValidation: [{ model: 'tuned', scheme: 'hemisphere', r: 0.6, rSquared: 0.21, explainedVariance: 0.25 }],
  tuning: {
    candidates: ['the base configuration', 'β = 1'],
    epochs: [50, 100],
    innerFolds: 3,
    innerFraction: 0.25,
    search: 'halving',
    seeds: 2,
    spins: 10,
    choices: [
      {
        scheme: 'hemisphere to hemisphere',
        split: 'L->R',
        seed: 1,
        candidate: 1,
        epochs: 100,
        innerError: [
          [0.3, 0.28],
          [0.2, 0.15],
        ],
      },
      {
        scheme: 'hemisphere to hemisphere',
        split: 'R->L',
        seed: 1,
        candidate: 0,
        epochs: 50,
        innerError: [
          [0.1, 0.12],
          [0.2, 0.3],
        ],
      },
      {
        scheme: 'hemisphere to hemisphere',
        split: 'L->R',
        seed: 2,
        candidate: 1,
        epochs: 50,
        innerError: [
          [0.3, 0.28],
          [0.14, 0.15],
        ],
      },
    ],
  },
  diagnostics: {
    curves: [
      {
        model: 'tuned',
        split: 'L->R',
        epochs: [10, 20, 30],
        train: [0.5, 0.2, 0.05],
        heldOut: [0.6, 0.3, 0.4],
        usedEpochs: 20,
      },
    ],
    spread: [{ model: 'tuned', split: 'pooled', n: 66, bias: 0.12, spreadRatio: 1.4, r: 0.6, rSquared: 0.21 }],
  },
  intervals: {
    model: 'tuned ensemble',
    seeds: 3,
    levels: [0.5, 0.9],
    coverage: [
      { level: 0.5, generative: 0.3, calibrated: 0.48, generativeWidth: 0.2, calibratedWidth: 0.4 },
      { level: 0.9, generative: 0.6, calibrated: 0.88, generativeWidth: 0.5, calibratedWidth: 1.1 },
    ],
    perSplit: [{ split: 'L->R', calibrationPoints: 24, multipliers: [0.7, Infinity] }],
    points: [
      {
        region: 'L_insula',
        split: 'L->R',
        observed: 1,
        center: 0.8,
        spread: 0.2,
        generative: [
          [0.7, 0.9],
          [0.5, 1.1],
        ],
        calibrated: [
          [0.6, 1],
          [-Infinity, Infinity],
        ],
      },
      {
        region: 'L_cuneus',
        split: 'L->R',
        observed: -1,
        center: 0.2,
        spread: 0.1,
        generative: [
          [0.1, 0.3],
          [0, 0.4],
        ],
        calibrated: [
          [0.1, 0.3],
          [-0.5, 0.9],
        ],
      },
    ],
  },
  sensitivity: [
    { expression: 'r0.2.csv', genes: 'l1000', geneCount: 787, regions: 66, model: 'ridge', r: 0.77, rSquared: 0.58 },
  ],
  targets: [
    {
      target: 'adni-ad-tau',
      model: 'tuned <VAE>',
      r: 0.5,
      rSquared: 0.1,
      pSpin: 0.02,
      report: 'targets/adni-ad-tau/report.html',
    },
  ],
};

describe('tuning, diagnostics, intervals, sensitivity and targets in the report', () => {
  const html = reportHtml(data, outlines);

  it('draws each section with its figures, each figure labelled with its basis', () => {
    for (const id of ['cv', 'tuning', 'diagnostics', 'intervals', 'sensitivity', 'targets'])
      expect(html).toContain(`<section id="${id}">`);
    const figures = html.match(/<svg /g)!.length;
    expect(figures).toBe(2 + 1 + 2); // inner error per split of the first seed, one learning curve, coverage + intervals
    expect(html.match(/class="basis" data-basis=/g)).toHaveLength(figures);
  });

  it('states the numbers as given and escapes names', () => {
    expect(html).toContain('0.61 ± 0.04');
    expect(html).toContain('#2 (chosen)');
    expect(html).toContain('at each count only the better half go on');
    expect(html).toContain('tuned &lt;VAE&gt;');
    expect(html).toContain('href="targets/adni-ad-tau/report.html"');
    expect(html).toContain('>88%<');
    expect(html).toContain('>787<');
  });

  it('an interval chart marks observed values outside the widest interval as hollow, infinite bounds run to the edge', () => {
    const svg = intervalChartSvg({
      title: 't',
      basis: 'out-of-sample',
      levels: data.intervals!.levels,
      points: data.intervals!.points.map((p) => ({
        label: p.region,
        observed: p.observed,
        center: p.center,
        bounds: p.calibrated,
      })),
    });
    expect(svg.match(/data-inside="true"/g)).toHaveLength(1);
    expect(svg.match(/data-inside="false"/g)).toHaveLength(1);
    expect(svg).toContain('1 of 2 observed values inside the 90% interval');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('a line chart can take its x values', () => {
    const svg = lineChartSvg({ title: 'x', basis: 'out-of-sample', series: { a: [1, 2, 3] }, x: [50, 100, 400] });
    expect(svg).toContain('>400<');
    expect(() => lineChartSvg({ title: 'x', basis: 'out-of-sample', series: { a: [1, 2, 3] }, x: [1] })).toThrow(
      /x values/,
    );
  });
});
