/**
 * GPU buffers recycled by (usage, rounded size). A buffer released while recorded work that has
 * not been submitted may still use it waits in `pending` until that work is submitted: handing it
 * out earlier would let a `queue.writeBuffer` (which runs at once) overwrite what the recorded
 * kernels are about to read.
 */

// GPUBufferUsage flags as fixed by the WebGPU spec (the GPUBufferUsage global exists only once
// Dawn's globals are installed, after this module loads)
const MAP_READ = 0x1;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;

export const STORAGE_USAGE = STORAGE | COPY_SRC | COPY_DST;
export const UNIFORM_USAGE = UNIFORM | COPY_DST;
export const READBACK_USAGE = MAP_READ | COPY_DST;

/**
 * Bucket size for a request: powers of two up to 4 KiB, above that the next multiple of an eighth
 * of the enclosing power of two (at most 12.5 % unused). Never below 16 bytes.
 */
export function roundedByteSize(byteSize: number): number {
  const size = Math.max(16, byteSize);
  const power = 2 ** Math.ceil(Math.log2(size));
  if (power <= 4096) return power;
  const step = power / 8;
  return Math.ceil(size / step) * step;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private readonly usageOf = new Map<GPUBuffer, number>();
  /** Buffers bound by captured work (count of captures), never handed out while pinned. */
  private readonly pins = new Map<GPUBuffer, number>();
  /** Pinned buffers already released (and, while holding, every released buffer). */
  private readonly held = new Set<GPUBuffer>();
  /** While work is being captured nothing released is reused, so each launch keeps its own buffers. */
  private holding = false;

  constructor(private readonly device: GPUDevice) {}

  acquire(byteSize: number, usage: number, label: string): GPUBuffer {
    const size = roundedByteSize(byteSize);
    const reused = this.free.get(`${usage}:${size}`)?.pop();
    if (reused) return reused;
    const buffer = this.device.createBuffer({ size, usage, label });
    this.usageOf.set(buffer, usage);
    return buffer;
  }

  /** Back to the pool: free at once, or after the next submit when unsubmitted work may use it. */
  release(buffer: GPUBuffer, usedByUnsubmittedWork: boolean): void {
    if (this.holding || this.pins.has(buffer)) this.held.add(buffer);
    else if (usedByUnsubmittedWork) this.pending.push(buffer);
    else this.makeFree(buffer);
  }

  /** From now on released buffers are held, not reused: a capture is recording launches. */
  holdReleases(): void {
    this.holding = true;
  }

  /** Ends holding: held buffers that no capture pinned become free (after the next submit). */
  endHolding(): void {
    this.holding = false;
    for (const buffer of [...this.held]) {
      if (this.pins.has(buffer)) continue;
      this.held.delete(buffer);
      this.pending.push(buffer);
    }
  }

  /**
   * Keeps `buffers` for captured work: none is handed out again until `unpin`, so what the work
   * reads between replays (parameters written once, constants) stays as it was.
   */
  pin(buffers: Iterable<GPUBuffer>): void {
    for (const buffer of buffers) {
      this.pins.set(buffer, (this.pins.get(buffer) ?? 0) + 1);
      const waiting = this.pending.indexOf(buffer);
      if (waiting >= 0) {
        this.pending.splice(waiting, 1);
        this.held.add(buffer);
        continue;
      }
      const list = this.free.get(this.keyOf(buffer));
      const index = list?.indexOf(buffer) ?? -1;
      if (index >= 0) {
        list!.splice(index, 1);
        this.held.add(buffer);
      }
    }
  }

  /** Undoes one `pin` of each buffer; released ones become free when no pin is left. */
  unpin(buffers: Iterable<GPUBuffer>): void {
    for (const buffer of buffers) {
      const count = (this.pins.get(buffer) ?? 0) - 1;
      if (count > 0) {
        this.pins.set(buffer, count);
        continue;
      }
      this.pins.delete(buffer);
      if (this.held.delete(buffer)) this.makeFree(buffer);
    }
  }

  /** The recorded work went to the queue: later work is ordered after it, so reuse is safe. */
  workSubmitted(): void {
    for (const buffer of this.pending) this.makeFree(buffer);
    this.pending = [];
  }

  destroyAll(): void {
    for (const buffer of this.usageOf.keys()) buffer.destroy();
    this.usageOf.clear();
    this.free.clear();
    this.pending = [];
    this.pins.clear();
    this.held.clear();
  }

  private keyOf(buffer: GPUBuffer): string {
    return `${this.usageOf.get(buffer)}:${buffer.size}`;
  }

  private makeFree(buffer: GPUBuffer): void {
    const key = this.keyOf(buffer);
    const list = this.free.get(key);
    if (list) list.push(buffer);
    else this.free.set(key, [buffer]);
  }
}
