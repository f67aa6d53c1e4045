/** `data`: validate and summarise the inputs; `data targets`: the shipped maps; `data fetch`: the full AHBA matrix. */
import { join } from 'node:path';
import { formatDatasetSummary, listTargets } from '../../data/dataset';
import { FULL_EXPRESSION_URL, fetchFullExpression } from '../../data/fetch';
import type { RunConfig } from '../config';
import { datasetFrom, stageProgress, type CommandContext } from '../context';
import { textTable } from '../results-table';

export function dataCommand(config: RunConfig, context: CommandContext): void {
  const dataset = datasetFrom(config.data);
  context.out(context.json
    ? JSON.stringify({
        regions: dataset.regions, genes: dataset.genes, geneSet: dataset.geneSet, target: dataset.target,
        dropped: dataset.dropped, mirrored: dataset.mirrored, constantGenes: dataset.constantGenes,
        edges: dataset.graph.edges.length, provenance: dataset.provenance,
      }, null, 2)
    : formatDatasetSummary(dataset));
}

export function targetsCommand(context: CommandContext): void {
  const targets = listTargets();
  context.out(context.json
    ? JSON.stringify(targets, null, 2)
    : textTable(['name', 'sign', 'description'], targets.map((t) => [t.name, t.sign > 0 ? '+1' : '-1', t.description])));
}

export async function fetchCommand(config: RunConfig, options: { dest?: string; url?: string; sha256?: string }, context: CommandContext): Promise<void> {
  const dest = options.dest ?? join(config.data.dataDir, 'allgenes_stable_r0.2.csv');
  const progress = stageProgress(context)(`downloading ${options.url ?? FULL_EXPRESSION_URL}`);
  const result = await fetchFullExpression({
    url: options.url ?? FULL_EXPRESSION_URL,
    dest,
    sha256: options.sha256,
    onProgress: (bytes, total) => progress.update(bytes, total ?? bytes),
  });
  progress.done();
  context.out(context.json
    ? JSON.stringify(result, null, 2)
    : `${result.path}: ${result.bytes} bytes, sha256 ${result.sha256} (${result.verified ? 'verified' : 'not verified: pass --sha256 to check it'})` +
      `${result.resumedFrom > 0 ? `, resumed from byte ${result.resumedFrom}` : ''}\nuse it with --expression ${result.path}`);
}
