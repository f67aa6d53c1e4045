// Run the evaluation on a regional map of your own: cross-validated ridge on the shipped AHBA
// expression against a no-gene spatial baseline, and a spin null that refits ridge on every spun map.
//   node evaluate-your-map.mjs [map.csv] [column]
// The CSV has a region column (DK ids such as L_entorhinal, or ENIGMA/aparc names) and a value
// column oriented positive = more vulnerable. Without arguments it uses a map shipped with the package.
import { join } from 'node:path';
import {
  buildDataset,
  crossValidate,
  defaultDataDir,
  distanceDependentSplits,
  geneMatrix,
  ridge,
  spatialOnly,
  spinNullRetrained,
  spinPermutations,
} from 'cortex-vae';

const mapFile = process.argv[2] ?? join(defaultDataDir(), 'adni3_tau_dementia_vs_cn_dk68.csv');
const column = process.argv[3] ?? 'cohens_d_dementia_minus_cn';

const dataset = buildDataset({
  dataDir: defaultDataDir(),
  regions: 'bilateral',
  genes: 'l1000',
  adjacency: 'fsa5',
  weighting: 'binary',
  target: `file:${mapFile}:${column}`,
  targetSign: 1,
});
const { y, regions, genes, centroids, hemisphere } = dataset;
const n = regions.length;
const g = genes.length;
const X = geneMatrix(dataset.X, n, g); // regions × genes, row-major

// test set: a region and its nearest quarter of the same hemisphere; the rest trains (docs/evaluation.md)
const splits = distanceDependentSplits(centroids.surface, 0.25, hemisphere);
const genesModel = ridge({ lambda: 'inner-cv' });
const withGenes = await crossValidate(genesModel, X, y, splits);
const noGenes = await crossValidate(spatialOnly({ coords: centroids.surface, method: 'knn' }), X, y, splits);

// spin null: the whole cross-validation refitted on each spun map (spatial autocorrelation kept)
const spins = spinPermutations({ sphere: centroids.sphere, hemisphere, n: 20, seed: 1, method: 'hungarian' });
const nullOfR = await spinNullRetrained(genesModel, X, y, splits, spins, { statistic: 'r' });

console.log(
  JSON.stringify(
    {
      map: `${mapFile}:${column}`,
      regions: n,
      genes: g,
      splits: splits.length,
      ridge: { r: withGenes.pooled.r, r2: withGenes.pooled.r2 },
      spatialOnly: { r: noGenes.pooled.r, r2: noGenes.pooled.r2 },
      spinNull: { spins: spins.length, observedR: nullOfR.observed, pSpin: nullOfR.pSpin },
    },
    null,
    2,
  ),
);
