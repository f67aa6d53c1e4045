/** A training profile as text: the epoch's time split, then device time per kernel and per shape. */
import type { TrainingProfile } from '../../model/profile-training';
import { textTable } from './text-table';

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const rate = (v: number | null): string => (v === null ? '-' : v.toFixed(2));

export function profileTable(profile: TrainingProfile, shapeRows = 12): string {
  const { shape, perEpoch } = profile;
  const header = [
    `profile: ${profile.adapter}`,
    `clock: ${profile.clock}; ${shape.regions} regions × ${shape.genes} genes, H ${shape.hidden}, K ${shape.latent}, B = ${shape.batch}; ${profile.epochs} epochs after ${profile.warmupEpochs} warm-up, losses read every epoch`,
    `per epoch: wall ${ms(perEpoch.wallMs)} ms, of which host ${ms(perEpoch.hostMs)} ms (tape, encoding, submit); device ${ms(perEpoch.deviceMs)} ms in ${perEpoch.dispatches.toFixed(0)} dispatches (timed in a second run, each dispatch in a pass of its own)`,
  ];
  const columns = ['kernel', 'dispatches/epoch', 'device ms/epoch', 'share', 'GFLOP/s', 'GB/s'];
  const row = (r: TrainingProfile['kernels'][number], name: string) => [
    name,
    r.dispatchesPerEpoch.toFixed(1),
    ms(r.deviceMsPerEpoch),
    `${(100 * r.share).toFixed(1)}%`,
    rate(r.gflops),
    r.gbps.toFixed(2),
  ];
  const kernels = textTable(
    columns,
    profile.kernels.map((r) => row(r, r.kernel)),
  );
  const shapes = textTable(
    ['kernel at shape', ...columns.slice(1)],
    profile.shapes.slice(0, shapeRows).map((r) => row(r, `${r.kernel} ${r.detail}`)),
  );
  return [
    ...header,
    '',
    kernels,
    '',
    `top ${Math.min(shapeRows, profile.shapes.length)} of ${profile.shapes.length} kernel shapes`,
    shapes,
  ].join('\n');
}
