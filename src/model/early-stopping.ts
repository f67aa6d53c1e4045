/**
 * Early stopping for B models at once, on each model's validation error.
 * A model stops once `patience` epochs have passed since its best error; after that its best
 * is frozen, so a model trained in a batch ends exactly where it would have ended alone.
 */
export class EarlyStopping {
  readonly bestError: number[];
  readonly bestEpoch: number[];
  private readonly stopped: boolean[];

  constructor(
    count: number,
    private readonly patience: number,
  ) {
    this.bestError = new Array<number>(count).fill(Infinity);
    this.bestEpoch = new Array<number>(count).fill(0);
    this.stopped = new Array<boolean>(count).fill(false);
  }

  /** Records the errors measured after `epoch`; returns the models whose best just improved. */
  observe(epoch: number, errors: ArrayLike<number>): number[] {
    const improved: number[] = [];
    for (let b = 0; b < this.bestError.length; b++) {
      if (this.stopped[b]) continue;
      const error = errors[b]!;
      if (error < this.bestError[b]!) {
        this.bestError[b] = error;
        this.bestEpoch[b] = epoch;
        improved.push(b);
      } else if (epoch - this.bestEpoch[b]! >= this.patience) {
        this.stopped[b] = true;
      }
    }
    return improved;
  }

  isStopped(model: number): boolean {
    return this.stopped[model]!;
  }

  get allStopped(): boolean {
    return this.stopped.every(Boolean);
  }
}
