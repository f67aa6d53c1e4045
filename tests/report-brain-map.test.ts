import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DK68_REGIONS } from '../src/pipeline/atlas';
import { DATA_DIR } from './fixtures/shipped-data';
import { InputError } from '../src/pipeline/input-error';
import { brainMapSvg } from '../src/pipeline/report/brain-map';
import { colorFor, colourAt, scaleFor } from '../src/pipeline/report/colormaps';
import { loadDkOutlines } from '../src/pipeline/report/dk-outlines';
import { logTicks, niceTicks } from '../src/pipeline/report/nice-ticks';

const OUTLINES_FILE = join(DATA_DIR, 'dk_ggseg_polygons.json');
const outlines = loadDkOutlines(OUTLINES_FILE);

/** Real ADNI-2 AD-vs-CN volume effect sizes (Cohen's d) per DK region. */
function adniVolumeEffects(): Map<string, number | null> {
  const lines = readFileSync(join(DATA_DIR, 'adni2_ad_vs_cn_volume_effects_dk68.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const col = header.indexOf('cohens_d_cn_minus_ad');
  return new Map(
    lines.slice(1).map((l) => {
      const c = l.split(',');
      return [c[0]!, Number(c[col])];
    }),
  );
}

interface RegionPath {
  region: string;
  value: string;
  fill: string;
  className: string | null;
}

function regionPaths(svg: string): RegionPath[] {
  return [...svg.matchAll(/<path ([^>]*data-region="[^"]*"[^>]*)>/g)].map((m) => {
    const attr = (name: string) => m[1]!.match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? null;
    return { region: attr('data-region')!, value: attr('data-value')!, fill: attr('fill')!, className: attr('class') };
  });
}

/** Views each region is drawn in, per the outline file. */
const viewsPerRegion = new Map<string, number>();
for (const s of outlines.shapes) if (s.region) viewsPerRegion.set(s.region, (viewsPerRegion.get(s.region) ?? 0) + 1);

describe('colour maps', () => {
  it('diverging is centred at 0 with symmetric ends; sequential spans viridis', () => {
    const scale = { map: 'diverging' as const, min: -2, max: 2 };
    expect(colorFor(0, scale)).toBe('#f7f7f7');
    expect(colorFor(-2, scale)).toBe('#053061');
    expect(colorFor(2, scale)).toBe('#67001f');
    // An asymmetric range is still centred at 0: m = max(|min|, |max|) = 3.
    expect(colorFor(0, { map: 'diverging', min: -1, max: 3 })).toBe('#f7f7f7');
    expect(colorFor(-3, { map: 'diverging', min: -1, max: 3 })).toBe('#053061');
    const seq = { map: 'sequential' as const, min: 10, max: 20 };
    expect(colorFor(10, seq)).toBe('#440154');
    expect(colorFor(20, seq)).toBe('#fde725');
    expect(colorFor(99, seq)).toBe('#fde725'); // clamped
  });

  it('interpolates linearly between neighbouring stops', () => {
    // t = 1/16 is halfway between viridis stops #440154 and #472c7a: (68+71)/2, (1+44)/2, (84+122)/2 rounded.
    expect(colourAt('sequential', 1 / 16)).toBe('#461767');
  });

  it('scaleFor makes diverging limits symmetric and keeps sequential data range', () => {
    expect(scaleFor('diverging', [-0.5, 1.5])).toEqual({ map: 'diverging', min: -1.5, max: 1.5 });
    expect(scaleFor('sequential', [3, -1, 2])).toEqual({ map: 'sequential', min: -1, max: 3 });
    expect(scaleFor('sequential', [3], [0, 10])).toEqual({ map: 'sequential', min: 0, max: 10 });
    expect(() => scaleFor('sequential', [1], [2, 1])).toThrow(/limits/);
    expect(() => colorFor(Number.NaN, { map: 'sequential', min: 0, max: 1 })).toThrow(/finite/);
  });
});

describe('niceTicks', () => {
  it('steps of 1, 2 or 5 × 10^k, widened to whole steps, without float noise', () => {
    expect(niceTicks(0, 1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.1, 0.7).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-0.37, 0.81)).toEqual({ domain: [-0.5, 1], step: 0.5, ticks: [-0.5, 0, 0.5, 1] });
    expect(niceTicks(1, 300, 6).ticks).toEqual([0, 50, 100, 150, 200, 250, 300]);
    const flat = niceTicks(5, 5);
    expect(flat.domain[0]).toBeLessThan(5);
    expect(flat.domain[1]).toBeGreaterThan(5);
    expect(niceTicks(0, 0).ticks.length).toBeGreaterThan(1);
  });

  it('log ticks are decades, with 2× and 5× over short ranges', () => {
    expect(logTicks(0.003, 2).ticks).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(0.3, 2).ticks).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
    expect(() => logTicks(0, 1)).toThrow(/positive/);
  });
});

