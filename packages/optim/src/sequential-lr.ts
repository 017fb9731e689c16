/** Several schedules one after another, switching at milestone epochs (PyTorch's SequentialLR). */
import { ValueError } from '@gradsight/core';
import { bisectRight, checkOptimizer, type LRScheduler, type Scheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import { copyPlain } from './state-dict.js';
import { checkNonNegativeInt } from './validate.js';

export interface SequentialLROptions {
  /** The schedules, all built on the same optimiser (each construction already took its first step). */
  schedulers: readonly LRScheduler[];
  /** Epochs at which to switch to the next schedule (one fewer than schedulers, increasing). */
  milestones: readonly number[];
  lastEpoch?: number;
}

/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` restarted at its epoch 0
 * (from its closed form where it has one), and so on. E.g. a LinearLR warm-up followed by
 * CosineAnnealingLR. Mirrors PyTorch exactly, including resetting the rates at construction.
 */
export class SequentialLR implements Scheduler {
  readonly optimizer: Optimizer<any>;
  readonly schedulers: readonly LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  private lastLr: number[];

  constructor(optimizer: Optimizer<any>, { schedulers, milestones, lastEpoch = -1 }: SequentialLROptions) {
    const owner = 'SequentialLR';
    this.optimizer = checkOptimizer(owner, optimizer);
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new ValueError('SequentialLR: schedulers must be a non-empty array of schedules.');
    }
    schedulers.forEach((s, i) => {
      if (s?.optimizer !== optimizer) {
        throw new ValueError(
          `SequentialLR: schedulers[${i}] belongs to a different optimiser; all must share the one passed in.`,
        );
      }
      if (typeof (s as LRScheduler).initialStep !== 'function') {
        throw new ValueError(
          `SequentialLR: schedulers[${i}] is not an epoch schedule (ReduceLROnPlateau cannot be sequenced).`,
        );
      }
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new ValueError(
        `SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${Array.isArray(milestones) ? milestones.length : String(milestones)}.`,
      );
    }
    milestones.forEach((m, i) => {
      checkNonNegativeInt(owner, `milestones[${i}]`, m);
      if (i > 0 && m <= milestones[i - 1]!)
        throw new ValueError(`SequentialLR: milestones must increase, got [${milestones.join(', ')}].`);
    });
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    // undo what constructing the schedulers did to the rates, then replay the first one's start
    for (const g of optimizer.paramGroups) g.lr = g.initialLr ?? g.lr;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): Record<string, unknown> {
    return {
      milestones: [...this.milestones],
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: Record<string, unknown>): void {
    const subs = state.schedulers;
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) {
      throw new ValueError(
        `SequentialLR.loadStateDict: expected state for ${this.schedulers.length} schedulers.`,
      );
    }
    this.milestones = copyPlain(state.milestones as number[]);
    this.lastEpoch = state.lastEpoch as number;
    this.lastLr = copyPlain(state.lastLr as number[]);
    subs.forEach((s, i) => {
      this.schedulers[i]!.loadStateDict(s as Record<string, unknown>);
    });
  }
}
