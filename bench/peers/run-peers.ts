/**
 * Every peer, one after another, after cortex-vae's own cases (so none of them shares the machine
 * with cortex-vae's timings): TensorFlow.js (cpu, webgpu, wasm), jax-js (wasm, webgpu) and
 * onnxruntime-web (wasm, matmul only). A peer that is not installed or fails to start is recorded
 * as unavailable with the reason; a failing case, in its row.
 */
import type { PeerResult } from '../types';
import { jaxPeers } from './jax-peer';
import { ortPeers } from './ort-peer';
import { runPeer, type MatmulInputs, type PeerPlan } from './peer-harness';
import { tfjsPeers } from './tfjs-peer';

export async function runPeers(plan: PeerPlan, log: (line: string) => void): Promise<PeerResult[]> {
  const inputs = new Map<string, MatmulInputs>();
  const results: PeerResult[] = [];
  for (const spec of [...tfjsPeers(), ...jaxPeers(), ...ortPeers()])
    results.push(await runPeer(spec, plan, inputs, log));
  return results;
}
