import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { downloadFile } from '../src/pipeline/data/download';
import { tempFolder } from './fixtures/temp-files';

/** A generated "matrix" of 300 kB served from 127.0.0.1, with Range support and a switch to cut the first transfer halfway. */
const body = Buffer.concat([Buffer.from('label,GENE1\n'), randomBytes(300_000)]);
const digest = createHash('sha256').update(body).digest('hex');
const requests: { path: string; range: string | undefined }[] = [];
let cutNext = false;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ path: req.url!, range: req.headers.range });
    if (req.url === '/moved') {
      res.writeHead(302, { Location: '/matrix.csv' });
      res.end();
      return;
    }
    if (req.url !== '/matrix.csv') {
      res.writeHead(404);
      res.end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m ? Number(m[1]) : 0;
    if (from >= body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
      res.end();
      return;
    }
    const headers = {
      'Content-Length': String(body.length - from),
      ...(m ? { 'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}),
    };
    res.writeHead(m ? 206 : 200, headers);
    if (cutNext) {
      cutNext = false;
      res.write(body.subarray(from, from + 120_000), () => res.destroy());
      return;
    }
    res.end(body.subarray(from));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('downloadFile over loopback HTTP', () => {
  it('an interrupted first attempt leaves a .part file; the second resumes with a Range request and verifies', async () => {
    const dest = `${tempFolder().dir}/matrix.csv`;
    cutNext = true;
    requests.length = 0;
    await expect(downloadFile({ url: `${base}/matrix.csv`, dest, sha256: digest })).rejects.toThrow(
      /matrix\.csv: download interrupted after \d+ bytes .*rerun to resume from .*\.part/,
    );
    expect(existsSync(dest)).toBe(false);
    const partial = readFileSync(`${dest}.part`).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(body.length);
    const progress: number[] = [];
    const result = await downloadFile({
      url: `${base}/matrix.csv`,
      dest,
      sha256: digest,
      onProgress: (b) => progress.push(b),
    });
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${partial}-`]);
    expect(result).toMatchObject({
      path: dest,
      bytes: body.length,
      sha256: digest,
      verified: true,
      resumedFrom: partial,
    });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(progress.at(-1)).toBe(body.length);
  });

  it('without --sha256 it records the computed digest and says it is unverified; follows redirects', async () => {
    const dest = `${tempFolder().dir}/m.csv`;
    const result = await downloadFile({ url: `${base}/moved`, dest });
    expect(result).toMatchObject({ sha256: digest, verified: false, resumedFrom: 0 });
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('a checksum mismatch leaves no final file and no partial file', async () => {
    const dest = `${tempFolder().dir}/m.csv`;
    await expect(downloadFile({ url: `${base}/matrix.csv`, dest, sha256: '0'.repeat(64) })).rejects.toThrow(
      /m\.csv: downloaded sha256 [0-9a-f]{64} differs from the expected 0{64}; fix: check --sha256/,
    );
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('a complete .part file (server answers 416) is verified and renamed without downloading again', async () => {
    const dest = `${tempFolder().dir}/m.csv`;
    writeFileSync(`${dest}.part`, body);
    const result = await downloadFile({ url: `${base}/matrix.csv`, dest, sha256: digest });
    expect(result.verified).toBe(true);
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('HTTP errors are one line naming the URL', async () => {
    await expect(downloadFile({ url: `${base}/missing.csv`, dest: `${tempFolder().dir}/x.csv` })).rejects.toThrow(
      /missing\.csv: HTTP 404; fix: check the URL/,
    );
  });
});
