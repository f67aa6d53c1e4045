/**
 * TensorFlow.js (cpu and webgpu backends) on the same matmuls as ours, checked against our cpu
 * reference, and on the same VAE training epoch. Timing waits for tfjs's device work as ours does.
 */
import { shapeSize, type Shape } from '../../src/engine/backend';
import { formatShape } from '../../src/engine/broadcast';
import { matmulCpu } from '../../src/engine/cpu/matmul';
import { compareOutputs, seededValues } from '../accuracy';
import { packageVersion } from '../machine';
import { measure, type RepPlan } from '../timing';
import type { TrainData } from '../train-data';
import type { PeerResult, PeerRow } from '../types';
import { disposeTfBackend, loadTfjs, tfSettle, useTfBackend, type Tf, type TfBackendName } from './tfjs-loader';
import { createTfVae } from './tfjs-vae';

const MATMUL_TOLERANCE = 1e-4;

export interface PeerMatmul {
  label: string;
  a: Shape;
  b: Shape;
}

export interface PeerVae {
  data: TrainData;
  batch: number;
}

export interface PeerPlan {
  matmuls: PeerMatmul[];
  vaes: PeerVae[];
  rep: RepPlan;
}

interface MatmulInputs {
  a: Float32Array;
  b: Float32Array;
  expected: Float32Array;
}

/** Seeded inputs and our cpu reference's product, computed once for every peer backend. */
function matmulInputs(m: PeerMatmul, cache: Map<string, MatmulInputs>): MatmulInputs {
  let inputs = cache.get(m.label);
  if (!inputs) {
    const a = seededValues(shapeSize(m.a), 11);
    const b = seededValues(shapeSize(m.b), 12);
    const expected = matmulCpu({ data: a, shape: m.a }, { data: b, shape: m.b }, false, false, undefined, 'none').data;
    inputs = { a, b, expected };
    cache.set(m.label, inputs);
  }
  return inputs;
}

function gflopsOf(flops: number, medianMs: number): number {
  return flops / (medianMs * 1e6);
}

async function peerMatmul(tf: Tf, m: PeerMatmul, inputs: MatmulInputs, plan: RepPlan): Promise<PeerRow> {
  const [batchA, rows, inner] = m.a as [number, number, number];
  const [batchB, , cols] = m.b as [number, number, number];
  const flops = 2 * Math.max(batchA, batchB) * rows * cols * inner;
  const a = tf.tensor3d(inputs.a, m.a as [number, number, number]);
  const b = tf.tensor3d(inputs.b, m.b as [number, number, number]);
  try {
    const first = tf.matMul(a, b);
    const actual = (await first.data()) as Float32Array;
    first.dispose();
    const agreement = compareOutputs([actual], [inputs.expected]);
    const timing = await measure(async (launches) => {
      const outs = Array.from({ length: launches }, () => tf.matMul(a, b));
      await tfSettle(tf);
      for (const t of outs) t.dispose();
    }, plan);
    return {
      workload: m.label, shape: `${formatShape(m.a)}·${formatShape(m.b)}`, status: 'ok', timing, flops,
      gflops: gflopsOf(flops, timing.medianMs), ...agreement, tolerance: MATMUL_TOLERANCE,
      withinTolerance: agreement.maxScaledError <= MATMUL_TOLERANCE,
    };
  } finally {
    a.dispose();
    b.dispose();
  }
}

async function peerVae(tf: Tf, v: PeerVae, plan: RepPlan): Promise<PeerRow> {
  const vae = createTfVae(tf, v.data, v.batch);
  try {
    const timing = await measure(async (epochs) => {
      for (let i = 0; i < epochs; i++) vae.step();
      await tfSettle(tf);
    }, plan);
    const { regions, genes } = v.data.shape;
    return {
      workload: `VAE epoch (${v.data.shape.name})`, shape: `B=${v.batch}, ${regions}×${genes}`, status: 'ok', timing,
      gflops: null, modelsEpochsPerSecond: v.batch / (timing.medianMs / 1000),
    };
  } finally {
    vae.dispose();
  }
}

async function runOn(tf: Tf, name: TfBackendName, plan: PeerPlan, cache: Map<string, MatmulInputs>, log: (line: string) => void): Promise<PeerResult> {
  const result: PeerResult = { name: `tfjs-${name}`, version: packageVersion(`@tensorflow/tfjs-backend-${name}`), status: 'ok', rows: [] };
  try {
    await useTfBackend(tf, name);
  } catch (error) {
    return { ...result, status: 'unavailable', reason: (error as Error).message };
  }
  for (const m of plan.matmuls) {
    log(`peer tfjs-${name}: ${m.label}`);
    result.rows.push(await guarded(`${formatShape(m.a)}·${formatShape(m.b)}`, m.label, () => peerMatmul(tf, m, matmulInputs(m, cache), plan.rep)));
  }
  for (const v of plan.vaes) {
    log(`peer tfjs-${name}: VAE epoch ${v.data.shape.name} B=${v.batch}`);
    result.rows.push(await guarded(`B=${v.batch}`, `VAE epoch (${v.data.shape.name})`, () => peerVae(tf, v, plan.rep)));
  }
  // its Dawn device would keep the process alive; the cpu backend holds nothing
  if (name === 'webgpu') disposeTfBackend(tf, name);
  return result;
}

/** A row that failed inside tfjs records the message instead of ending the run. */
async function guarded(shape: string, workload: string, run: () => Promise<PeerRow>): Promise<PeerRow> {
  try {
    return await run();
  } catch (error) {
    return { workload, shape, status: 'unavailable', reason: `unavailable: ${(error as Error).message}`, timing: null, gflops: null };
  }
}

/** Both tfjs backends, or one entry saying why tfjs is not there. */
export async function runTfjsPeers(plan: PeerPlan, log: (line: string) => void): Promise<PeerResult[]> {
  const loaded = await loadTfjs();
  if ('reason' in loaded) return [{ name: 'tfjs', version: null, status: 'unavailable', reason: loaded.reason, rows: [] }];
  const cache = new Map<string, MatmulInputs>();
  const results: PeerResult[] = [];
  for (const name of ['cpu', 'webgpu'] as const) {
    if (!loaded.available[name] || !loaded.tf.findBackendFactory(name)) {
      const reason = loaded.missing[name] ?? 'disposed by an earlier benchmark run in this process';
      results.push({ name: `tfjs-${name}`, version: null, status: 'unavailable', reason, rows: [] });
      continue;
    }
    results.push(await runOn(loaded.tf, name, plan, cache, log));
  }
  return results;
}
