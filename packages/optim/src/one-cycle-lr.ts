/** The 1cycle policy (PyTorch's OneCycleLR), with momentum or beta1 cycled inversely. */
import { ValueError } from '@gradsight/core';
import { checkOptimizer, LRScheduler, type LRSchedulerOptions } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import {
  checkBoolean,
  checkInRange,
  checkOneOf,
  checkPositive,
  checkPositiveInt,
  perGroup,
} from './validate.js';

export interface OneCycleLROptions extends LRSchedulerOptions {
  /** Peak learning rate, one number or one per group. */
  maxLr: number | readonly number[];
  /** Length of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the rate (default 0.3). */
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  /** Cycle SGD/RMSprop `momentum` or Adam-style `betas[0]` inversely to the rate (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** initial rate = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minimum rate = initial rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Warm up, cool down symmetrically, then anneal to the minimum (the paper's three phases). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

/**
 * Rate from `maxLr/divFactor` up to `maxLr` (the first `pctStart` of the cycle) and down to
 * `initial/finalDivFactor`, by cosine or linear annealing; momentum moves the other way between
 * `maxMomentum` and `baseMomentum`. Step it after every batch; stepping past `totalSteps` throws.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;
  phases: Phase[];

  constructor(optimizer: Optimizer<any>, options: OneCycleLROptions) {
    const o = options ?? ({} as OneCycleLROptions);
    const owner = 'OneCycleLR';
    checkOptimizer(owner, optimizer);
    let total: number;
    if (o.totalSteps !== undefined) total = checkPositiveInt(owner, 'totalSteps', o.totalSteps);
    else if (o.epochs !== undefined || o.stepsPerEpoch !== undefined) {
      total =
        checkPositiveInt(owner, 'epochs', o.epochs) *
        checkPositiveInt(owner, 'stepsPerEpoch', o.stepsPerEpoch);
    } else throw new ValueError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch.');
    const pct = checkInRange(owner, 'pctStart', o.pctStart ?? 0.3, 0, 1, true);
    const anneal = checkOneOf(owner, 'annealStrategy', o.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    const cycle = checkBoolean(owner, 'cycleMomentum', o.cycleMomentum ?? true);
    const three = checkBoolean(owner, 'threePhase', o.threePhase ?? false);
    const divFactor = checkPositive(owner, 'divFactor', o.divFactor ?? 25);
    const finalDiv = checkPositive(owner, 'finalDivFactor', o.finalDivFactor ?? 1e4);
    const lastEpoch = o.lastEpoch ?? -1;
    const groups = optimizer.paramGroups;
    const maxLrs = perGroup(owner, 'maxLr', o.maxLr, groups.length);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = g.initialLr / finalDiv;
      });
    }
    let useBeta1 = false;
    if (cycle) {
      const defaults = optimizer.defaults as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new ValueError(
          `OneCycleLR: cycleMomentum needs an optimiser with momentum or betas, ${optimizer.name} has neither; pass cycleMomentum: false.`,
        );
      }
      useBeta1 = 'betas' in defaults;
      const maxM = perGroup(owner, 'maxMomentum', o.maxMomentum ?? 0.95, groups.length);
      const baseM = perGroup(owner, 'baseMomentum', o.baseMomentum ?? 0.85, groups.length);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          const rec = g as unknown as Record<string, unknown>;
          if (useBeta1) rec.betas = [maxM[i]!, ...(rec.betas as number[]).slice(1)];
          else rec.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    super(owner, optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.phases = three
      ? [
          {
            endStep: pct * total - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pct * total - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'initialLr',
            endLr: 'minLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'maxMomentum',
          },
        ]
      : [
          {
            endStep: pct * total - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'maxLr',
            endLr: 'minLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(
        `OneCycleLR: tried to step ${stepNum + 1} times; the cycle has totalSteps ${this.totalSteps}.`,
      );
    }
    return this.optimizer.paramGroups.map((g) => {
      const rec = g as unknown as Record<string, number>;
      let start = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - start) / (phase.endStep - start);
          lr = this.anneal(rec[phase.startLr]!, rec[phase.endLr]!, pct);
          if (this.cycleMomentum)
            momentum = this.anneal(rec[phase.startMomentum]!, rec[phase.endMomentum]!, pct);
          break;
        }
        start = phase.endStep;
      }
      if (this.cycleMomentum) {
        const any = g as unknown as Record<string, unknown>;
        if (this.useBeta1) any.betas = [momentum, ...(any.betas as number[]).slice(1)];
        else any.momentum = momentum;
      }
      return lr;
    });
  }
}
