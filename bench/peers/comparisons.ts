/**
 * Per workload, cortex-vae's throughput over the best peer's, all from the same run: GFLOP/s for a
 * matmul (a peer's product counts only if it matched the cpu reference), models·epochs/s for a
 * VAE epoch. "The peer" is the fastest configuration of any peer (each library, build and layout of
 * B models is a row of its own). A ratio > 1 means cortex-vae is faster.
 */
import type { KernelRow, PeerComparison, PeerResult, PeerRow, TrainingRow } from '../types';
import type { PeerMatmul, PeerVaeCase } from './peer-harness';

type Best = NonNullable<PeerComparison['bestPeer']>;

function bestPeer(
  peers: readonly PeerResult[],
  key: string,
  value: (row: PeerRow) => number | null | undefined,
): Best | null {
  let best: Best | null = null;
  for (const peer of peers) {
    for (const row of peer.rows) {
      const v = row.case === key && row.status === 'ok' ? value(row) : null;
      if (v === null || v === undefined || !(v > 0) || (best && best.value >= v)) continue;
      best = { name: peer.name, configuration: row.shape, value: v, ...(row.note ? { note: row.note } : {}) };
    }
  }
  return best;
}

function compare(entry: Omit<PeerComparison, 'ratio' | 'reason'>): PeerComparison {
  if (entry.cortexVae === null)
    return { ...entry, ratio: null, reason: `cortex-vae has no result for ${entry.cortexVaeRow}` };
  if (entry.bestPeer === null) return { ...entry, ratio: null, reason: 'no peer ran this case' };
  return { ...entry, ratio: entry.cortexVae / entry.bestPeer.value };
}

/** Matmul cases against the kernel row named in `kernelRow`, VAE cases against the webgpu training row. */
export function peerComparisons(
  matmuls: readonly (PeerMatmul & { kernelRow: string })[],
  vaes: readonly PeerVaeCase[],
  kernels: readonly KernelRow[],
  training: readonly TrainingRow[],
  peers: readonly PeerResult[],
): PeerComparison[] {
  const matmulRows = matmuls.map((m) => {
    const row = kernels.find((k) => k.name === m.kernelRow && k.status === 'ok');
    return compare({
      case: m.case,
      unit: 'GFLOP/s',
      cortexVae: row?.subjectGflops ?? null,
      cortexVaeRow: m.kernelRow + (m.note ? ` (${m.note})` : ''),
      bestPeer: bestPeer(peers, m.case, (r) => (r.withinTolerance ? r.gflops : null)),
    });
  });
  const vaeRows = vaes.map((v) => {
    const row = training.find(
      (t) => t.backend === 'webgpu' && t.shape === v.data.shape.name && t.batch === v.batch && t.status === 'ok',
    );
    return compare({
      case: v.case,
      unit: 'models·epochs/s',
      cortexVae: row?.modelsEpochsPerSecond ?? null,
      cortexVaeRow: `training ${v.data.shape.name} B=${v.batch} on webgpu`,
      bestPeer: bestPeer(peers, v.case, (r) => r.modelsEpochsPerSecond),
    });
  });
  return [...matmulRows, ...vaeRows];
}
