/**
 * A browser `Worker` for Node, enough for a library that starts its workers from a blob: URL
 * (jax-js's wasm backend does; Node 20 has no global Worker, and worker_threads cannot start a
 * blob: URL). The blob is handed to a worker_threads worker that reads it, gives it the
 * `self.onmessage` / `postMessage` of a dedicated worker, and runs it. A worker keeps the process
 * alive only while a reply to one of its messages is awaited, so a pool left idle does not stop
 * Node from exiting.
 */
import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeWorker, type TransferListItem } from 'node:worker_threads';

/** Runs in the worker thread: a dedicated worker's globals, then the script; messages wait for it. */
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
globalThis.self = globalThis;
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
const early = [];
let started = false;
parentPort.on('message', (data) => (started ? self.onmessage({ data }) : early.push(data)));
workerData.script.text().then((code) => {
  vm.runInThisContext(code, { filename: workerData.url });
  started = true;
  for (const data of early.splice(0)) self.onmessage({ data });
});
`;

class BlobWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((error: Error) => void) | null = null;
  private readonly worker: NodeWorker;
  private awaited = 0;

  constructor(url: string | URL) {
    const script = resolveObjectURL(String(url));
    if (!script)
      throw new Error(`Worker: ${String(url)} is not a live blob: URL (only blob: workers are supported in Node)`);
    this.worker = new NodeWorker(BOOTSTRAP, { eval: true, workerData: { script, url: String(url) } });
    this.worker.unref();
    this.worker.on('message', (data: unknown) => {
      if (this.awaited > 0 && --this.awaited === 0) this.worker.unref();
      this.onmessage?.({ data });
    });
    this.worker.on('error', (error: Error) => this.onerror?.(error));
  }

  /** Every message the libraries send is answered by exactly one reply. */
  postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
    if (this.awaited++ === 0) this.worker.ref();
    this.worker.postMessage(message, transfer);
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

/**
 * Installs the shim as the global Worker where there is none, or where an Emscripten module in
 * Node left worker_threads' Worker there (tfjs-backend-wasm's threaded build does), which cannot
 * start a blob: URL.
 */
export function provideWebWorker(): void {
  const current = (globalThis as { Worker?: unknown }).Worker;
  if (current === undefined || current === NodeWorker) {
    Object.defineProperty(globalThis, 'Worker', { value: BlobWorker, configurable: true, writable: true });
  }
}
