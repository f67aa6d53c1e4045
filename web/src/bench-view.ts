/** The bench tab: runs the browser benchmark, shows its rows with their accuracy checks, offers the JSON. */
import type { BrowserBenchResult } from './bench-result';
import { runBrowserBench } from './browser-bench';
import type { ExplorerAssets } from './load-assets';
import type { OpenedBackend } from './open-backend';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
const check = (ok: boolean | null) =>
  ok === null ? '<td>—</td>' : `<td class="${ok ? 'pass' : 'fail'}">${ok ? 'pass' : 'FAIL'}</td>`;

function rowsHtml(result: BrowserBenchResult): string {
  const kernels = result.kernels.map(
    (k) =>
      `<tr data-group="matmul" data-status="${k.status}"><td>${k.name}</td><td>${k.shape}</td>` +
      `<td class="num">${ms(k.subject?.medianMs)}</td><td class="num">${ms(k.reference?.medianMs)}</td>` +
      `<td class="num">${k.speedup === null ? '—' : `${k.speedup.toFixed(1)}×`}</td>` +
      `<td class="num">${k.maxScaledError === null ? '—' : k.maxScaledError.toExponential(2)}</td>` +
      `<td class="num">${k.tolerance.toExponential(0)}</td>${check(k.withinTolerance)}</tr>`,
  );
  const epochs = result.training.shapes.map((shape) => {
    const cpu = result.training.rows.find((r) => r.shape === shape.name && r.backend === 'cpu');
    const gpu = result.training.rows.find((r) => r.shape === shape.name && r.backend === 'webgpu');
    const agreement = result.training.agreement.find((a) => a.shape === shape.name);
    const speedup = cpu?.epoch && gpu?.epoch ? `${(cpu.epoch.medianMs / gpu.epoch.medianMs).toFixed(1)}×` : '—';
    return (
      `<tr data-group="epoch"><td>VAE epoch ${shape.name}</td><td>H=${shape.hidden} K=${shape.latent}</td>` +
      `<td class="num">${ms(gpu?.epoch?.medianMs)}</td><td class="num">${ms(cpu?.epoch?.medianMs)}</td>` +
      `<td class="num">${speedup}</td>` +
      `<td class="num">${agreement ? agreement.maxScaledError.toExponential(2) : '—'}</td>` +
      `<td class="num">${agreement ? agreement.tolerance.toExponential(0) : '—'}</td>` +
      `${check(agreement?.withinTolerance ?? null)}</tr>`
    );
  });
  return [...kernels, ...epochs].join('');
}

export class BenchView {
  result: BrowserBenchResult | null = null;
  running = false;

  constructor(
    private readonly assets: ExplorerAssets,
    private readonly opened: OpenedBackend,
  ) {}

  async run(): Promise<BrowserBenchResult> {
    const button = $<HTMLButtonElement>('bench-run');
    const status = $('bench-status');
    button.disabled = true;
    this.running = true;
    try {
      const showProgress = (line: string) => {
        status.textContent = line;
      };
      const result = await runBrowserBench(this.opened.backend, this.assets.geneSets, showProgress);
      this.result = result;
      $('bench-table').querySelector('tbody')!.innerHTML = rowsHtml(result);
      const link = $<HTMLAnchorElement>('bench-download');
      if (link.href) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' }));
      link.hidden = false;
      status.textContent =
        `done in ${result.wallSeconds.toFixed(1)} s. ${this.opened.why}` +
        (this.opened.kind === 'cpu' ? ' (no WebGPU: the CPU reference was timed alone)' : '');
      return result;
    } finally {
      this.running = false;
      button.disabled = false;
    }
  }
}
