/**
 * One kernel benchmark: the same seeded inputs on the backend under test and on the cpu reference;
 * one launch read back and compared; then repeated timed launches on each, every sample waiting
 * for the device to finish. An error from the backend under test (a kernel that is not implemented
 * yet, a validation failure) makes the row "unavailable" with the message instead of aborting.
 */
import type { Backend, RawTensor } from '../src/engine/backend';
import { WebGpuBackend } from '../src/engine/webgpu/backend';
import { compareOutputs, type Agreement } from './accuracy';
import { measure, settle, type RepPlan } from './timing';
import type { KernelGroup, KernelRow, TimingStats } from './types';

export interface PreparedCase {
  /** Records one launch; returns its fresh output tensors (the harness releases them). */
  launch(): RawTensor[];
  /** What to compare after the first launch when the kernel works in place (default: its outputs). */
  observed?(): RawTensor[];
  /** Releases the inputs. */
  dispose(): void;
}

export interface KernelCase {
  group: KernelGroup;
  name: string;
  shape: string;
  tolerance: number;
  flops?: number;
  bytes?: number;
  note?: string;
  /** Set when the case cannot run at all (e.g. a dense matrix too large to exist): the reason. */
  skip?: string;
  /** Uploads the inputs to `backend` (identical seeded values on every backend). */
  prepare(backend: Backend): PreparedCase;
}

export interface CasePlans {
  subject: RepPlan;
  reference: RepPlan;
}

interface SideResult {
  outputs: Float32Array[];
  timing: TimingStats;
  /** Kernel launches one run recorded (webgpu's own count). */
  dispatches: number | null;
}

/** First launch read back, then timed launches. Errors propagate. */
async function runSide(backend: Backend, c: KernelCase, plan: RepPlan): Promise<SideResult> {
  const prepared = c.prepare(backend);
  try {
    const before = backend instanceof WebGpuBackend ? backend.dispatchCount : null;
    const first = prepared.launch();
    const dispatches = before === null ? null : (backend as WebGpuBackend).dispatchCount - before;
    const observed = prepared.observed ? prepared.observed() : first;
    const outputs = await Promise.all(observed.map((t) => backend.read(t)));
    for (const t of first) backend.release(t);
    const timing = await measure(async (launches) => {
      const outs: RawTensor[] = [];
      for (let i = 0; i < launches; i++) outs.push(...prepared.launch());
      await settle(backend);
      for (const t of outs) backend.release(t);
    }, plan);
    // a read drains the error reports of every batch submitted while timing
    const probe = backend.fill([1], 0);
    await backend.read(probe);
    backend.release(probe);
    return { outputs, timing, dispatches };
  } finally {
    prepared.dispose();
  }
}

function perSecond(amount: number | undefined, timing: TimingStats | null): number | null {
  if (amount === undefined || timing === null || !(timing.medianMs > 0)) return null;
  return amount / (timing.medianMs * 1e6);
}

function baseRow(c: KernelCase): Omit<KernelRow, 'status'> {
  return {
    group: c.group,
    name: c.name,
    shape: c.shape,
    ...(c.note ? { note: c.note } : {}),
    ...(c.flops !== undefined ? { flops: c.flops } : {}),
    ...(c.bytes !== undefined ? { bytes: c.bytes } : {}),
    subject: null,
    reference: null,
    speedup: null,
    subjectGflops: null,
    referenceGflops: null,
    subjectGBps: null,
    referenceGBps: null,
    maxAbsError: null,
    maxScaledError: null,
    tolerance: c.tolerance,
    withinTolerance: null,
  };
}

/**
 * Runs `c` on the reference (always) and on `subject` (null: reference only, e.g. --backend cpu).
 * GFLOP/s = flops / median time; GB/s = bytes / median time; speedup = reference / subject median.
 */
export async function runKernelCase(
  c: KernelCase,
  subject: Backend | null,
  reference: Backend,
  plans: CasePlans,
): Promise<KernelRow> {
  const row = baseRow(c);
  if (c.skip) return { ...row, status: 'skipped', reason: c.skip };
  const ref = await runSide(reference, c, plans.reference);
  const referenceCols = {
    reference: ref.timing,
    referenceGflops: perSecond(c.flops, ref.timing),
    referenceGBps: perSecond(c.bytes, ref.timing),
  };
  if (!subject)
    return {
      ...row,
      ...referenceCols,
      status: 'skipped',
      reason: 'no backend under test (--backend cpu): reference timed alone',
    };
  let sub: SideResult;
  try {
    sub = await runSide(subject, c, plans.subject);
  } catch (error) {
    return { ...row, ...referenceCols, status: 'unavailable', reason: `unavailable: ${(error as Error).message}` };
  }
  const agreement: Agreement = compareOutputs(sub.outputs, ref.outputs);
  return {
    ...row,
    ...referenceCols,
    status: 'ok',
    ...(sub.dispatches !== null ? { dispatches: sub.dispatches } : {}),
    subject: sub.timing,
    speedup: ref.timing.medianMs / sub.timing.medianMs,
    subjectGflops: perSecond(c.flops, sub.timing),
    subjectGBps: perSecond(c.bytes, sub.timing),
    maxAbsError: agreement.maxAbsError,
    maxScaledError: agreement.maxScaledError,
    withinTolerance: agreement.maxScaledError <= c.tolerance,
  };
}
