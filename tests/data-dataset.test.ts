import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCsvFile } from '../src/pipeline/data/csv';
import { buildDataset, formatDatasetSummary, listTargets, type DatasetOptions } from '../src/pipeline/data/dataset';
import { DATA_DIR, R06_EXPRESSION } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

/** On the small r ≥ 0.6 matrix (fast to read); the default 12,668-gene matrix has its own tests below. */
const options = (extra: Partial<DatasetOptions> = {}): DatasetOptions => ({
  dataDir: DATA_DIR,
  expressionFile: R06_EXPRESSION,
  regions: 'left',
  genes: 'all',
  target: 'adni2-ad-volume-d',
  adjacency: 'fsa5',
  weighting: 'binary',
  ...extra,
});

describe('the default expression matrix (ENIGMA r ≥ 0.2, 12,668 genes)', () => {
  const byDefault = buildDataset({ ...options({ regions: 'bilateral', genes: 'l1000' }), expressionFile: undefined });

  it('is read from the gzip file and yields 66 regions × the 787 L1000 landmarks it holds', () => {
    expect(byDefault.expression).toMatchObject({ genes: 12668, stabilityThreshold: 0.2 });
    expect(byDefault.expression.file).toMatch(/ahba_dk_enigma_stable_r0\.2\.csv\.gz$/);
    expect(byDefault.geneSet).toMatchObject({ name: 'l1000', requested: 978, found: 787 });
    expect(byDefault.geneSet.missing).toHaveLength(191);
    expect(byDefault.regions).toHaveLength(66);
    expect(byDefault.genes).toHaveLength(787);
    expect(byDefault.dropped.map((x) => x.region)).toEqual(['R_frontalpole', 'R_temporalpole']);
    expect(byDefault.X.every(Number.isFinite)).toBe(true);
  });

  it('the summary states what the file read holds, and the filter its name states', () => {
    const s = formatDatasetSummary(byDefault);
    expect(s).toMatch(
      /L1000 landmarks: 787 of 978 found in ahba_dk_enigma_stable_r0\.2\.csv\.gz \(12,668 genes; its name says it keeps genes with differential stability r ≥ 0\.2 across donors\), 191 missing/,
    );
    expect(s).toMatch(
      /the paper matched 910 landmarks; `cortex-vae data fetch` downloads abagen's unfiltered 15,633-gene matrix/,
    );
    expect(s).not.toMatch(/0\.6/);
  });
});

