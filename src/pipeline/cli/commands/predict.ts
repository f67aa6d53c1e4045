/**
 * `predict`: a saved model applied to expression data — the shipped file or the user's — with the
 * checkpoint's genes in its order, scaled over the input's regions as in training, ŷ mapped back to
 * the target's units.
 */
import { join } from 'node:path';
import { loadCheckpoint, predict } from '../../../model';
import { fitGeneScaler, type GeneScalingKind } from '../../data/scaling';
import { metricsOf } from '../../evaluation/metrics';
import { InputError } from '../../input-error';
import { loadDkOutlines } from '../../report/dk-outlines';
import { writeReport } from '../../report/html';
import type { DataConfig, RunConfig } from '../config';
import { datasetFrom, openEngine, type CommandContext } from '../context';
import { textTable } from '../../report/text-table';

interface Provenance {
  data: DataConfig;
  scaling: GeneScalingKind;
  genes: string[];
  targetMean: number;
  targetSd: number;
}

export async function predictCommand(
  checkpointFile: string,
  overrides: Partial<DataConfig>,
  backend: RunConfig['backend'],
  outDir: string,
  context: CommandContext,
) {
  const { model, provenance } = await loadCheckpoint(checkpointFile);
  const saved = provenance as Partial<Provenance>;
  if (!saved.data || !saved.genes || saved.targetMean === undefined || saved.targetSd === undefined || !saved.scaling) {
    throw new InputError(
      `${checkpointFile}: the checkpoint has no cortex-vae training record (genes, scaling, target scale); save it with \`cortex-vae train\``,
    );
  }
  const data: DataConfig = { ...saved.data, ...overrides };
  const dataset = datasetFrom(data, 'all');
  const column = new Map(dataset.genes.map((gene, c) => [gene, c]));
  const missing = saved.genes.filter((gene) => !column.has(gene));
  if (missing.length > 0) {
    throw new InputError(
      `${data.expressionFile ?? 'expression file'}: ${missing.length} gene(s) the model was trained on are missing or constant: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}; give expression for every gene of the checkpoint`,
    );
  }
  const n = dataset.regions.length;
  const g = saved.genes.length;
  const picked = new Float64Array(n * g);
  for (let i = 0; i < n; i++)
    saved.genes.forEach((gene, c) => (picked[i * g + c] = dataset.X[i * dataset.genes.length + column.get(gene)!]!));
  const all = Array.from({ length: n }, (_, i) => i);
  const X = Float32Array.from(fitGeneScaler(picked, n, g, all, saved.scaling).apply(picked, n));
  const engine = await openEngine({ backend }, context);
  try {
    const result = await predict(engine, model, X, [1, n, g]);
    const prediction = Float64Array.from(result.predictions[0]!, (v) => saved.targetMean! + saved.targetSd! * v);
    const metrics = metricsOf(dataset.y, prediction);
    const values = (v: ArrayLike<number>) => new Map(dataset.regions.map((r, i) => [r, v[i]!] as [string, number]));
    writeReport(
      outDir,
      {
        title: `cortex-vae predict: ${checkpointFile}`,
        notes: [
          {
            level: 'note',
            text: `Agreement with ${dataset.target.name} is in-sample when the expression is the one the model was trained on.`,
          },
        ],
        maps: {
          observed: {
            title: `observed (${dataset.target.name})`,
            basis: 'observed data',
            values: values(dataset.y),
            scale: 'diverging',
          },
          predicted: { title: 'predicted', basis: 'in-sample', values: values(prediction), scale: 'diverging' },
        },
        predictions: [
          {
            title: 'prediction vs target',
            basis: 'in-sample',
            regions: dataset.regions,
            observed: Array.from(dataset.y),
            predicted: Array.from(prediction),
          },
        ],
      },
      {
        predictions: {
          columns: ['region', 'predicted', 'target'],
          rows: dataset.regions.map((r, i) => [r, prediction[i]!, dataset.y[i]!]),
        },
      },
      loadDkOutlines(join(data.dataDir, 'dk_ggseg_polygons.json')),
    );
    context.out(
      context.json
        ? JSON.stringify({ regions: n, genes: g, r: metrics.r, r2: metrics.r2, out: outDir }, null, 2)
        : textTable(
            ['regions', 'genes', `r with ${dataset.target.name}`, 'R²'],
            [[String(n), String(g), metrics.r.toFixed(3), metrics.r2.toFixed(3)]],
          ),
    );
    return { prediction, metrics };
  } finally {
    engine.backend.destroy();
  }
}
