/**
 * What makes two runs the same computation, so their parts may be combined: the settings (without
 * the paths that differ between machines), the backend that computed, the validated data itself
 * and the cortex-vae version. Shards of one run and a rerun resuming an interrupted one must agree
 * on all of it; the fingerprint is its SHA-256.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Dataset } from '../data/dataset';
import { encodeLossless } from '../study/lossless-json';
import type { RunConfig } from './config';
import { version } from './version';

export interface RunIdentity {
  /** SHA-256 (hex) of everything below. */
  fingerprint: string;
  /** The resolved settings as compared: data folder and expression file paths left out, backend as used. */
  settings: Record<string, unknown>;
  /** SHA-256 of the validated arrays the study computes with (expression, target, graph, centroids, gene pool). */
  dataChecksum: string;
  /** Input file name → SHA-256, as read (for messages: which file differs). */
  files: Record<string, string>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function runIdentity(
  config: RunConfig,
  dataset: Dataset,
  allGenes: { X: Float64Array; genes: string[] } | undefined,
  backend: string,
  command: 'evaluate' | 'reproduce',
): RunIdentity {
  const { dataDir: _dataDir, expressionFile: _expressionFile, ...data } = config.data;
  const settings = { ...config, backend, data, command, version };
  const { regions, hemisphere, genes, X, y, graph, centroids } = dataset;
  const dataChecksum = sha256(
    encodeLossless({ regions, hemisphere, genes, X, y, graph, centroids, pool: allGenes ?? null }),
  );
  const files = Object.fromEntries(
    Object.entries(dataset.provenance)
      .filter(([key]) => key.startsWith('sha256:'))
      .map(([key, hash]) => [basename(key.slice('sha256:'.length)), hash]),
  );
  return { fingerprint: sha256(encodeLossless({ settings, dataChecksum })), settings, dataChecksum, files };
}

/** Why run `b` is not the same computation as run `a` (one clause naming the setting or file), or null when it is. */
export function identityDifference(a: RunIdentity, b: RunIdentity): string | null {
  const setting = firstDifference(a.settings, b.settings, '');
  if (setting) return `setting ${setting.path} is ${setting.b} there but ${setting.a} here`;
  if (a.dataChecksum !== b.dataChecksum) {
    const file = Object.keys({ ...a.files, ...b.files }).find((name) => a.files[name] !== b.files[name]);
    return file
      ? `input ${file} differs (sha256 ${short(b.files[file])} there, ${short(a.files[file])} here)`
      : 'the validated input data differ';
  }
  return a.fingerprint === b.fingerprint ? null : 'the run fingerprints differ';
}

const short = (hash: string | undefined): string => (hash ? `${hash.slice(0, 12)}…` : 'absent');

function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: string; b: string } | null {
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
      );
      if (found) return found;
    }
    return null;
  }
  const [ta, tb] = [JSON.stringify(a) ?? 'unset', JSON.stringify(b) ?? 'unset'];
  return ta === tb ? null : { path, a: ta, b: tb };
}