describe('dataset from the shipped files', () => {
  it('left / all: 34 × 1645, y is the ADNI-2 volume d as written, graph and centroids aligned', () => {
    const d = buildDataset(options());
    expect(d.regions.length).toBe(34);
    expect(d.genes.length).toBe(1645);
    expect(d.X.length).toBe(34 * 1645);
    expect(d.hemisphere.every((h) => h === 'L')).toBe(true);
    expect(d.dropped).toEqual([]);
    expect(d.y[0]).toBe(0.7186); // L_bankssts cohens_d_cn_minus_ad
    expect(d.target.sign).toBe(1);
    expect(d.graph.n).toBe(34);
    expect(d.graph.edges.length).toBe(87); // left-hemisphere pairs with fsa5 shared edges
    expect(d.centroids.sphere.slice(0, 3)).toEqual(Float64Array.from([-89.2789, -35.5019, -27.7288]));
    expect(Object.keys(d.provenance).filter((k) => k.startsWith('sha256:')).length).toBe(5);
  });

  it('bilateral drops exactly R_frontalpole and R_temporalpole with reasons and keeps everything aligned', () => {
    const d = buildDataset(options({ regions: 'bilateral' }));
    expect(d.dropped.map((x) => x.region)).toEqual(['R_frontalpole', 'R_temporalpole']);
    for (const x of d.dropped)
      expect(x.reason).toMatch(/all expression values are NaN in .*ahba_dk_enigma_stable_r0\.6\.csv\.gz/);
    expect(d.regions.length).toBe(66);
    expect(d.regions).not.toContain('R_frontalpole');
    expect(d.y.length).toBe(66);
    expect(d.centroids.surface.length).toBe(66 * 3);
    expect(d.graph.n).toBe(66);
    for (const e of d.graph.edges) expect(d.hemisphere[e.i]).toBe(d.hemisphere[e.j]);
    expect(d.X.every(Number.isFinite)).toBe(true);
  });

  it('l1000 finds the 75 landmarks present in the r ≥ 0.6 file and the summary says so plainly', () => {
    const d = buildDataset(options({ genes: 'l1000' }));
    expect(d.geneSet).toMatchObject({ name: 'l1000', requested: 978, found: 75 });
    expect(d.geneSet.missing.length).toBe(903);
    expect(d.genes.length).toBe(75);
    const landmarks = readCsvFile(`${DATA_DIR}/l1000_landmark_genes.csv`);
    const flag = landmarks.header.indexOf('in_enigma_r0.6');
    const ahba = landmarks.header.indexOf('ahba_gene_symbol');
    const flagged = landmarks.rows
      .filter((r) => r[flag] === '1')
      .map((r) => r[ahba])
      .sort();
    expect([...d.genes].sort()).toEqual(flagged); // agrees with the file's own in_enigma_r0.6 column
    const s = formatDatasetSummary(d);
    expect(s).toMatch(
      /L1000 landmarks: 75 of 978 found in ahba_dk_enigma_stable_r0\.6\.csv\.gz \(1,645 genes; its name says it keeps genes with differential stability r ≥ 0\.6 across donors\), 903 missing/,
    );
    expect(s).toMatch(/the paper matched 910 landmarks/);
  });

  it('a user gene list reports unknown genes; none found is an error', () => {
    const f = tempFolder();
    const d = buildDataset(
      options({ genes: { file: f.write('genes.csv', 'gene,weight\nAPOE,1\nNOTAGENE,2\nA1BG,3\nAPOE,4\n') } }),
    );
    expect(d.genes).toEqual(['APOE', 'A1BG']);
    expect(d.geneSet).toMatchObject({ requested: 3, found: 2, missing: ['NOTAGENE'] });
    expect(formatDatasetSummary(d)).toMatch(
      /genes not found in ahba_dk_enigma_stable_r0\.6\.csv\.gz \(1,645 genes; .*\): 1 \(NOTAGENE\)/,
    );
    expect(() => buildDataset(options({ genes: { file: f.write('none.txt', 'FOO1\nBAR2\n') } }))).toThrow(
      /none\.txt: none of its 2 genes \(e\.g\. FOO1, BAR2\) is a column of/,
    );
  });

  it('summary names regions, target and sign, dropped regions and graph edges', () => {
    const s = formatDatasetSummary(buildDataset(options({ regions: 'bilateral', target: 'enigma-pd-thickness' })));
    expect(s).toMatch(/regions: 66 \(34 left, 32 right\)/);
    expect(s).toMatch(/target: enigma-pd-thickness = d × −1/);
    expect(s).toMatch(/dropped regions: R_frontalpole .*; R_temporalpole/);
    expect(s).toMatch(/graph: 166 edges over 66 regions/);
  });
});

