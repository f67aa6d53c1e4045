/** The peers' part of the text table and of latest.html: each peer's configuration and rows, and cortex-vae / best peer per case. */
import { textTable } from '../../src/pipeline/report/text-table';
import { barChartSvg, htmlTable, type TableColumn } from '../../src/pipeline/report/charts';
import { escapeXml, formatNumber } from '../../src/pipeline/report/format';
import type { BenchResult, PeerComparison, PeerConfig, PeerResult, PeerRow } from '../types';
import { VAE_NOTES } from '../peers/peer-vae';
import { spread } from './spread';

const num = (v: number | null | undefined, digits = 3): string =>
  v === null || v === undefined ? '-' : formatNumber(v, digits);
const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`;

export const RATIO_TITLE = 'cortex-vae / best peer (throughput ratio, same run; > 1: cortex-vae faster)';

function configLine(c: PeerConfig): string {
  return `${c.backend}; ${c.batching}; ${Object.entries(c.packages)
    .map(([k, v]) => `${k} ${v ?? 'absent'}`)
    .join(', ')}`;
}

function rowStatus(r: PeerRow): string {
  if (r.status !== 'ok') return r.reason ?? r.status;
  if (r.withinTolerance === false) return `ERROR > ${r.tolerance}`;
  return r.note ?? '';
}

function rowCells(r: PeerRow, dash: string): string[] {
  const ok = r.status === 'ok';
  return [
    r.case,
    r.shape,
    ok ? spread(r.timing) : dash,
    num(r.gflops),
    pct(r.fractionOfPeak),
    num(r.modelsEpochsPerSecond),
    num(r.cpuPerWall, 2),
    num(r.maxAbsError, 2),
    rowStatus(r),
  ];
}

const ROW_HEADERS = ['shape', 'ms [min–max]', 'GFLOP/s', 'peak', 'models·epochs/s', 'cpu/wall', 'max err', 'note'];

/** The best peer and its configuration, e.g. "tfjs-wasm-single (B=64, loop, 66×787)". */
const bestPeerLabel = (best: NonNullable<PeerComparison['bestPeer']>): string => `${best.name} (${best.configuration})`;

function comparisonCells(c: PeerComparison): string[] {
  return [
    c.case,
    c.unit,
    num(c.cortexVae),
    c.bestPeer ? bestPeerLabel(c.bestPeer) : '-',
    num(c.bestPeer?.value),
    c.ratio === null ? (c.reason ?? '-') : `${num(c.ratio, 3)}×`,
  ];
}

const COMPARISON_HEADERS = ['case', 'unit', 'cortex-vae', 'best peer', 'its value', 'cortex-vae / best'];

/** Lines for the text table printed after a run. */
export function peersText(result: BenchResult): string[] {
  const lines = [
    'peers (after cortex-vae, same harness: warm-up, median of the samples, work complete before the clock stops)',
  ];
  for (const p of result.peers) {
    if (p.status !== 'ok') {
      lines.push(`${p.name}: unavailable: ${p.reason ?? 'no reason given'}`);
      continue;
    }
    if (p.config) lines.push(`${p.name}: ${configLine(p.config)}`);
    lines.push(
      textTable(
        [`${p.name} ${p.version ?? ''}`.trim(), ...ROW_HEADERS],
        p.rows.map((r) => rowCells(r, '-')),
      ),
    );
  }
  lines.push('', RATIO_TITLE, textTable(COMPARISON_HEADERS, result.peerComparisons.map(comparisonCells)));
  return lines;
}

function columns(names: string[], numeric: number[]): TableColumn[] {
  return names.map((header, i) => ({ header, numeric: numeric.includes(i) }));
}

function ratioChart(comparisons: readonly PeerComparison[]): string {
  const bars = comparisons
    .filter((c) => c.ratio !== null)
    .map((c) => ({
      label: c.case,
      value: Math.log2(c.ratio!),
      note:
        `${formatNumber(c.ratio!, 3)}× (${formatNumber(c.cortexVae!)} vs ${bestPeerLabel(c.bestPeer!)} ` +
        `${formatNumber(c.bestPeer!.value)} ${c.unit})`,
    }));
  if (bars.length === 0) return '<p class="caption">No case ran on both cortex-vae and a peer.</p>';
  return `<div class="figure-wide" style="max-width:760px">${barChartSvg({ title: 'cortex-vae against the best peer', subtitle: 'log₂ of the throughput ratio: right of 0, cortex-vae is faster', basis: 'observed data', bars, xLabel: 'log₂(cortex-vae / best peer)' })}</div>`;
}

function notesHtml(notes: readonly string[]): string {
  return notes.length
    ? `<ul class="notes">${notes.map((n) => `<li class="note">${escapeXml(n)}</li>`).join('')}</ul>`
    : '';
}

function peerHtml(p: PeerResult): string {
  const heading = `<h3>${escapeXml(`${p.name} ${p.version ?? ''}`.trim())}</h3>`;
  if (p.status !== 'ok') return `${heading}<p>unavailable: ${escapeXml(p.reason ?? '')}</p>`;
  const c = p.config;
  const facts = c
    ? `<dl class="facts"><dt>backend</dt><dd>${escapeXml(c.backend)}</dd><dt>threads</dt><dd>${c.threads ?? '–'}</dd><dt>SIMD</dt><dd>${c.simd === null ? '–' : c.simd ? 'yes' : 'no'}</dd>` +
      `<dt>B models</dt><dd>${escapeXml(c.batching)}</dd><dt>packages</dt><dd>${escapeXml(
        Object.entries(c.packages)
          .map(([k, v]) => `${k} ${v ?? 'absent'}`)
          .join(', '),
      )}</dd></dl>` +
      notesHtml(c.notes.filter((n) => !(VAE_NOTES as readonly string[]).includes(n)))
    : '';
  return (
    heading +
    facts +
    htmlTable(
      columns(['case', ...ROW_HEADERS], [2, 3, 4, 5, 6, 7]),
      p.rows.map((r) => rowCells(r, '–')),
    )
  );
}

/** The peers' section of latest.html. */
export function peersHtml(result: BenchResult): string {
  return (
    `<h3>${escapeXml(RATIO_TITLE)}</h3>` +
    ratioChart(result.peerComparisons) +
    htmlTable(columns(COMPARISON_HEADERS, [2, 4, 5]), result.peerComparisons.map(comparisonCells)) +
    "<p class=\"caption\">Each peer ran after cortex-vae's own cases, on the same inputs, under the same harness: the same warm-up and median-of-N sampling; a matmul counts only if it matched the cpu reference; a VAE sample ends when the last epoch's losses are read back. cpu/wall: process CPU time over wall time while timing. Every peer's VAE epoch:</p>" +
    notesHtml(VAE_NOTES) +
    result.peers.map(peerHtml).join('')
  );
}
