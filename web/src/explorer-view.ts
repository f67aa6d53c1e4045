/**
 * The explorer tab: trains the job planned from the settings with the model's own trainVae and
 * shows, as it trains, every loss term at each logged epoch and the maps and figures of the
 * current parameters about 20 times per run (trainVae's previews), redrawn at most once per
 * animation frame. Stop ends the run at the next logged epoch.
 */
import { Engine } from '../../src/engine/engine';
import { DEFAULT_VAE_CONFIG } from '../../src/model/config';
import type { EpochLosses } from '../../src/model/train-run';
import { trainVae } from '../../src/model/trainer';
import { lineChartSvg } from '../../src/pipeline/report/line-chart';
import { planJob, summarise, type Job, type Outcome } from './experiment';
import type { GeneSetData } from './gene-set-data';
import type { ExplorerAssets } from './load-assets';
import { LOSS_TERMS, TOTAL_CPU_CODE, TOTAL_FORMULA, TOTAL_WEBGPU_KERNEL } from './loss-terms';
import type { OpenedBackend } from './open-backend';
import { figuresRowsHtml, fitMapsHtml, latentMapsHtml } from './render-maps';
import type { Settings } from './settings';

/** What a run leaves for the reader and for tests (window.cortexExplorer.run). */
export interface RunRecord {
  settings: Settings;
  state: 'training' | 'done' | 'stopped' | 'failed';
  /** Loss terms of the observed map's in-sample fit at each logged epoch. */
  history: EpochLosses[];
  figures: Outcome['byMap'] | null;
  /** Epochs at which the maps were redrawn while training. */
  previews: number[];
  seconds: number;
  error?: string;
}

class StopRequested extends Error {}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const WEIGHTS = { alpha: DEFAULT_VAE_CONFIG.alpha, lambda: 0 };

function lossRowsHtml(latest: EpochLosses | undefined, lambda: number, kind: OpenedBackend['kind']): string {
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toExponential(4));
  const rows = LOSS_TERMS.map((term) => {
    const value = latest && term.weighted(latest, { ...WEIGHTS, lambda });
    const code = kind === 'webgpu' ? term.webgpuKernel : term.cpuCode;
    return (
      `<tr data-term="${term.key}"><td>${term.label}</td><td class="num">${fmt(value)}</td>` +
      `<td><span class="formula">${term.formula}</span><br><span class="kernel">${code}</span></td></tr>`
    );
  });
  const total = kind === 'webgpu' ? TOTAL_WEBGPU_KERNEL : TOTAL_CPU_CODE;
  rows.push(
    `<tr data-term="total"><td><b>total</b></td><td class="num">${fmt(latest?.total)}</td>` +
      `<td><span class="formula">${TOTAL_FORMULA}</span><br><span class="kernel">${total}</span></td></tr>`,
  );
  return rows.join('');
}

function lossChartHtml(history: readonly EpochLosses[], lambda: number): string {
  if (history.length < 2) return '';
  const series = Object.fromEntries([
    ...LOSS_TERMS.map((t) => [t.label, history.map((l) => t.weighted(l, { ...WEIGHTS, lambda }))]),
    ['total', history.map((l) => l.total)],
  ]);
  return lineChartSvg({
    title: 'Loss terms of the in-sample fit',
    basis: 'in-sample',
    series,
    x: history.map((l) => l.epoch),
    logY: true,
    xLabel: 'epoch',
    yLabel: 'weighted term',
  });
}

export class ExplorerView {
  run: RunRecord | null = null;
  private stopRequested = false;
  private frame = 0;

  constructor(
    private readonly assets: ExplorerAssets,
    private readonly opened: OpenedBackend,
  ) {
    $('loss-table').querySelector('tbody')!.innerHTML = lossRowsHtml(undefined, 0, opened.kind);
  }

  stop(): void {
    this.stopRequested = true;
  }