describe('targets', () => {
  it('every shipped target loads for 66 bilateral regions with finite values', () => {
    for (const t of listTargets()) {
      const d = buildDataset(options({ regions: 'bilateral', genes: 'l1000', target: t.name }));
      expect(d.y.length, t.name).toBe(66);
      expect(d.y.every(Number.isFinite), t.name).toBe(true);
    }
  });

  it('signs orient positive = more vulnerable: entorhinal is above the median for AD maps, PD/ENIGMA maps are negated d', () => {
    const median = (v: Float64Array) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
    for (const name of ['adni2-ad-volume-d', 'adni-ad-atrophy', 'adni3-tau-d', 'adni-ad-tau']) {
      const d = buildDataset(options({ genes: 'l1000', target: name }));
      expect(d.y[d.regions.indexOf('L_entorhinal')]!, name).toBeGreaterThan(median(d.y));
    }
    const fdg = buildDataset(options({ genes: 'l1000', target: 'adni-ad-fdg' }));
    expect(fdg.y[fdg.regions.indexOf('L_inferiorparietal')]!).toBeGreaterThan(
      fdg.y[fdg.regions.indexOf('L_precentral')]!,
    );
    const pd = buildDataset(options({ genes: 'l1000', target: 'enigma-pd-thickness' }));
    expect(pd.y[0]).toBe(0.104); // L_bankssts d = −0.104
    const scz = buildDataset(options({ genes: 'l1000', target: 'enigma-scz-thickness' }));
    expect(scz.y[0]).toBeCloseTo(0.352, 12);
  });

  it('file targets: ENIGMA layout read directly, sign required unless the column is known, unknown names refused', () => {
    const f = tempFolder();
    const rows = readFileSync(`${DATA_DIR}/adni2_ad_vs_cn_volume_effects_dk68.csv`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const file = f.write('mine.csv', ['Structure;thinning', ...rows.slice(1).map((r) => `${r[0]};${r[7]}`)].join('\n'));
    expect(() => buildDataset(options({ target: `file:${file}:thinning` }))).toThrow(
      /column 'thinning' has no known direction; fix: pass --target-sign/,
    );
    const d = buildDataset(options({ target: `file:${file}:thinning`, targetSign: -1 }));
    expect(d.y[0]).toBe(-0.7186);
    const known = buildDataset(
      options({ target: `file:${DATA_DIR}/adni2_ad_vs_cn_volume_effects_dk68.csv:cohens_d_cn_minus_ad` }),
    );
    expect(known.target.sign).toBe(1);
    expect(() => buildDataset(options({ target: 'adni-ad-thickness' }))).toThrow(
      /target 'adni-ad-thickness' is not a shipped target; fix: use one of adni2-ad-volume-d/,
    );
    expect(() => buildDataset(options({ target: `file:${file}:nope`, targetSign: 1 }))).toThrow(
      /mine\.csv: line 1 has no column 'nope'/,
    );
  });

  it('a target with a NaN or absent region in use is an error naming it', () => {
    const f = tempFolder();
    const nan = f.write(
      'nan.csv',
      'region,v\n' +
        [
          'L_bankssts,NaN',
          ...Array.from(
            { length: 33 },
            (_, k) =>
              `${['L_caudalanteriorcingulate', 'L_caudalmiddlefrontal', 'L_cuneus', 'L_entorhinal', 'L_fusiform', 'L_inferiorparietal', 'L_inferiortemporal', 'L_isthmuscingulate', 'L_lateraloccipital', 'L_lateralorbitofrontal', 'L_lingual', 'L_medialorbitofrontal', 'L_middletemporal', 'L_parahippocampal', 'L_paracentral', 'L_parsopercularis', 'L_parsorbitalis', 'L_parstriangularis', 'L_pericalcarine', 'L_postcentral', 'L_posteriorcingulate', 'L_precentral', 'L_precuneus', 'L_rostralanteriorcingulate', 'L_rostralmiddlefrontal', 'L_superiorfrontal', 'L_superiorparietal', 'L_superiortemporal', 'L_supramarginal', 'L_frontalpole', 'L_temporalpole', 'L_transversetemporal', 'L_insula'][k]},${k}`,
          ),
        ].join('\n'),
    );
    expect(() => buildDataset(options({ target: `file:${nan}:v`, targetSign: 1 }))).toThrow(
      /nan\.csv: line 2, column 'v': value for L_bankssts is NaN/,
    );
    expect(() => buildDataset(options({ regions: 'bilateral', target: `file:${nan}:v`, targetSign: 1 }))).toThrow(
      /nan\.csv: no row for 32 region\(s\) in use: R_bankssts/,
    );
  });
});
