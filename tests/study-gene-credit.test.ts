/**
 * The headline must credit genes only where genes carry the signal. On the shipped geometry and
 * expression (66 regions × 75 landmark genes), with the headline scheme (spatial patches held out
 * with their counterparts) and both symmetric null families:
 *  - a map that is symmetric and smooth but built without any gene gets no gene credit: ridge's Δr
 *    over the best no-gene model is not significant under either null;
 *  - a map that is a linear function of the genes gets it under both.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_VAE_CONFIG } from '../src/model/config';
import { buildDataset, type Dataset } from '../src/pipeline/data/dataset';
import { geneMatrix } from '../src/pipeline/data/gene-matrix';
import { fitGeneScaler } from '../src/pipeline/data/scaling';
import { counterpartIndex } from '../src/pipeline/evaluation/counterparts';
import { crossValidate } from '../src/pipeline/evaluation/cross-validate';
import { createRng } from '../src/pipeline/evaluation/rng';
import { crossValidatedStatistics } from '../src/pipeline/evaluation/spin-null';
import { geneContributions, withContributionPs } from '../src/pipeline/study/gene-contributions';
import { nullMaps } from '../src/pipeline/study/null-maps';
import { DEFAULT_STUDY_OPTIONS, type StudyOptions } from '../src/pipeline/study/options';
import { schemeSplits } from '../src/pipeline/study/scheme-splits';
import { baselineModels } from '../src/pipeline/study/study-models';
import { nullEntry } from '../src/pipeline/study/study-nulls';
import type { StudyResult } from '../src/pipeline/study/types';
import { R06_EXPRESSION } from './fixtures/shipped-data';
import { DATA_DIR, readCentroids, smoothRandomMap } from './eval-fixtures';

const shipped = buildDataset({
  dataDir: DATA_DIR,
  expressionFile: R06_EXPRESSION,
  regions: 'bilateral',
  genes: 'l1000',
  target: 'adni2-ad-volume-d',
  adjacency: 'fsa5',
  weighting: 'binary',
});
const options: StudyOptions = {
  ...DEFAULT_STUDY_OPTIONS,
  model: DEFAULT_VAE_CONFIG,
  spins: 99,
  moranMaps: 99,
  patches: 3,
};
const n = shipped.regions.length;
const g = shipped.genes.length;

/** Ridge's Δr over the best no-gene model on the headline, with p under symmetric spins and Moran surrogates. */
async function ridgeCredit(y: Float64Array) {
  const dataset: Dataset = { ...shipped, y };
  const splits = schemeSplits('patches', dataset, options);
  const models = baselineModels(dataset, options).filter(
    (m) => !m.name.startsWith('PLS') && !m.name.startsWith('gene PC1'),
  );
  const maps = nullMaps(dataset, options);
  const expression = geneMatrix(dataset.X, n, g);
  const crossValidation = await Promise.all(
    models.map(async (model) => ({
      scheme: 'patches' as const,
      model: model.name,
      result: await crossValidate(model, expression, y, splits),
    })),
  );
  const partial = { crossValidation, nulls: [], headline: 'patches' as const, inSample: [] } as unknown as StudyResult;
  const nulls = [];
  for (const family of ['spin', 'moran'] as const) {
    for (const model of models) {
      const values = await crossValidatedStatistics(model, expression, maps.maps('patches', family, 99), splits);
      const info = {
        id: `${model.name} ${family}`,
        kind: 'retrained' as const,
        model: model.name,
        scheme: 'patches' as const,
        family,
        name: '',
        items: 99,
        itemLabel: 'spins' as const,
        fitsPerItem: splits.length,
      };
      nulls.push(nullEntry(info, partial, values));
    }
  }
  const study = { ...partial, nulls, geneContributions: geneContributions(partial, y, 1) };
  return withContributionPs(study).find((c) => c.model.startsWith('ridge'))!;
}

describe('gene credit under the headline and its nulls', () => {
  it('a symmetric, smooth, gene-free map gets none', async () => {
    const c = readCentroids();
    const full = smoothRandomMap(c, 40, createRng(5)); // 68 regions, left half used
    const counterpart = counterpartIndex(shipped.regions);
    const noise = createRng(6);
    const y = Float64Array.from(shipped.regions, (region, i) => {
      const left = shipped.hemisphere[i] === 'L' ? region : shipped.regions[counterpart[i]!]!;
      return full[c.regions.indexOf(left)]! + (shipped.hemisphere[i] === 'R' ? 0.1 * noise.normal() : 0);
    });
    const credit = await ridgeCredit(y);
    expect(credit.pSpin!.draws).toBe(99);
    expect(credit.pSpin!.p).toBeGreaterThan(0.05);
    expect(credit.pMoran!.p).toBeGreaterThan(0.05);
  }, 120_000);

  it('a map that is a linear function of the genes gets it under both nulls', async () => {
    const all = Array.from({ length: n }, (_, i) => i);
    const scaled = fitGeneScaler(shipped.X, n, g, all, 'zscore').apply(shipped.X, n);
    const rng = createRng(8);
    const w = Float64Array.from({ length: g }, () => rng.normal());
    const y = Float64Array.from(
      { length: n },
      (_, i) => scaled.subarray(i * g, (i + 1) * g).reduce((s, x, c) => s + x * w[c]!, 0) + 0.5 * rng.normal(),
    );
    const credit = await ridgeCredit(y);
    expect(credit.deltaR).toBeGreaterThan(0);
    expect(credit.deltaRInterval[0]).toBeGreaterThan(0);
    expect(credit.pSpin!.p).toBeLessThan(0.05);
    expect(credit.pMoran!.p).toBeLessThan(0.05);
  }, 120_000);
});
