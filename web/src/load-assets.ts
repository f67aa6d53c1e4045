/**
 * Fetches the manifest and every asset it lists from the folder beside the page, checks each
 * file's SHA-256 (crypto.subtle) against the manifest, and decodes the gene sets. Any missing,
 * damaged or stale file stops the load with an AssetError naming the file and the fix.
 */
import { parseDkOutlines, type DkOutlines } from '../../src/pipeline/report/outline-shapes';
import { decodeGeneSet, type GeneSetData } from './gene-set-data';
import { MANIFEST_FILE, MANIFEST_FORMAT, type ArrayAsset, type JsonAsset, type Manifest } from './manifest';

export class AssetError extends Error {}

export interface ExplorerAssets {
  manifest: Manifest;
  geneSets: GeneSetData[];
  outlines: DkOutlines;
}

export const targetNames = (assets: ExplorerAssets): string[] => assets.manifest.targets.map((t) => t.name);
export const geneSetIds = (assets: ExplorerAssets): string[] => assets.geneSets.map((g) => g.id);

const REBUILD = 'rebuild the site with npm run web:build';

async function fetchBytes(base: URL, file: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(file, base);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const why = (error as Error).message;
    throw new AssetError(`${url.href}: cannot fetch (${why}); serve the site over http (npx cortex-vae serve)`);
  }
  if (!response.ok) throw new AssetError(`${url.href}: HTTP ${response.status}; the asset is missing: ${REBUILD}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchChecked(base: URL, asset: ArrayAsset | JsonAsset): Promise<Uint8Array> {
  const bytes = await fetchBytes(base, asset.file);
  const actual = await sha256Hex(bytes);
  if (actual !== asset.sha256) {
    const [got, listed] = [actual.slice(0, 12), asset.sha256.slice(0, 12)];
    throw new AssetError(
      `${asset.file}: SHA-256 ${got}… ≠ manifest's ${listed}…; ` + `the file is damaged or stale: ${REBUILD}`,
    );
  }
  return bytes;
}

function parseManifest(bytes: Uint8Array): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
  } catch (error) {
    throw new AssetError(`${MANIFEST_FILE}: not valid JSON (${(error as Error).message}); ${REBUILD}`);
  }
  if (manifest.format !== MANIFEST_FORMAT) {
    const formats = `format ${manifest.format}, this page reads format ${MANIFEST_FORMAT}`;
    throw new AssetError(`${MANIFEST_FILE}: ${formats}; ${REBUILD}`);
  }
  return manifest;
}

/** Everything the explorer shows, from `base` (the assets folder URL). */
export async function loadAssets(base: URL): Promise<ExplorerAssets> {
  const manifest = parseManifest(await fetchBytes(base, MANIFEST_FILE));
  const arrays = manifest.geneSets.flatMap((set) => [
    set.expression,
    set.targets,
    set.laplacian.rowPtr,
    set.laplacian.colIndex,
    set.laplacian.values,
    set.sphere,
  ]);
  const fetched = new Map<string, Uint8Array>();
  await Promise.all(arrays.map(async (asset) => fetched.set(asset.file, await fetchChecked(base, asset))));
  const outlineBytes = await fetchChecked(base, manifest.outlines);
  try {
    const geneSets = manifest.geneSets.map((set) => decodeGeneSet(set, (asset) => fetched.get(asset.file)!));
    const outlines = parseDkOutlines(JSON.parse(new TextDecoder().decode(outlineBytes)), manifest.outlines.file);
    return { manifest, geneSets, outlines };
  } catch (error) {
    throw new AssetError(`${(error as Error).message}`);
  }
}
