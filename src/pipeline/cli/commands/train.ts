/** `train`: one graph VAE fitted on every region (the paper's setting), saved as a checkpoint with its in-sample figures. */
import { join } from 'node:path';
import { encodeCheckpoint, selectModels, trainVae } from '../../../model';
import { formatDatasetSummary, type Dataset } from '../../data/dataset';
import { geneMatrix } from '../../data/gene-matrix';
import { metricsOf, type FitMetrics } from '../../evaluation/metrics';
import { scaledExpression, trainTask } from '../../evaluation/vae-regressor';
import { loadDkOutlines } from '../../report/dk-outlines';
import { writeReport } from '../../report/html';
import type { ReportData, RegionValues } from '../../report/types';
import type { RunConfig } from '../config';
import { datasetFrom, laplacianOf, openEngine, stageProgress, type CommandContext } from '../context';
import { textTable } from '../../report/text-table';
import { version } from '../version';

/** What `predict` needs to rebuild the inputs and map ŷ back to the target's units. */
export function checkpointProvenance(
  config: RunConfig,
  dataset: Dataset,
  target: { mean: number; sd: number },
): Record<string, unknown> {
  return {
    cortexVae: version,
    data: config.data,
    scaling: config.evaluation.scaling,
    genes: dataset.genes,
    regions: dataset.regions,
    targetMean: target.mean,
    targetSd: target.sd,
    files: dataset.provenance,
  };
}

export interface TrainSummary {
  metrics: FitMetrics;
  epochs: number;
  msPerEpoch: number;
  backend: string;
}

export async function trainCommand(config: RunConfig, outDir: string, context: CommandContext): Promise<TrainSummary> {
  const started = new Date();
  const dataset = datasetFrom(config.data);
  context.log(formatDatasetSummary(dataset));
  const n = dataset.regions.length;
  const g = dataset.genes.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const target = trainTask(dataset.y, all, config.seed);
  const outlines = loadDkOutlines(join(config.data.dataDir, 'dk_ggseg_polygons.json'));
  const engine = await openEngine(config, context);
  try {
    const progress = stageProgress(context)(`training (${config.model.epochs} epochs)`);
    const t0 = performance.now();
    const fit = await trainVae({
      engine,
      X: scaledExpression(geneMatrix(dataset.X, n, g), all, config.evaluation.scaling),
      xShape: [1, n, g],
      laplacian: laplacianOf(dataset, config.data),
      edgeCount: dataset.graph.edges.length,
      tasks: [target.task],
      config: config.model,
      onEpoch: (e) => progress.update(e.epoch, e.epochs),
    });
    const msPerEpoch = (performance.now() - t0) / config.model.epochs;
    progress.done();
    const prediction = Float64Array.from(fit.predictions[0]!, (v) => target.mean + target.sd * v);
    const metrics = metricsOf(dataset.y, prediction);
    const finished = new Date();
    const values = (v: ArrayLike<number>): RegionValues => new Map(dataset.regions.map((r, i) => [r, v[i]!]));
    const K = fit.config.latentSize;
    const history = fit.history[0]!;
    const data: ReportData = {
      title: `cortex-vae train: ${dataset.target.description}`,
      run: {
        command: context.commandLine,
        config,
        seed: config.seed,
        backend: engine.backend.name,
        adapter: engine.backend.describe(),
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        wallSeconds: (finished.getTime() - started.getTime()) / 1000,
        version,
      },
      dataset: {
        regions: n,
        genes: g,
        target: dataset.target.description,
        files: dataset.provenance,
        droppedRegions: dataset.dropped,
      },
      notes: [
        {
          level: 'warning',
          text: 'Every figure here is in-sample: the model was fitted on all regions it is scored on. Run `cortex-vae evaluate` for cross-validated figures with spin nulls.',
        },
      ],
      maps: {
        observed: {
          title: 'observed vulnerability',
          basis: 'observed data',
          values: values(dataset.y),
          scale: 'diverging',
        },
        predicted: { title: 'predicted', basis: 'in-sample', values: values(prediction), scale: 'diverging' },
        residual: {
          title: 'residual',
          basis: 'in-sample',
          values: values(dataset.y.map((v, i) => v - prediction[i]!)),
          scale: 'diverging',
        },
      },
      predictions: [
        {
          title: 'VAE fitted on all regions',
          basis: 'in-sample',
          regions: dataset.regions,
          observed: Array.from(dataset.y),
          predicted: Array.from(prediction),
        },
      ],
      inSample: [
        {
          model: 'graph VAE',
          n: metrics.n,
          r: metrics.r,
          pParametric: metrics.pParametric,
          explainedVariance: metrics.explainedVariance,
          rSquared: metrics.r2,
        },
      ],
      lossCurves: {
        series: {
          total: history.map((h) => h.total),
          reconstruction: history.map((h) => h.reconstruction),
          target: history.map((h) => h.target),
          smoothness: history.map((h) => h.smoothness),
        },
        logY: true,
      },
    };
    const mu = fit.mu[0]!;
    writeReport(
      outDir,
      data,
      {
        predictions: {
          columns: ['region', 'observed', 'predicted_in_sample'],
          rows: dataset.regions.map((r, i) => [r, dataset.y[i]!, prediction[i]!]),
        },
        latents: {
          columns: ['region', ...Array.from({ length: K }, (_, k) => `mu${k + 1}`)],
          rows: dataset.regions.map((r, i) => [r, ...Array.from(mu.subarray(i * K, (i + 1) * K))]),
        },
      },
      outlines,
      [
        ['config.json', () => JSON.stringify(config, null, 2) + '\n'],
        [
          'model.ckpt',
          () =>
            encodeCheckpoint(
              { config: fit.config, weights: selectModels(fit.weights!, [0]) },
              checkpointProvenance(config, dataset, target),
            ),
        ],
      ],
    );
    const summary = { metrics, epochs: config.model.epochs, msPerEpoch, backend: engine.backend.describe() };
    context.out(
      context.json
        ? JSON.stringify(
            { inSample: metrics, epochs: summary.epochs, msPerEpoch, backend: summary.backend, out: outDir },
            null,
            2,
          )
        : textTable(
            ['in-sample', 'r', 'expl. var.', 'R²', 'ms/epoch', 'backend'],
            [
              [
                'graph VAE',
                metrics.r.toFixed(3),
                metrics.explainedVariance.toFixed(3),
                metrics.r2.toFixed(3),
                msPerEpoch.toFixed(2),
                engine.backend.name,
              ],
            ],
          ),
    );
    context.log(`checkpoint: ${join(outDir, 'model.ckpt')}; report: ${join(outDir, 'report.html')}`);
    return summary;
  } finally {
    engine.backend.destroy();
  }
}
