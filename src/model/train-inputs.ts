import type { CsrMatrix } from '../engine/backend';
import { ModelInputError } from './errors';

/** One model to train: its own target, masks and seed. */
export interface TrainTask {
  /** y for all N regions, already scaled by the caller. */
  y: Float32Array;
  /** 1 where y enters the loss, 0 for held-out regions. */
  trainMask: Uint8Array;
  /** 1 where the early-stopping error is measured (given for every task or for none). */
  validationMask?: Uint8Array;
  /** Seeds both the parameter initialisation and the sampling noise. */
  seed: number;
}

/** Checks shapes and masks before any work; throws ModelInputError naming the task and the fix. */
export function checkTrainInputs(
  x: Float32Array,
  xShape: readonly number[],
  laplacian: CsrMatrix,
  edgeCount: number,
  tasks: readonly TrainTask[],
): void {
  if (tasks.length === 0) throw new ModelInputError('no tasks to train; pass at least one { y, trainMask, seed }');
  if (xShape.length !== 3 || !xShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ModelInputError(`xShape [${xShape.join(', ')}] must be [1 or B, N, G] with positive sizes`);
  }
  const [xBatch, regions, genes] = xShape as [number, number, number];
  if (xBatch !== 1 && xBatch !== tasks.length) {
    throw new ModelInputError(`xShape[0] = ${xBatch} must be 1 (shared X) or the task count ${tasks.length}`);
  }
  if (x.length !== xBatch * regions * genes) {
    throw new ModelInputError(
      `X has ${x.length} values but xShape [${xShape.join(', ')}] needs ${xBatch * regions * genes}`,
    );
  }
  const badX = x.findIndex((v) => !Number.isFinite(v));
  if (badX >= 0) {
    const region = Math.floor(badX / genes) % regions;
    throw new ModelInputError(
      `X is not finite at region ${region}, gene ${badX % genes}; impute or drop it before training`,
    );
  }
  if (laplacian.n !== regions) {
    throw new ModelInputError(
      `the Laplacian is ${laplacian.n}×${laplacian.n} but X has ${regions} regions; build it over the same regions`,
    );
  }
  if (!Number.isInteger(edgeCount) || edgeCount < 1) {
    throw new ModelInputError(`edgeCount = ${edgeCount} must be the positive number of graph edges`);
  }
  const withValidation = tasks.filter((t) => t.validationMask !== undefined).length;
  if (withValidation !== 0 && withValidation !== tasks.length) {
    throw new ModelInputError(
      `${withValidation} of ${tasks.length} tasks have a validationMask; give one to every task or to none`,
    );
  }
  tasks.forEach((task, i) => checkTask(task, i, regions));
}

function checkTask(task: TrainTask, index: number, regions: number): void {
  if (task.y.length !== regions) {
    throw new ModelInputError(
      `task ${index}: y has ${task.y.length} values for ${regions} regions; give one per region`,
    );
  }
  const badY = task.y.findIndex((v) => !Number.isFinite(v));
  if (badY >= 0)
    throw new ModelInputError(`task ${index}: y[${badY}] is not finite; give a finite value (it may be masked out)`);
  checkMask(task.trainMask, 'trainMask', index, regions);
  if (task.validationMask) checkMask(task.validationMask, 'validationMask', index, regions);
}

function checkMask(mask: Uint8Array, name: string, index: number, regions: number): void {
  if (mask.length !== regions) {
    throw new ModelInputError(
      `task ${index}: ${name} has ${mask.length} entries for ${regions} regions; give one per region`,
    );
  }
  const bad = mask.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new ModelInputError(`task ${index}: ${name}[${bad}] = ${mask[bad]}; masks hold 0 or 1`);
  if (!mask.includes(1))
    throw new ModelInputError(`task ${index}: ${name} selects no region; mark at least one with 1`);
}

/** Targets and masks of the given tasks stacked as [B, N, 1] float arrays (masks as 0/1). */
export function stackTasks(
  tasks: readonly TrainTask[],
  regions: number,
): { y: Float32Array; trainMask: Float32Array; validationMask: Float32Array | null } {
  const y = new Float32Array(tasks.length * regions);
  const trainMask = new Float32Array(tasks.length * regions);
  const hasValidation = tasks[0]!.validationMask !== undefined;
  const validationMask = hasValidation ? new Float32Array(tasks.length * regions) : null;
  tasks.forEach((task, b) => {
    y.set(task.y, b * regions);
    trainMask.set(task.trainMask, b * regions);
    if (validationMask) validationMask.set(task.validationMask!, b * regions);
  });
  return { y, trainMask, validationMask };
}
