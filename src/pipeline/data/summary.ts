/** A plain-text account of what a Dataset holds and what was left out, for the CLI and reports. */
import type { Dataset } from './dataset';

/** Landmark genes the paper matched in the full AHBA gene set. */
const PAPER_LANDMARKS = 910;

export function formatDatasetSummary(d: Dataset): string {
  const left = d.hemisphere.filter((h) => h === 'L').length;
  const lines = [
    `regions: ${d.regions.length} (${left} left, ${d.regions.length - left} right)`,
    `genes: ${d.genes.length} (set '${d.geneSet.name}': ${d.geneSet.found} of ${d.geneSet.requested} found` +
      `${d.constantGenes.length > 0 ? `, ${d.constantGenes.length} constant over these regions dropped` : ''})`,
  ];
  if (d.geneSet.name === 'l1000') {
    lines.push(`L1000 landmarks: ${d.geneSet.found} found, ${d.geneSet.missing.length} missing from the expression file`);
    if (d.geneSet.found < PAPER_LANDMARKS) {
      lines.push(
        `  note: the paper used ${PAPER_LANDMARKS} landmarks; this expression file keeps only genes with differential stability r ≥ 0.6, ` +
          `so only ${d.geneSet.found} are present. Run \`cortex-vae data fetch\` for the full 12,668-gene matrix.`,
      );
    }
  } else if (d.geneSet.missing.length > 0) {
    lines.push(`genes not found: ${d.geneSet.missing.length} (${d.geneSet.missing.slice(0, 10).join(', ')}${d.geneSet.missing.length > 10 ? ', …' : ''})`);
  }
  lines.push(`target: ${d.target.name} = ${d.target.column} × ${d.target.sign > 0 ? '+1' : '−1'} (${d.target.description}; positive = more vulnerable)`);
  lines.push(`dropped regions: ${d.dropped.length === 0 ? 'none' : d.dropped.map((x) => `${x.region} (${x.reason})`).join('; ')}`);
  if (d.mirrored.length > 0) lines.push(`mirrored regions: ${d.mirrored.map((m) => `${m.region} ← ${m.from}`).join(', ')}`);
  const isolated = d.regions.filter((_, i) => !d.graph.edges.some((e) => e.i === i || e.j === i));
  lines.push(`graph: ${d.graph.edges.length} edges over ${d.graph.n} regions${isolated.length > 0 ? `; isolated: ${isolated.join(', ')}` : ''}`);
  return lines.join('\n');
}
