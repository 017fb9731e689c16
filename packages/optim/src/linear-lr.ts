/** Linear warm-up (or decay) of the learning rate by a factor, PyTorch's LinearLR. */

import { ValueError } from '@gradsight/core';
import { LRScheduler, type LRSchedulerOptions } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import { checkInRange, checkPositiveInt } from './validate.js';

export interface LinearLROptions extends LRSchedulerOptions {
  /** Factor at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from epoch `totalIters` on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor moves linearly (default 5). */
  totalIters?: number;
}

/** Scales the initial learning rate by a factor moving linearly from `startFactor` to `endFactor`. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(
    optimizer: Optimizer<any>,
    { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 }: LinearLROptions = {},
  ) {
    super('LinearLR', optimizer, lastEpoch);
    this.startFactor = checkInRange('LinearLR', 'startFactor', startFactor, 0, 1, true);
    // a zero start factor would divide by zero in the chainable form
    if (startFactor === 0)
      throw new ValueError('LinearLR: invalid startFactor: 0 (expected a number in (0, 1]).');
    this.endFactor = checkInRange('LinearLR', 'endFactor', endFactor, 0, 1, true);
    this.totalIters = checkPositiveInt('LinearLR', 'totalIters', totalIters);
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return this.groupLrs().map((lr) => lr * s);
    if (e > n) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    return this.baseLrs.map((lr) => lr * (s + ((f - s) * Math.min(n, e)) / n));
  }
}
