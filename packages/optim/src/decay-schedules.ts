/** Multiplicative decay schedules: StepLR, MultiStepLR, ExponentialLR (PyTorch's chainable forms). */
import { ValueError } from '@gradsight/core';
import { bisectRight, LRScheduler, type LRSchedulerOptions } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative, checkNonNegativeInt, checkPositiveInt } from './validate.js';

export interface StepLROptions extends LRSchedulerOptions {
  /** Decay every `stepSize` epochs. */
  stepSize: number;
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
}

/** Multiplies the learning rate by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer<any>, { stepSize, gamma = 0.1, lastEpoch = -1 }: StepLROptions) {
    super('StepLR', optimizer, lastEpoch);
    this.stepSize = checkPositiveInt('StepLR', 'stepSize', stepSize);
    this.gamma = checkNonNegative('StepLR', 'gamma', gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

export interface MultiStepLROptions extends LRSchedulerOptions {
  /** Epochs at which to decay; an epoch listed twice decays twice (gamma²), as PyTorch's Counter. */
  milestones: readonly number[];
  gamma?: number;
}

/** Multiplies the learning rate by `gamma` at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  /** Sorted, with repeats. */
  milestones: number[];
  gamma: number;

  constructor(optimizer: Optimizer<any>, { milestones, gamma = 0.1, lastEpoch = -1 }: MultiStepLROptions) {
    super('MultiStepLR', optimizer, lastEpoch);
    if (!Array.isArray(milestones))
      throw new ValueError(`MultiStepLR: milestones must be an array of epochs, got ${String(milestones)}.`);
    this.milestones = milestones
      .map((m, i) => checkNonNegativeInt('MultiStepLR', `milestones[${i}]`, m))
      .sort((a, b) => a - b);
    this.gamma = checkNonNegative('MultiStepLR', 'gamma', gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** bisectRight(this.milestones, this.lastEpoch));
  }
}

export interface ExponentialLROptions extends LRSchedulerOptions {
  gamma: number;
}

/** Multiplies the learning rate by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer<any>, { gamma, lastEpoch = -1 }: ExponentialLROptions) {
    super('ExponentialLR', optimizer, lastEpoch);
    this.gamma = checkNonNegative('ExponentialLR', 'gamma', gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}