  async train(settings: Settings): Promise<RunRecord> {
    const data = this.assets.geneSets.find((g) => g.id === settings.genes)!;
    const targetIndex = this.assets.manifest.targets.findIndex((t) => t.name === settings.target);
    const job = planJob(data, targetIndex, settings);
    const run: RunRecord = { settings, state: 'training', history: [], figures: null, previews: [], seconds: 0 };
    this.run = run;
    this.stopRequested = false;
    this.pendingMaps = null;
    const started = performance.now();
    const status = $('status');
    $('maps').innerHTML = '';
    $('latents').innerHTML = '';
    $('figures').querySelector('tbody')!.innerHTML = '';
    status.textContent =
      `${job.fits.length} fits of ${data.regions.length} regions × ${data.genes.length} genes, ` +
      `trained together: compiling and starting…`;
    try {
      const result = await trainVae({
        engine: new Engine(this.opened.backend),
        X: job.X,
        xShape: job.xShape,
        laplacian: data.laplacian,
        edgeCount: data.edgeCount,
        tasks: job.tasks,
        config: job.config,
        keepWeights: false,
        preview: {
          everyEpochs: Math.max(1, Math.ceil(settings.epochs / 20)),
          onPreview: (preview) => {
            if (preview.predictions.length !== job.fits.length) return; // the fits were split over runs
            run.previews.push(preview.epoch);
            this.scheduleMapRedraw(data, job, summarise(job, preview, settings.latent));
          },
        },
        onEpoch: (event) => {
          if (this.stopRequested) throw new StopRequested();
          if (event.firstTask === 0) run.history.push(event.losses[0]!);
          status.textContent =
            `epoch ${event.epoch} / ${event.epochs} (${job.fits.length} fits) — ` +
            `${((performance.now() - started) / 1000).toFixed(1)} s`;
          this.scheduleLossRedraw(settings.lambda);
        },
      });
      const outcome = summarise(job, result, result.config.latentSize);
      run.figures = outcome.byMap;
      run.state = 'done';
      this.pendingMaps = null;
      this.drawMaps(data, job, outcome);
    } catch (error) {
      if (!(error instanceof StopRequested)) {
        run.state = 'failed';
        run.error = (error as Error).message;
        throw error;
      }
      run.state = 'stopped';
    } finally {
      run.seconds = (performance.now() - started) / 1000;
      this.redrawLosses(settings.lambda);
      const last = run.history.at(-1);
      status.textContent =
        `${run.state} after ${run.seconds.toFixed(1)} s` +
        (last ? `, epoch ${last.epoch}: total loss ${last.total.toExponential(4)}` : '');
    }
    return run;
  }

  private pendingMaps: (() => void) | null = null;

  /** Draws the latest preview at the next animation frame (older ones not yet drawn are skipped). */
  private scheduleMapRedraw(data: GeneSetData, job: Job, outcome: Outcome): void {
    const first = this.pendingMaps === null;
    this.pendingMaps = () => this.drawMaps(data, job, outcome);
    if (first) {
      requestAnimationFrame(() => {
        this.pendingMaps?.();
        this.pendingMaps = null;
      });
    }
  }

  private drawMaps(data: GeneSetData, job: Job, outcome: Outcome): void {
    $('figures').querySelector('tbody')!.innerHTML = figuresRowsHtml(outcome);
    $('maps').innerHTML = fitMapsHtml(this.assets.outlines, data.regions, job.maps, outcome);
    $('latents').innerHTML = latentMapsHtml(this.assets.outlines, data.regions, outcome);
  }

  private scheduleLossRedraw(lambda: number): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redrawLosses(lambda);
    });
  }

  private redrawLosses(lambda: number): void {
    const history = this.run?.history ?? [];
    $('loss-table').querySelector('tbody')!.innerHTML = lossRowsHtml(history.at(-1), lambda, this.opened.kind);
    $('loss-chart').innerHTML = lossChartHtml(history, lambda);
  }
}
