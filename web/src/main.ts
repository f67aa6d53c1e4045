/**
 * The explorer page: loads and checks the assets, opens WebGPU on navigator.gpu (or the CPU
 * reference, saying why), restores the settings from the URL, and wires the two tabs.
 * window.cortexExplorer exposes the state for the browser tests.
 */
import { BenchView } from './bench-view';
import { ExplorerView } from './explorer-view';
import { geneSetIds, loadAssets, targetNames } from './load-assets';
import { openBackend } from './open-backend';
import { DEFAULT_SETTINGS, settingsFromQuery, type Settings } from './settings';
import { fillForm, readForm, showInUrl } from './settings-form';

interface ExplorerState {
  ready: boolean;
  backend?: { kind: 'webgpu' | 'cpu'; why: string };
  explorer?: ExplorerView;
  bench?: BenchView;
  error?: string;
}

const state: ExplorerState = { ready: false };
(window as unknown as { cortexExplorer: ExplorerState }).cortexExplorer = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function showError(message: string): void {
  state.error = message;
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

function showTab(): void {
  const bench = location.hash === '#bench';
  $('explorer-view').hidden = bench;
  $('bench-view').hidden = !bench;
  $('tab-explorer').classList.toggle('active', !bench);
  $('tab-bench').classList.toggle('active', bench);
}

async function start(): Promise<void> {
  showTab();
  window.addEventListener('hashchange', showTab);
  const assets = await loadAssets(new URL('assets/', location.href));
  let settings: Settings;
  try {
    settings = settingsFromQuery(location.search, targetNames(assets), geneSetIds(assets));
  } catch (error) {
    showError(`URL: ${(error as Error).message}; the defaults are used instead`);
    settings = { ...DEFAULT_SETTINGS };
  }
  const opened = await openBackend(settings.backend);
  state.backend = { kind: opened.kind, why: opened.why };
  $('backend').textContent = `Running on: ${opened.why}`;
  $('backend').dataset.kind = opened.kind;

  const form = $<HTMLFormElement>('settings');
  fillForm(form, assets, settings);
  const explorer = new ExplorerView(assets, opened);
  const bench = new BenchView(assets, opened);
  state.explorer = explorer;
  state.bench = bench;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void trainFromForm();
  });
  $('stop').addEventListener('click', () => explorer.stop());
  $('bench-run').addEventListener('click', () => {
    bench.run().catch((error) => showError((error as Error).message));
  });

  async function trainFromForm(): Promise<void> {
    let chosen: Settings;
    try {
      chosen = readForm(form, assets, settings.backend);
    } catch (error) {
      showError((error as Error).message);
      return;
    }
    $('error').hidden = true;
    showInUrl(chosen);
    $<HTMLButtonElement>('train').disabled = true;
    $<HTMLButtonElement>('stop').disabled = false;
    try {
      await explorer.train(chosen);
    } catch (error) {
      showError(`training failed: ${(error as Error).message}`);
    } finally {
      $<HTMLButtonElement>('train').disabled = false;
      $<HTMLButtonElement>('stop').disabled = true;
    }
  }
  state.ready = true;
  if (new URLSearchParams(location.search).get('run') === '1') await trainFromForm();
}

start().catch((error) => showError((error as Error).message));
