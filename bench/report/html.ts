/**
 * latest.html: one self-contained page (inline CSS and SVG, no scripts) with throughput against
 * batch size, matmul GFLOP/s against the peak, and every table of the run.
 */
import { barChartSvg, htmlTable, type Bar, type TableColumn } from '../../src/pipeline/report/charts';
import { escapeXml, formatNumber } from '../../src/pipeline/report/format';
import { REPORT_CSS } from '../../src/pipeline/report/style';
import type { BenchResult, TimingStats } from '../types';
import { logLogChartSvg, type LogSeries } from './log-chart';
import { peersHtml } from './peers';
import { spread } from './spread';
import { profilesHtml } from '../profile';

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : formatNumber(v));
const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}%`;
const ms = (t: TimingStats | null): string => spread(t);

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}"><h2>${escapeXml(heading)}</h2>${body}</section>`;
}

function columns(names: string[], numeric: number[]): TableColumn[] {
  return names.map((header, i) => ({ header, numeric: numeric.includes(i) }));
}

function throughputChart(result: BenchResult): string {
  const series: LogSeries[] = [];
  for (const shape of result.training.shapes) {
    const label = `${shape.name} ${shape.regions}×${shape.genes}`;
    const gpu = result.training.rows.filter(
      (r) => r.shape === shape.name && r.backend === 'webgpu' && r.modelsEpochsPerSecond !== null,
    );
    if (gpu.length)
      series.push({ name: `webgpu, ${label}`, points: gpu.map((r) => ({ x: r.batch, y: r.modelsEpochsPerSecond! })) });
    const cpu = result.training.cpuProjection.filter((c) => c.shape === shape.name);
    if (cpu.length)
      series.push({
        name: `cpu (measured, then extrapolated), ${label}`,
        points: cpu.map((c) => ({ x: c.batch, y: c.modelsEpochsPerSecond })),
        dashed: true,
      });
  }
  for (const peer of result.peers) {
    const rows = peer.rows.filter((r) => r.workload.startsWith('VAE epoch (shipped)') && r.modelsEpochsPerSecond);
    const points = rows.map((r) => ({ x: Number(/B=(\d+)/.exec(r.shape)?.[1]), y: r.modelsEpochsPerSecond! }));
    if (points.length) series.push({ name: `${peer.name}, shipped`, points });
  }
  if (series.length === 0) return '<p class="caption">No training configuration ran.</p>';
  return (
    `<div class="figure-wide" style="max-width:900px">${logLogChartSvg({ title: 'Training throughput against batch size', series, xLabel: 'models trained at once (B)', yLabel: 'models·epochs / s' })}</div>` +
    '<p class="caption">Each point: one epoch (forward, backward, Adam) of B models, median over samples. CPU values beyond the measured batches follow the straight line through them.</p>'
  );
}

function peakChart(result: BenchResult): string {
  const bars: Bar[] = result.kernels
    .filter((r) => r.group === 'matmul' && r.subjectGflops !== null)
    .map((r) => ({ label: r.name, value: r.subjectGflops!, note: `${r.shape}, ${pct(r.fractionOfPeak)} of peak` }));
  const cube = result.kernels.find((k) => k.group === 'matmul' && k.name.includes('³') && k.referenceGflops !== null);
  if (cube) bars.push({ label: `${cube.name.replace(/ \[.*\]$/, '')} (cpu reference)`, value: cube.referenceGflops! });
  for (const p of result.peers) {
    for (const r of p.rows.filter((row) => row.flops && row.gflops !== null))
      bars.push({ label: `${p.name} ${r.workload}`, value: r.gflops!, note: `${pct(r.fractionOfPeak)} of peak` });
  }
  if (result.peak.gflops !== null) bars.push({ label: 'peak', value: result.peak.gflops, note: result.peak.source });
  if (bars.length === 0) return '<p class="caption">No matmul ran.</p>';
  const subtitle = result.peak.gflops === null ? 'peak unknown' : `peak ${num(result.peak.gflops)} GFLOP/s`;
  return (
    `<div class="figure-wide" style="max-width:760px">${barChartSvg({ title: 'Matmul GFLOP/s against the peak', subtitle, basis: 'observed data', bars, xLabel: 'GFLOP/s' })}</div>` +
    `<p class="caption">${escapeXml(`Peak: ${result.peak.source}.`)} Hover a bar for its shape and fraction of the peak.</p>`
  );
}

