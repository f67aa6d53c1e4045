/**
 * What the reader chooses, and its round trip through the page's URL query, so a view can be
 * shared: `?target=adni2-ad-volume-d&genes=75&beta=0.001&lambda=0.01&hidden=64&latent=8&…`.
 * Values out of range give a one-line error naming the parameter and what it accepts.
 */

export interface Settings {
  /** A shipped target map name (manifest.targets). */
  target: string;
  /** Gene set id: '75' or '787'. */
  genes: string;
  beta: number;
  lambda: number;
  hidden: number;
  latent: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** Also train on a spun copy of the map. */
  spin: boolean;
  spinSeed: number;
  /** 'cpu': use the CPU reference even where WebGPU exists. */
  backend: 'auto' | 'cpu';
}

/**
 * Defaults: the model's own β and λ (src/model/config.ts) with a smaller network and a short run,
 * so a first run on a laptop GPU, or the CPU reference, finishes in seconds.
 */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  target: 'adni2-ad-volume-d',
  genes: '75',
  beta: 1e-3,
  lambda: 1e-2,
  hidden: 64,
  latent: 8,
  epochs: 300,
  learningRate: 3e-3,
  seed: 1,
  spin: false,
  spinSeed: 1,
  backend: 'auto',
});

type NumericKey = 'beta' | 'lambda' | 'hidden' | 'latent' | 'epochs' | 'learningRate' | 'seed' | 'spinSeed';

/** [min, max, whole number] for each numeric setting. */
export const RANGES: Record<NumericKey, [number, number, boolean]> = {
  beta: [0, 10, false],
  lambda: [0, 100, false],
  hidden: [1, 1024, true],
  latent: [1, 64, true],
  epochs: [1, 20000, true],
  learningRate: [1e-6, 1, false],
  seed: [0, 2 ** 31 - 1, true],
  spinSeed: [0, 2 ** 31 - 1, true],
};

export class SettingsError extends Error {}

function numberSetting(key: NumericKey, text: string): number {
  const value = Number(text);
  const [lo, hi, whole] = RANGES[key];
  const outOfRange = !Number.isFinite(value) || value < lo || value > hi || (whole && !Number.isInteger(value));
  if (text.trim() === '' || outOfRange) {
    throw new SettingsError(`${key} = '${text}': give ${whole ? 'a whole number' : 'a number'} from ${lo} to ${hi}`);
  }
  return value;
}

/** Settings from a URL query (unknown parameters ignored, absent ones default). */
export function settingsFromQuery(query: string, targets: readonly string[], geneSets: readonly string[]): Settings {
  const params = new URLSearchParams(query);
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(RANGES) as NumericKey[]) {
    const text = params.get(key);
    if (text !== null) settings[key] = numberSetting(key, text);
  }
  const target = params.get('target');
  if (target !== null) {
    if (!targets.includes(target)) throw new SettingsError(`target = '${target}': give one of ${targets.join(', ')}`);
    settings.target = target;
  }
  const genes = params.get('genes');
  if (genes !== null) {
    if (!geneSets.includes(genes)) throw new SettingsError(`genes = '${genes}': give one of ${geneSets.join(', ')}`);
    settings.genes = genes;
  }
  settings.spin = params.get('spin') === '1';
  settings.backend = params.get('backend') === 'cpu' ? 'cpu' : 'auto';
  return settings;
}

/** The query that reproduces `settings` (defaults left out, so shared links stay short). */
export function settingsToQuery(settings: Settings): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(settings) as [keyof Settings, Settings[keyof Settings]][]) {
    if (value === DEFAULT_SETTINGS[key]) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params.toString();
}
