import { describe, expect, it } from 'vitest';
import {
  barChartSvg,
  histogramChartSvg,
  histogramCounts,
  htmlTable,
  lineChartSvg,
  scatterChartSvg,
} from '../src/pipeline/report/charts';
import { titleLines, wrapWords } from '../src/pipeline/report/chart-frame';

/** Deterministic pseudo-random numbers (LCG) so the fixtures are awkward but fixed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const attrs = (svg: string, tag: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g'))].map((m) => {
    const out: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)) out[a[1]!] = a[2]!;
    return out;
  });

describe('scatter chart', () => {
  const rand = lcg(7);
  const observed = Array.from({ length: 66 }, () => rand() * 3 - 1);
  const predicted = observed.map((o) => 0.6 * o + 0.3 * (rand() - 0.5));
  predicted[0] = observed[0]!; // one perfect prediction: must sit on the identity line
  const labels = observed.map((_, i) => `R${i}`);
  const svg = scatterChartSvg({ title: 'Fit', basis: 'out-of-sample', observed, predicted, labels });

  it('draws one labelled point per region', () => {
    const points = attrs(svg, 'circle', 'point');
    expect(points).toHaveLength(66);
    expect(points.map((p) => p['data-region'])).toEqual(labels);
    expect(svg).toContain('<title>R5: observed ');
    expect(svg).toContain('data-basis="out-of-sample"');
  });

  it('identity line runs corner to corner of the square plot and through a perfect prediction', () => {
    const [identity] = attrs(svg, 'line', 'identity');
    // Plot area of the scatter: left 64, right 444, top 62, bottom 442 (380 px square).
    expect([identity!.x1, identity!.y1, identity!.x2, identity!.y2].map(Number)).toEqual([64, 442, 444, 62]);
    const p0 = attrs(svg, 'circle', 'point')[0]!;
    expect(Number(p0.cx) - 64).toBeCloseTo(442 - Number(p0.cy), 1); // tolerance 0.05 px (coordinates rounded to 0.01)
  });

  it('prints r and R² of the points and draws the least-squares line', () => {
    const n = observed.length;
    const mo = observed.reduce((a, b) => a + b) / n,
      mp = predicted.reduce((a, b) => a + b) / n;
    let sop = 0,
      soo = 0,
      spp = 0,
      ssRes = 0;
    observed.forEach((o, i) => {
      sop += (o - mo) * (predicted[i]! - mp);
      soo += (o - mo) ** 2;
      spp += (predicted[i]! - mp) ** 2;
      ssRes += (o - predicted[i]!) ** 2;
    });
    const r = sop / Math.sqrt(soo * spp);
    const r2 = 1 - ssRes / soo;
    expect(svg).toContain(`r = ${Number(r.toPrecision(3))}`);
    expect(svg).toContain(`R² = ${Number(r2.toPrecision(3))}`);
    const [fit] = attrs(svg, 'line', 'regression');
    expect(Number(fit!['data-slope'])).toBeCloseTo(sop / soo, 12);
    expect(Number(fit!['data-slope'])).toBeLessThan(1); // shrinkage towards the mean is visible
  });

  it('rejects mismatched lengths and non-finite values', () => {
    expect(() => scatterChartSvg({ title: 'x', basis: 'in-sample', observed: [1, 2], predicted: [1] })).toThrow(
      /equal lengths/,
    );
    expect(() =>
      scatterChartSvg({ title: 'x', basis: 'in-sample', observed: [1, Number.NaN], predicted: [1, 2] }),
    ).toThrow(/finite/);
  });
});

describe('histogram', () => {
  it('bin counts sum to n, the top edge lands in the last bin', () => {
    expect(histogramCounts([0, 0.5, 1, 1, 0.99], 0, 1, 4)).toEqual([1, 0, 1, 3]);
    expect(() => histogramCounts([2], 0, 1, 4)).toThrow(/outside/);
  });

  for (const n of [1000, 7]) {
    it(`draws ${n} null values with the observed value outside their range`, () => {
      const rand = lcg(n);
      const values = Array.from({ length: n }, () => (rand() + rand() + rand()) / 3 - 0.5);
      const svg = histogramChartSvg({
        title: 'Spin null',
        basis: 'out-of-sample',
        values,
        observed: 0.9,
        p: 0.000999,
        pLabel: 'p_spin',
        xLabel: 'R²',
      });
      const bins = attrs(svg, 'rect', 'bin');
      expect(bins.length).toBe(n === 1000 ? 32 : 10);
      expect(bins.reduce((sum, b) => sum + Number(b['data-count']), 0)).toBe(n);
      const [line] = attrs(svg, 'line', 'observed');
      expect(Number(line!['data-value'])).toBe(0.9);
      expect(line!.x1).toBe(line!.x2);
      expect(Number(line!.x1)).toBeGreaterThan(64);
      expect(Number(line!.x1)).toBeLessThanOrEqual(502); // inside the plot area (right edge 520 − 18)
      expect(svg).toContain('p_spin = 1.0e-3');
    });
  }
});

describe('chart titles', () => {
  const long = 'graph VAE (λ as configured): hemisphere → hemisphere CV rerun on each spun target';

  it('wrap at spaces into lines of at most the given length, losing no word', () => {
    expect(wrapWords('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrapWords('  one  ', 3)).toEqual(['one']);
    expect(wrapWords('averyverylongword x', 5)).toEqual(['averyverylongword', 'x']);
  });

  it('a null histogram shows its whole title: every line drawn, the chart grown by the extra lines', () => {
    const values = Array.from({ length: 50 }, (_, i) => i / 100);
    const short = histogramChartSvg({
      title: 'Spin null',
      basis: 'out-of-sample',
      values,
      observed: 0.9,
      p: 0.02,
      pLabel: 'p_spin',
      xLabel: 'r',
    });
    const svg = histogramChartSvg({
      title: long,
      basis: 'out-of-sample',
      values,
      observed: 0.9,
      p: 0.02,
      pLabel: 'p_spin',
      xLabel: 'r',
    });
    const lines = titleLines(long, 520);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(long);
    for (const line of lines) expect(line.length * 0.62 * 15).toBeLessThanOrEqual(520 - 24); // fits at a generous glyph width
    const tspans = [...svg.matchAll(/<tspan x="12" dy="\d+">([^<]*)<\/tspan>/g)].map((m) =>
      m[1]!.replace(/&gt;/g, '>'),
    );
    expect(tspans).toEqual(lines);
    const height = (s: string) => Number(/viewBox="0 0 520 (\d+)"/.exec(s)![1]);
    expect(height(svg) - height(short)).toBe(19 * (lines.length - 1));
  });
});

describe('line chart', () => {
  const series = {
    total: Array.from({ length: 300 }, (_, i) => 5 * Math.exp(-i / 60) + 0.2),
    KL: Array.from({ length: 300 }, (_, i) => 0.5 * (1 - Math.exp(-i / 30)) + 0.01),
    'target mse': Array.from({ length: 120 }, (_, i) => (i === 50 ? Number.NaN : 1 / (1 + i))),
  };

  it('one path per series with a legend, x increasing, y inside the plot', () => {
    const svg = lineChartSvg({ title: 'Loss', basis: 'in-sample', series });
    const paths = attrs(svg, 'path', 'series');
    expect(paths.map((p) => p['data-series'])).toEqual(['total', 'KL', 'target mse']);
    expect(paths.map((p) => Number(p['data-points']))).toEqual([300, 300, 119]);
    for (const p of paths) {
      const pts = [...p.d!.matchAll(/([ML])([\d.]+),([\d.]+)/g)].map((m) => [Number(m[2]), Number(m[3])] as const);
      for (let i = 1; i < pts.length; i++) expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
      for (const [, y] of pts) {
        expect(y).toBeGreaterThanOrEqual(62);
        expect(y).toBeLessThanOrEqual(332);
      }
    }
    expect(paths[2]!.d!.match(/M/g)).toHaveLength(2); // the NaN breaks the line
    expect(svg).toContain('>target mse</text>');
    expect(svg).toContain('1 value(s) not finite, not drawn');
  });

  it('log y puts decades on the axis and leaves out values ≤ 0', () => {
    const svg = lineChartSvg({ title: 'Loss', basis: 'in-sample', series: { a: [10, 1, 0.1, 0, 0.01] }, logY: true });
    expect(attrs(svg, 'path', 'series')[0]!['data-points']).toBe('4');
    expect(svg).toContain('log scale');
    expect(svg).toContain('1 value(s) ≤ 0 or not finite, not drawn');
    for (const tick of ['0.01', '0.1', '1', '10']) expect(svg).toContain(`>${tick}</text>`);
  });
});

describe('bar chart and table', () => {
  it('bars start at zero, negative to the left', () => {
    const svg = barChartSvg({
      title: 'Loadings',
      basis: 'in-sample',
      xLabel: 'loading',
      bars: [
        { label: 'APOE', value: 0.8 },
        { label: 'SST', value: -0.4 },
      ],
    });
    const [pos, neg] = attrs(svg, 'rect', 'bar');
    const zero = Number(pos!.x);
    expect(Number(neg!.x) + Number(neg!.width)).toBeCloseTo(zero, 1);
    expect(Number(pos!.width)).toBeCloseTo(2 * Number(neg!.width), 0);
  });

  it('escapes cells and rejects ragged rows', () => {
    const html = htmlTable([{ header: 'a' }, { header: 'b', numeric: true }], [['<x>', '1']]);
    expect(html).toContain('<td>&lt;x&gt;</td><td class="num">1</td>');
    expect(() => htmlTable([{ header: 'a' }], [['1', '2']])).toThrow(/row 0 has 2 cells/);
  });
});
