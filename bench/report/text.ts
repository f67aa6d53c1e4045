/** The table printed on stdout after a run: every figure also in latest.json. */
import { textTable } from '../../src/pipeline/report/text-table';
import { formatNumber } from '../../src/pipeline/report/format';
import type { BenchResult, KernelRow } from '../types';
import { peersText } from './peers';
import { spread } from './spread';

const num = (v: number | null | undefined, digits = 3): string =>
  v === null || v === undefined ? '-' : formatNumber(v, digits);
const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`;

function kernelStatus(r: KernelRow): string {
  if (r.status !== 'ok') return r.reason ?? r.status;
  return r.withinTolerance ? 'ok' : `ERROR > ${r.tolerance}`;
}

function kernelTable(rows: readonly KernelRow[]): string {
  return textTable(
    ['kernel', 'shape', 'ms [min–max]', 'cpu ms', '×cpu', 'GFLOP/s', 'GB/s', 'peak', 'max err', 'check'],
    rows.map((r) => [
      r.name,
      r.shape,
      spread(r.subject),
      num(r.reference?.medianMs),
      num(r.speedup, 2),
      num(r.subjectGflops),
      num(r.subjectGBps),
      pct(r.fractionOfPeak),
      num(r.maxAbsError, 2),
      kernelStatus(r),
    ]),
  );
}

export function benchTable(result: BenchResult): string {
  const m = result.machine;
  const lines = [
    `cortex-vae bench${result.quick ? ' --quick' : ''}: ${result.wallSeconds.toFixed(0)} s, ${result.finishedAt}`,
    `under test: ${m.subjectBackend}`,
    `host: ${m.cpus.count} × ${m.cpus.model}, ${m.totalMemoryGiB.toFixed(0)} GiB, node ${m.node}, ${m.platform}`,
    `matmul peak: ${result.peak.gflops === null ? 'unknown' : `${num(result.peak.gflops)} GFLOP/s`} (${result.peak.source})`,
    '',
    'kernels (backend under test vs cpu reference; ms per launch, median [min–max])',
    kernelTable(result.kernels),
    '',
    'fused vs unfused (backend under test)',
    textTable(
      ['pair', 'fused', 'unfused', 'unfused/fused'],
      result.fusion.map((f) => {
        const fused = result.kernels.find((r) => r.name === f.fused);
        const unfused = result.kernels.find((r) => r.name === f.unfused);
        return [
          f.name,
          spread(fused?.subject ?? null),
          unfused?.status === 'skipped' ? 'skipped' : spread(unfused?.subject ?? null),
          f.speedup === null ? (f.reason ?? '-') : `${num(f.speedup, 2)}×`,
        ];
      }),
    ),
    '',
  ];
  const o = result.overheads;
  lines.push(
    o.reason
      ? `fixed overheads: ${o.reason}`
      : `fixed overheads: empty dispatch ${num(o.emptyDispatchUs)} µs; submit + 4-byte readback ${spread(o.roundTrip)} ms; pipeline compile: empty ${spread(o.compileEmpty)} ms, matmul ${spread(o.compileMatmul)} ms`,
    '',
  );

  const t = result.training;
  lines.push('training: one epoch of B models (forward, backward, Adam), models·epochs/s');
  lines.push(
    textTable(
      ['shape', 'backend', 'B', 'epoch ms [min–max]', 'models·epochs/s', 'cpu models·epochs/s', '×cpu', 'note'],
      t.rows.map((r) => {
        const cpu = t.cpuProjection.find((c) => c.shape === r.shape && c.batch === r.batch);
        const shape = t.shapes.find((s) => s.name === r.shape)!;
        const cpuText =
          r.backend === 'webgpu' && cpu
            ? `${num(cpu.modelsEpochsPerSecond)}${cpu.basis === 'extrapolated' ? ' (extrap.)' : ''}`
            : '-';
        const ratio =
          r.backend === 'webgpu' && cpu && r.modelsEpochsPerSecond !== null
            ? num(r.modelsEpochsPerSecond / cpu.modelsEpochsPerSecond, 2)
            : '-';
        return [
          `${r.shape} ${shape.regions}×${shape.genes}`,
          r.backend,
          String(r.batch),
          spread(r.epoch),
          num(r.modelsEpochsPerSecond),
          cpuText,
          ratio,
          r.status === 'ok' ? (r.runs && r.runs > 1 ? `${r.runs} runs` : '') : (r.reason ?? r.status),
        ];
      }),
    ),
    '',
  );

  lines.push('profiles: where a training epoch goes (losses read every epoch)');
  for (const p of result.profiles) {
    if ('reason' in p) {
      lines.push(`${p.shape} B=${p.batch}: ${p.reason}`);
      continue;
    }
    const top = p.kernels
      .slice(0, 3)
      .map((k) => `${k.kernel} ${(100 * k.share).toFixed(0)}%`)
      .join(', ');
    lines.push(
      `${p.shape.regions}×${p.shape.genes} B=${p.shape.batch}: wall ${num(p.perEpoch.wallMs)} ms, host ${num(p.perEpoch.hostMs)} ms, device ${num(p.perEpoch.deviceMs)} ms in ${p.perEpoch.dispatches.toFixed(0)} dispatches (${top})`,
    );
  }
  lines.push('');

  lines.push(...peersText(result));
  if (result.notes.length) lines.push('', 'notes', ...result.notes.map((n) => `- ${n}`));
  lines.push('', `written: ${result.files.join(', ')}`);
  return lines.join('\n');
}
