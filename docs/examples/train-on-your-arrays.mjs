// Train the graph VAE on arrays of your own: a regional expression matrix and a target map held in
// memory (here simulated: 34 left-hemisphere regions, 40 genes, a target driven by three of them),
// then cross-validate it holding out one lobe at a time.
//   node train-on-your-arrays.mjs
import {
  CpuBackend,
  DK68_REGIONS,
  Engine,
  crossValidate,
  datasetFromArrays,
  fitGeneScaler,
  geneMatrix,
  laplacianCsr,
  leaveOneLobeOut,
  pearson,
  requestGpuBackend,
  trainVae,
  vaeRegressor,
} from 'cortex-vae';

// your data: one row per region (DK ids such as L_entorhinal), one column per gene, one target value per region
const regions = DK68_REGIONS.filter((region) => region.startsWith('L_'));
const genes = Array.from({ length: 40 }, (_, j) => `GENE${j + 1}`);
let state = 7;
const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
const X = Float64Array.from({ length: regions.length * genes.length }, random);
const y = regions.map((_, i) => X[i * 40] + 0.5 * X[i * 40 + 1] - X[i * 40 + 2] + 0.1 * random());

const dataset = datasetFromArrays({ regions, genes, X, y, target: { name: 'simulated map' } });
const n = dataset.regions.length;
const g = dataset.genes.length;
const laplacian = laplacianCsr(dataset.graph, 'normalized');

// WebGPU where it starts, else the CPU reference (same results to float32 rounding)
const gpu = await requestGpuBackend();
const engine = new Engine('backend' in gpu ? gpu.backend : new CpuBackend());

// one model on every region: genes z-scored, y standardised, all regions in the loss
const all = dataset.regions.map((_, i) => i);
const scaled = Float32Array.from(fitGeneScaler(dataset.X, n, g, all, 'zscore').apply(dataset.X, n));
const mean = dataset.y.reduce((s, v) => s + v, 0) / n;
const sd = Math.sqrt(dataset.y.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
const fit = await trainVae({
  engine,
  X: scaled,
  xShape: [1, n, g],
  laplacian,
  edgeCount: dataset.graph.edges.length,
  tasks: [{ y: Float32Array.from(dataset.y, (v) => (v - mean) / sd), trainMask: new Uint8Array(n).fill(1), seed: 1 }],
  config: { epochs: 150, hiddenSize: 32, latentSize: 4 },
});
const inSampleR = pearson(dataset.y, fit.predictions[0]);

// held-out figures: each lobe predicted by a model trained on the others (all splits in one batched run)
const model = vaeRegressor({
  engine,
  laplacian,
  edgeCount: dataset.graph.edges.length,
  config: { epochs: 150, hiddenSize: 32, latentSize: 4 },
  seed: 1,
  scaling: 'zscore',
});
const cv = await crossValidate(model, geneMatrix(dataset.X, n, g), dataset.y, leaveOneLobeOut(dataset.regions));
engine.backend.destroy();

const summary = { regions: n, genes: g, backend: engine.backend.name, inSampleR, heldOutR: cv.pooled.r };
console.log(JSON.stringify(summary, null, 2));
