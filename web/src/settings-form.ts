/** The settings form: filled from Settings, read back into Settings (checked as the URL is). */
import { geneSetIds, targetNames, type ExplorerAssets } from './load-assets';
import { settingsFromQuery, settingsToQuery, type Settings } from './settings';

const NUMERIC = ['beta', 'lambda', 'hidden', 'latent', 'epochs', 'learningRate', 'seed', 'spinSeed'] as const;

function field<T extends HTMLElement>(form: HTMLFormElement, name: string): T {
  return form.elements.namedItem(name) as T;
}

export function fillForm(form: HTMLFormElement, assets: ExplorerAssets, settings: Settings): void {
  const target = field<HTMLSelectElement>(form, 'target');
  target.replaceChildren(...assets.manifest.targets.map((t) => new Option(t.name, t.name)));
  target.title = assets.manifest.targets.find((t) => t.name === settings.target)?.description ?? '';
  const genes = field<HTMLSelectElement>(form, 'genes');
  genes.replaceChildren(...assets.geneSets.map((g) => new Option(g.label, g.id)));
  target.value = settings.target;
  genes.value = settings.genes;
  for (const key of NUMERIC) field<HTMLInputElement>(form, key).value = String(settings[key]);
  field<HTMLInputElement>(form, 'spin').checked = settings.spin;
}

/** The form's settings, validated through the same query parser the URL goes through. */
export function readForm(form: HTMLFormElement, assets: ExplorerAssets, backend: Settings['backend']): Settings {
  const params = new URLSearchParams();
  params.set('target', field<HTMLSelectElement>(form, 'target').value);
  params.set('genes', field<HTMLSelectElement>(form, 'genes').value);
  for (const key of NUMERIC) params.set(key, field<HTMLInputElement>(form, key).value);
  if (field<HTMLInputElement>(form, 'spin').checked) params.set('spin', '1');
  if (backend === 'cpu') params.set('backend', 'cpu');
  return settingsFromQuery(params.toString(), targetNames(assets), geneSetIds(assets));
}

/** Puts `settings` in the address bar (no reload), keeping the tab in the hash. */
export function showInUrl(settings: Settings): void {
  const query = settingsToQuery(settings);
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}