describe('DK outlines', () => {
  it('loads the shipped ggseg polygons: 90 shapes covering all 68 regions, medial wall included', () => {
    expect(outlines.viewBox).toEqual([0, 0, 1391, 206]);
    expect(outlines.shapes).toHaveLength(90);
    expect(new Set(outlines.shapes.map((s) => s.region).filter(Boolean)).size).toBe(68);
    expect(outlines.shapes.some((s) => s.region === null && s.side === 'medial')).toBe(true);
  });

  it('rejects a missing file and a file lacking regions with one-line InputErrors naming the file', () => {
    expect(() => loadDkOutlines('/nonexistent/dk.json')).toThrow(InputError);
    expect(() => loadDkOutlines('/nonexistent/dk.json')).toThrow(/\/nonexistent\/dk\.json: cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'report-outlines-'));
    const json = JSON.parse(readFileSync(OUTLINES_FILE, 'utf8')) as { regions: { dk68_region: string | null }[] };
    json.regions = json.regions.filter((r) => r.dk68_region !== 'R_insula');
    const file = join(dir, 'dk.json');
    writeFileSync(file, JSON.stringify(json));
    expect(() => loadDkOutlines(file)).toThrow(/dk\.json: no outline for 1 DK region\(s\) \(R_insula\)/);
    writeFileSync(file, '{"viewBox": [0, 0, 1, 1], ');
    expect(() => loadDkOutlines(file)).toThrow(/not valid JSON/);
  });
});

describe('brainMapSvg', () => {
  const values = adniVolumeEffects();
  values.set('R_frontalpole', null);
  values.delete('R_temporalpole'); // absent counts as missing too

  it('draws every region once per view with the colour of its value', () => {
    const svg = brainMapSvg({
      outlines,
      values,
      title: 'AD atrophy',
      basis: 'observed data',
      scale: 'diverging',
      unit: 'd',
    });
    const paths = regionPaths(svg);
    const scale = scaleFor(
      'diverging',
      [...values.values()].filter((v): v is number => v !== null),
    );
    for (const region of DK68_REGIONS) {
      const drawn = paths.filter((p) => p.region === region);
      expect(drawn.length, region).toBe(viewsPerRegion.get(region));
      const v = values.get(region);
      for (const p of drawn) {
        if (v === null || v === undefined) {
          expect(p.fill).toBe('url(#ad-atrophy-no-data)');
          expect(p.className).toBe('no-data');
          expect(p.value).toBe('');
        } else {
          expect(Number(p.value)).toBe(v);
          expect(p.fill).toBe(colorFor(v, scale));
        }
      }
    }
    expect(paths).toHaveLength(outlines.shapes.filter((s) => s.region).length);
    expect(svg).toContain('<title>L_entorhinal: ');
    expect(svg).toContain('No data (2): R_frontalpole, R_temporalpole');
    expect(svg).toContain('data-basis="observed data"');
    expect(svg.match(/class="medial-wall"/g)).toHaveLength(outlines.shapes.filter((s) => !s.region).length);
  });

  it('colour bar ends match the limits, in value and in colour', () => {
    const limits: [number, number] = [-0.25, 0.75];
    const svg = brainMapSvg({ outlines, values, title: 'Seq', basis: 'in-sample', scale: 'sequential', limits });
    const bar = svg.match(/<g class="colour-bar" data-min="([^"]+)" data-max="([^"]+)">/)!;
    expect([Number(bar[1]), Number(bar[2])]).toEqual(limits);
    const stops = [...svg.matchAll(/<stop offset="[^"]+" stop-color="(#[0-9a-f]{6})"\/>/g)].map((m) => m[1]);
    const scale = { map: 'sequential' as const, min: limits[0], max: limits[1] };
    expect(stops[0]).toBe(colorFor(limits[0], scale));
    expect(stops[stops.length - 1]).toBe(colorFor(limits[1], scale));
    const endLabels = [...svg.matchAll(/<text class="limit"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(endLabels).toEqual(['-0.25', '0.75']);
    // Values above the upper limit take the end colour.
    const entorhinal = regionPaths(svg).find((p) => p.region === 'L_entorhinal')!;
    expect(values.get('L_entorhinal')).toBeGreaterThan(0.75);
    expect(entorhinal.fill).toBe('#fde725');
  });

  it('diverging limits are symmetric around 0 on the colour bar', () => {
    const svg = brainMapSvg({
      outlines,
      values: new Map([
        ['L_insula', -0.2],
        ['R_insula', 0.8],
      ]),
      title: 'D',
      basis: 'out-of-sample',
      scale: 'diverging',
    });
    expect(svg).toContain('data-min="-0.8" data-max="0.8"');
    expect(svg).toContain('No data (66): L_bankssts');
  });

  it('rejects a value keyed by something that is not a DK region', () => {
    expect(() =>
      brainMapSvg({ outlines, values: new Map([['Lhippo', 1]]), title: 'X', basis: 'in-sample', scale: 'sequential' }),
    ).toThrow(/'Lhippo' is not a DK68 region id/);
  });
});
