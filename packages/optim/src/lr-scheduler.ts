/** The base of the epoch-indexed learning-rate schedules (PyTorch's `_LRScheduler`). */
import { ValueError } from '@gradsight/core';
import { Optimizer } from './optimizer.js';
import { copyPlain } from './state-dict.js';

/** What every schedule offers, including `ReduceLROnPlateau` and `SequentialLR`. */
export interface Scheduler {
  readonly optimizer: Optimizer<any>;
  /** The learning rate of every parameter group after the last `step()`. */
  getLastLr(): number[];
  /** Plain, JSON-able state (no optimiser): counters, the schedule's settings. */
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}

export interface LRSchedulerOptions {
  /**
   * The index of the last epoch when resuming (default −1: start). With ≥ 0 every group must
   * already have `initialLr` (restore the optimiser's state dict first).
   */
  lastEpoch?: number;
}

export function checkOptimizer(owner: string, optimizer: unknown): Optimizer<any> {
  if (!(optimizer instanceof Optimizer)) {
    throw new ValueError(
      `${owner}: expected an Optimizer (SGD, Adam, …), got ${optimizer === null ? 'null' : typeof optimizer}.`,
    );
  }
  return optimizer;
}

/**
 * Subclasses set their fields after `super()` and then call `initialStep()`, which performs
 * the constructor's first `step()` (epoch 0), exactly as PyTorch's schedulers do.
 */
export abstract class LRScheduler implements Scheduler {
  readonly optimizer: Optimizer<any>;
  /** The groups' learning rates at epoch 0 (`initialLr`). */
  baseLrs: number[];
  lastEpoch: number;
  /** How many times `step()` ran, including the constructor's (PyTorch's `_step_count`). */
  protected stepCount = 0;
  protected lastLr: number[] = [];
  protected readonly owner: string;

  protected constructor(owner: string, optimizer: Optimizer<any>, lastEpoch = -1) {
    this.owner = owner;
    this.optimizer = checkOptimizer(owner, optimizer);
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) {
      throw new ValueError(`${owner}: invalid lastEpoch: ${String(lastEpoch)} (expected an integer ≥ -1).`);
    }
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) g.initialLr ??= g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new ValueError(
            `${owner}: parameter group ${i} has no initialLr, which resuming with lastEpoch ${lastEpoch} needs; load the optimiser's state dict first.`,
          );
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The learning rates for `lastEpoch`, usually from the groups' current ones (chainable form). */
  protected abstract getLr(): number[];
  /** The learning rates for `lastEpoch` from the base ones, where the schedule has a closed form. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** @internal the constructor's first step; `SequentialLR` repeats it. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances one epoch and writes the new learning rates into the optimiser's groups. Call it
   * after `optimizer.step()`. `epoch` is PyTorch's deprecated form (jump to an epoch, using the
   * closed form when there is one); `SequentialLR` uses it to restart a schedule at 0.
   */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The current learning rates of the groups, for the chainable forms. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k !== 'optimizer' && k !== 'owner' && typeof v !== 'function') out[k] = copyPlain(v);
    }
    return out;
  }

  loadStateDict(state: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(state)) {
      if (k === 'optimizer' || k === 'owner') continue;
      if (!(k in this)) throw new ValueError(`${this.owner}.loadStateDict: unknown key '${k}'.`);
      (this as Record<string, unknown>)[k] = copyPlain(v);
    }
  }
}

/** Index of the first element greater than `x` in sorted `xs` (Python's bisect_right). */
export function bisectRight(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < xs[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
