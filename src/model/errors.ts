/**
 * Errors raised by the model layer. Each message is one line naming what is wrong and the fix.
 * The model knows nothing of files except its own checkpoints, so these are its only error kinds.
 */

/** Bad arguments to the model: shapes that disagree, masks that select nothing, invalid settings. */
export class ModelInputError extends Error {
  override name = 'ModelInputError';
}

/** A checkpoint file that cannot be read back: wrong magic, version, truncated, or shapes that disagree. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(
    readonly path: string,
    problem: string,
    fix: string,
  ) {
    super(`checkpoint ${path}: ${problem}; ${fix}`);
  }
}
