/**
 * `serve`: the browser explorer (built by `npm run web:build` into dist/web) over http on
 * 127.0.0.1 — a secure context, as WebGPU requires — with a tiny static file server.
 *   cortex-vae serve [--port N] [--dir FOLDER]
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../data/data-folder';
import { InputError } from '../../input-error';

export const DEFAULT_PORT = 8080;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
};

/** The built site: dist/web in the package (beside dist/cli.js once installed). */
export function defaultSiteDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

/** The file a request path names inside `root`, or null when it is outside it or absent. */
function fileFor(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  if (file !== root && !file.startsWith(root + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1:`port` (0: any free port) until closed. */
export async function startServer(dir: string, port: number): Promise<RunningServer> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    const page = join(root, 'index.html');
    throw new InputError(`${page}: no explorer page there; build it with npm run web:build (or pass --dir)`);
  }
  const server: Server = createServer((request, response) => {
    const file = request.method === 'GET' || request.method === 'HEAD' ? fileFor(root, request.url ?? '/') : null;
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : readFileSync(file));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new InputError(`port ${port} is in use on 127.0.0.1; pass another with --port N (0: any free port)`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => done());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://localhost:${address.port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** `cortex-vae serve`: prints the URL, then serves until interrupted. */
export async function serveMain(argv: string[], io: { stdout: (text: string) => void }): Promise<number> {
  let values: { port?: string; dir?: string };
  try {
    const options = { port: { type: 'string' }, dir: { type: 'string' } } as const;
    ({ values } = parseArgs({ args: argv, options, strict: true }));
  } catch (error) {
    throw new InputError(`serve: ${(error as Error).message}; usage: cortex-vae serve [--port N] [--dir FOLDER]`);
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`--port ${values.port}: give a whole number from 0 to 65535 (0: any free port)`);
  }
  const server = await startServer(values.dir ?? defaultSiteDir(), port);
  io.stdout(`cortex-vae explorer: ${server.url}  (open it in a browser with WebGPU; Ctrl-C stops)\n`);
  await new Promise<void>((done) => process.once('SIGINT', done));
  await server.close();
  return 0;
}
