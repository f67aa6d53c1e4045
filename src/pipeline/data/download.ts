/**
 * One file over HTTP(S), as `data fetch` needs it: written to `<dest>.part`, an interrupted
 * download resumed with a Range request, the sha256 checked when one is expected, and renamed to
 * `dest` only when complete and verified. Node's http/https only.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { InputError } from '../input-error';

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Expected sha256 (hex). Without it the computed digest is returned and marked unverified. */
  sha256?: string;
  onProgress?: (bytes: number, total: number | undefined) => void;
}

export interface DownloadResult { path: string; bytes: number; sha256: string; verified: boolean; resumedFrom: number }

const MAX_REDIRECTS = 5;

export async function downloadFile(opts: DownloadOptions): Promise<DownloadResult> {
  const part = `${opts.dest}.part`;
  const resumedFrom = existsSync(part) ? statSync(part).size : 0;
  const response = await request(opts.url, resumedFrom);
  if (response.statusCode === 416 && resumedFrom > 0) {
    response.resume(); // the .part file already holds every byte
  } else if (response.statusCode === 206 || response.statusCode === 200) {
    const offset = response.statusCode === 206 ? resumedFrom : 0; // 200: the server ignored Range, start over
    const total = totalLength(response, offset);
    let bytes = offset;
    // every chunk is on disk before the next arrives, so an interrupted download keeps all it got
    const fd = openSync(part, offset > 0 ? 'a' : 'w');
    try {
      await new Promise<void>((resolve, reject) => {
        response.on('data', (chunk: Buffer) => { writeSync(fd, chunk); bytes += chunk.length; opts.onProgress?.(bytes, total); });
        response.on('end', resolve);
        response.on('error', reject);
        response.on('close', () => { if (!response.complete) reject(new Error('connection closed')); });
      });
    } catch (err) {
      throw new Error(`${opts.url}: download interrupted after ${bytes} bytes (${(err as Error).message}); rerun to resume from ${part}`, { cause: err });
    } finally {
      closeSync(fd);
    }
    if (total !== undefined && bytes !== total) throw new Error(`${opts.url}: connection closed after ${bytes} of ${total} bytes; rerun to resume from ${part}`);
  } else {
    response.resume();
    throw new InputError(`${opts.url}: HTTP ${response.statusCode}; fix: check the URL, or download it by hand to ${opts.dest}`);
  }
  const sha256 = await sha256OfFile(part);
  if (opts.sha256 && sha256 !== opts.sha256.toLowerCase()) {
    unlinkSync(part);
    throw new InputError(`${opts.dest}: downloaded sha256 ${sha256} differs from the expected ${opts.sha256}; fix: check --sha256, then rerun (the partial file was deleted)`);
  }
  renameSync(part, opts.dest);
  return { path: opts.dest, bytes: statSync(opts.dest).size, sha256, verified: opts.sha256 !== undefined, resumedFrom };
}

/** Total size of the file: from Content-Range on 206, else offset + Content-Length. */
function totalLength(response: IncomingMessage, offset: number): number | undefined {
  const range = /\/(\d+)$/.exec(response.headers['content-range'] ?? '');
  if (range) return Number(range[1]);
  const length = response.headers['content-length'];
  return length === undefined ? undefined : offset + Number(length);
}

/**
 * GET with an optional `Range: bytes=<from>-`, following redirects. Each request opens its own
 * connection (no keep-alive pool): a pooled socket the server has just closed would fail with ECONNRESET.
 */
function request(url: string, from: number, redirects = 0): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = from > 0 ? { Range: `bytes=${from}-` } : {};
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    get(url, { headers, agent: false }, (response) => {
      const location = response.headers.location;
      if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) { reject(new Error(`${url}: more than ${MAX_REDIRECTS} redirects`)); return; }
        request(new URL(location, url).toString(), from, redirects + 1).then(resolve, reject);
        return;
      }
      resolve(response);
    }).on('error', reject);
  });
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
