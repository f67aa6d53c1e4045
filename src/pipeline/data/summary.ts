/** A plain-text account of what a Dataset holds and what was left out, for the CLI and reports. */
import { basename } from 'node:path';
import { ABAGEN_DK_SOURCE } from './abagen-matrix';
import type { Dataset } from './dataset';
import { listTargets } from './targets';

/** Landmark genes the paper matched in its AHBA gene set. */
const PAPER_LANDMARKS = 910;

/**
 * What the gene set found in the expression file actually read, and the filter the file's name
 * states: every count here comes from the files, none is assumed. The first line is the count,
 * any further ones are remarks.
 */
export function geneSetNotes(d: Dataset): string[] {
  const { geneSet, expression } = d;
  const source = `${basename(expression.file)} (${expression.genes.toLocaleString('en')} genes` +
    `${expression.stabilityThreshold !== null ? `; its name says it keeps genes with differential stability r ≥ ${expression.stabilityThreshold} across donors` : ''})`;
  if (geneSet.name !== 'l1000') {
    return geneSet.missing.length === 0 ? [] : [
      `genes not found in ${source}: ${geneSet.missing.length} (${geneSet.missing.slice(0, 10).join(', ')}${geneSet.missing.length > 10 ? ', …' : ''})`,
    ];
  }
  const notes = [`L1000 landmarks: ${geneSet.found} of ${geneSet.requested} found in ${source}, ${geneSet.missing.length} missing`];
  if (geneSet.found < PAPER_LANDMARKS) {
    notes.push(
      `the paper matched ${PAPER_LANDMARKS} landmarks; \`cortex-vae data fetch\` downloads abagen's unfiltered ${ABAGEN_DK_SOURCE.genes.toLocaleString('en')}-gene matrix, which may hold more`,
    );
  }
  return notes;
}

/**
 * What a positive y means: more vulnerable, unless --target-sign turned a shipped map over (its
 * description then says so).
 */
function orientation(d: Dataset): string {
  const shipped = listTargets().find((t) => t.name === d.target.name && t.column === d.target.column);
  return shipped && shipped.sign !== d.target.sign ? '' : '; positive = more vulnerable';
}

/**
 * A plain-text summary of a dataset: regions, genes, target and its orientation, dropped and mirrored
 * regions, the graph.
 */
export function formatDatasetSummary(d: Dataset): string {
  const left = d.hemisphere.filter((h) => h === 'L').length;
  const lines = [
    `regions: ${d.regions.length} (${left} left, ${d.regions.length - left} right)`,
    `genes: ${d.genes.length} (set '${d.geneSet.name}': ${d.geneSet.found} of ${d.geneSet.requested} found` +
      `${d.constantGenes.length > 0 ? `, ${d.constantGenes.length} constant over these regions dropped` : ''})`,
    ...geneSetNotes(d).map((line, k) => (k === 0 ? line : `  note: ${line}`)),
  ];
  lines.push(`target: ${d.target.name} = ${d.target.column} × ${d.target.sign > 0 ? '+1' : '−1'} (${d.target.description}${orientation(d)})`);
  lines.push(`dropped regions: ${d.dropped.length === 0 ? 'none' : d.dropped.map((x) => `${x.region} (${x.reason})`).join('; ')}`);
  if (d.mirrored.length > 0) lines.push(`mirrored regions: ${d.mirrored.map((m) => `${m.region} ← ${m.from}`).join(', ')}`);
  const isolated = d.regions.filter((_, i) => !d.graph.edges.some((e) => e.i === i || e.j === i));
  lines.push(`graph: ${d.graph.edges.length} edges over ${d.graph.n} regions${isolated.length > 0 ? `; isolated: ${isolated.join(', ')}` : ''}`);
  return lines.join('\n');
}