function kernelsSection(result: BenchResult): string {
  const head = columns(
    [
      'kernel',
      'shape',
      'dispatches',
      'ms [min–max]',
      'IQR ms',
      'cpu ms',
      '×cpu',
      'GFLOP/s',
      'GB/s',
      'of peak',
      'max abs err',
      'tolerance',
      'check',
    ],
    [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
  const rows = result.kernels.map((r) => [
    r.name + (r.note ? ` (${r.note})` : ''),
    r.shape,
    num(r.dispatches),
    ms(r.subject),
    r.subject ? `${num(r.subject.q1Ms)}–${num(r.subject.q3Ms)}` : '–',
    num(r.reference?.medianMs),
    num(r.speedup),
    num(r.subjectGflops),
    num(r.subjectGBps),
    pct(r.fractionOfPeak),
    num(r.maxAbsError),
    `${r.tolerance}`,
    r.status === 'ok' ? (r.withinTolerance ? 'ok' : 'OUT OF TOLERANCE') : (r.reason ?? r.status),
  ]);
  return section(
    'kernels',
    'Kernels against the cpu reference',
    '<p class="caption">Times are per launch; every sample waits for the device to finish. Errors are the largest |GPU − CPU| over all outputs; the check bounds |GPU − CPU| / (1 + |CPU|).</p>' +
      htmlTable(head, rows),
  );
}

function fusionSection(result: BenchResult): string {
  const rows = result.fusion.map((f) => {
    const fused = result.kernels.find((r) => r.name === f.fused);
    const unfused = result.kernels.find((r) => r.name === f.unfused);
    return [
      f.name,
      ms(fused?.subject ?? null),
      num(fused?.dispatches),
      unfused?.status === 'skipped' ? `skipped: ${unfused.reason}` : ms(unfused?.subject ?? null),
      num(unfused?.dispatches),
      f.speedup === null ? (f.reason ?? '–') : `${num(f.speedup)}×`,
    ];
  });
  return section(
    'fusion',
    'Fused kernels against the op chains they replace',
    htmlTable(
      columns(['pair', 'fused ms', 'dispatches', 'unfused ms', 'dispatches', 'unfused / fused'], [1, 2, 3, 4, 5]),
      rows,
    ),
  );
}

function overheadsSection(result: BenchResult): string {
  const o = result.overheads;
  if (o.reason) return section('overheads', 'Fixed overheads', `<p>${escapeXml(o.reason)}</p>`);
  const rows = [
    ['one more empty dispatch in a submit', `${num(o.emptyDispatchUs)} µs`],
    ['one empty dispatch, submit and wait', `${ms(o.emptySubmit)} ms`],
    [`${o.emptyBatch?.dispatches ?? '?'} empty dispatches, one submit`, `${ms(o.emptyBatch?.timing ?? null)} ms`],
    ['submit + 4-byte readback', `${ms(o.roundTrip)} ms`],
    ['pipeline compile, empty kernel', `${ms(o.compileEmpty)} ms`],
    ['pipeline compile, matmul kernel', `${ms(o.compileMatmul)} ms`],
  ];
  return section('overheads', 'Fixed overheads', htmlTable(columns(['what', 'median [min–max]'], [1]), rows));
}

function trainingSection(result: BenchResult): string {
  const t = result.training;
  const shapes = htmlTable(
    columns(['shape', 'N', 'G', 'H', 'K', '|E|', 'source'], [1, 2, 3, 4, 5]),
    t.shapes.map((s) => [s.name, `${s.regions}`, `${s.genes}`, `${s.hidden}`, `${s.latent}`, `${s.edges}`, s.source]),
  );
  const rows = htmlTable(
    columns(
      ['shape', 'backend', 'B', 'epoch ms [min–max]', 'models·epochs/s', 'logEvery', 'runs', 'status'],
      [2, 3, 4, 5, 6],
    ),
    t.rows.map((r) => [
      r.shape,
      r.backend,
      `${r.batch}`,
      ms(r.epoch),
      num(r.modelsEpochsPerSecond),
      num(r.logEvery),
      num(r.runs),
      r.status === 'ok' ? 'ok' : (r.reason ?? r.status),
    ]),
  );
  const cpu = htmlTable(
    columns(['shape', 'B', 'cpu s/epoch', 'models·epochs/s', 'basis'], [1, 2, 3]),
    t.cpuProjection.map((c) => [c.shape, `${c.batch}`, num(c.secondsPerEpoch), num(c.modelsEpochsPerSecond), c.basis]),
  );
  return section(
    'training',
    'End-to-end training',
    throughputChart(result) + shapes + rows + '<h3>CPU cost of B models</h3>' + cpu,
  );
}

function peersSection(result: BenchResult): string {
  return section('peers', 'Peers: TensorFlow.js, jax-js, onnxruntime-web', peersHtml(result));
}

function machineSection(result: BenchResult): string {
  const m = result.machine;
  const facts: [string, string][] = [
    ['backend under test', m.subjectBackend],
    ['reference', m.referenceBackend],
    ['CPU', `${m.cpus.count} × ${m.cpus.model}${m.cpus.speedMHz > 0 ? ` (${m.cpus.speedMHz} MHz)` : ''}`],
    ['memory', `${m.totalMemoryGiB.toFixed(1)} GiB`],
    ['node', m.node],
    ['platform', m.platform],
    ['commit', m.commit ?? 'unknown'],
    [
      'packages',
      Object.entries(m.packages)
        .map(([k, v]) => `${k} ${v ?? 'absent'}`)
        .join(', '),
    ],
    [
      'matmul peak',
      `${result.peak.gflops === null ? 'unknown' : `${num(result.peak.gflops)} GFLOP/s`}: ${result.peak.source}`,
    ],
    [
      'theoretical peak',
      result.peak.theoreticalGflops === null
        ? result.peak.theoreticalSource
        : `${num(result.peak.theoreticalGflops)} GFLOP/s (${result.peak.theoreticalSource})`,
    ],
    [
      'run',
      `${result.startedAt} → ${result.finishedAt}, ${result.wallSeconds.toFixed(0)} s${result.quick ? ', --quick' : ''}`,
    ],
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>`;
  const notes = result.notes.length
    ? `<ul class="notes">${result.notes.map((n) => `<li class="note">${escapeXml(n)}</li>`).join('')}</ul>`
    : '';
  return section('machine', 'Machine', dl + notes);
}

export function benchHtml(result: BenchResult): string {
  const title = `cortex-vae benchmark${result.quick ? ' (quick)' : ''}`;
  const sections = [
    machineSection(result),
    section('peak', 'Matmul against the peak', peakChart(result)),
    trainingSection(result),
    section(
      'profiles',
      "Where a training epoch's time goes",
      result.profiles.length
        ? profilesHtml(result.profiles)
        : '<p>No profile was taken (no webgpu backend under test).</p>',
    ),
    kernelsSection(result),
    fusionSection(result),
    overheadsSection(result),
    peersSection(result),
  ];
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeXml(title)}</title><style>${REPORT_CSS}</style></head><body><main>` +
    `<header><h1>${escapeXml(title)}</h1><p class="meta">${escapeXml(result.machine.subjectBackend)}</p></header>` +
    sections.join('') +
    '</main></body></html>\n'
  );
}
