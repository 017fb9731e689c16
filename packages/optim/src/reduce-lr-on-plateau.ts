/** Reduce the learning rate when a metric stops improving (PyTorch's ReduceLROnPlateau). */
import { Tensor, ValueError } from '@gradsight/core';
import { checkOptimizer, type Scheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import { checkInRange, checkNonNegative, checkNonNegativeInt, checkOneOf, perGroup } from './validate.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': lower is better (a loss); 'max': higher is better (an accuracy). */
  mode?: 'min' | 'max';
  /** New rate = rate · factor, in [0, 1) (default 0.1). */
  factor?: number;
  /** Bad epochs tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as better (default 1e-4). */
  threshold?: number;
  /** 'rel': better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound on the rate, one number or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Feed it the monitored metric after each epoch: `scheduler.step(valLoss)`. After more than
 * `patience` epochs without improvement the rate of every group is multiplied by `factor`
 * (not below `minLr`), then `cooldown` epochs pass before bad epochs count again.
 */
export class ReduceLROnPlateau implements Scheduler {
  readonly optimizer: Optimizer<any>;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** Best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer<any>, options: ReduceLROnPlateauOptions = {}) {
    const owner = 'ReduceLROnPlateau';
    this.optimizer = checkOptimizer(owner, optimizer);
    this.mode = checkOneOf(owner, 'mode', options.mode ?? 'min', ['min', 'max'] as const);
    this.factor = checkInRange(owner, 'factor', options.factor ?? 0.1, 0, 1);
    this.patience = checkNonNegativeInt(owner, 'patience', options.patience ?? 10);
    this.threshold = checkNonNegative(owner, 'threshold', options.threshold ?? 1e-4);
    this.thresholdMode = checkOneOf(owner, 'thresholdMode', options.thresholdMode ?? 'rel', [
      'rel',
      'abs',
    ] as const);
    this.cooldown = checkNonNegativeInt(owner, 'cooldown', options.cooldown ?? 0);
    this.minLrs = perGroup(owner, 'minLr', options.minLr ?? 0, optimizer.paramGroups.length);
    this.minLrs.forEach((m, i) => void checkNonNegative(owner, `minLr[${i}]`, m));
    this.eps = checkNonNegative(owner, 'eps', options.eps ?? 1e-8);
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private worst(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the rate if it is time. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') {
      throw new ValueError(
        `ReduceLROnPlateau.step: the metric must be a number or a one-element Tensor, got ${typeof metric}.`,
      );
    }
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const next = Math.max(g.lr * this.factor, this.minLrs[i]!);
      if (g.lr - next > this.eps) g.lr = next;
    });
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** JSON-able: an infinite `best` (no metric yet) is stored as null. */
  stateDict(): Record<string, unknown> {
    return {
      mode: this.mode,
      factor: this.factor,
      patience: this.patience,
      threshold: this.threshold,
      thresholdMode: this.thresholdMode,
      cooldown: this.cooldown,
      minLrs: [...this.minLrs],
      eps: this.eps,
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
    };
  }

  loadStateDict(state: Record<string, unknown>): void {
    const s = state as ReturnType<ReduceLROnPlateau['stateDict']> & Record<string, any>;
    const owner = 'ReduceLROnPlateau.loadStateDict';
    this.mode = checkOneOf(owner, 'mode', s.mode, ['min', 'max'] as const);
    this.thresholdMode = checkOneOf(owner, 'thresholdMode', s.thresholdMode, ['rel', 'abs'] as const);
    this.factor = checkInRange(owner, 'factor', s.factor, 0, 1);
    this.patience = checkNonNegativeInt(owner, 'patience', s.patience);
    this.threshold = checkNonNegative(owner, 'threshold', s.threshold);
    this.cooldown = checkNonNegativeInt(owner, 'cooldown', s.cooldown);
    this.minLrs = perGroup(owner, 'minLrs', s.minLrs, this.optimizer.paramGroups.length);
    this.eps = checkNonNegative(owner, 'eps', s.eps);
    this.best = s.best === null || s.best === undefined ? this.worst() : Number(s.best);
    this.numBadEpochs = checkNonNegativeInt(owner, 'numBadEpochs', s.numBadEpochs);
    this.cooldownCounter = checkNonNegativeInt(owner, 'cooldownCounter', s.cooldownCounter);
    this.lastEpoch = checkNonNegativeInt(owner, 'lastEpoch', s.lastEpoch);
    if (Array.isArray(s.lastLr)) this.lastLr = [...(s.lastLr as number[])];
  }
}
