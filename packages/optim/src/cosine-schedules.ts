/** Cosine annealing, with and without warm restarts (SGDR), as PyTorch computes them. */
import { LRScheduler, type LRSchedulerOptions } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative, checkNumber, checkPositive, checkPositiveInt } from './validate.js';

export interface CosineAnnealingLROptions extends LRSchedulerOptions {
  /** Half-period in epochs: the rate reaches `etaMin` at epoch `tMax` and climbs back after. */
  tMax: number;
  etaMin?: number;
}

/**
 * Cosine annealing from the initial rate to `etaMin` over `tMax` epochs, in PyTorch's recursive
 * (chainable) form, so its numbers match PyTorch's step for step, including past `tMax`.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer<any>, { tMax, etaMin = 0, lastEpoch = -1 }: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer, lastEpoch);
    this.tMax = checkPositive('CosineAnnealingLR', 'tMax', tMax);
    this.etaMin = checkNumber('CosineAnnealingLR', 'etaMin', etaMin);
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    if (e === 0) return this.groupLrs();
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if ((e - 1 - T) % (2 * T) === 0) {
      return this.groupLrs().map(
        (lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2,
      );
    }
    return this.groupLrs().map(
      (lr) =>
        ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) +
        etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / T))) / 2);
  }
}

export interface CosineAnnealingWarmRestartsOptions extends LRSchedulerOptions {
  /** Epochs until the first restart. */
  t0: number;
  /** Each period is `tMult` times the previous one (integer ≥ 1, default 1). */
  tMult?: number;
  etaMin?: number;
}

/** SGDR: cosine annealing that restarts at the initial rate after `t0`, `t0·tMult`, … epochs. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  tI: number;
  tMult: number;
  etaMin: number;
  tCur: number;

  constructor(
    optimizer: Optimizer<any>,
    { t0, tMult = 1, etaMin = 0, lastEpoch = -1 }: CosineAnnealingWarmRestartsOptions,
  ) {
    super('CosineAnnealingWarmRestarts', optimizer, lastEpoch);
    this.t0 = checkPositiveInt('CosineAnnealingWarmRestarts', 't0', t0);
    this.tI = t0;
    this.tMult = checkPositiveInt('CosineAnnealingWarmRestarts', 'tMult', tMult);
    this.etaMin = checkNumber('CosineAnnealingWarmRestarts', 'etaMin', etaMin);
    this.tCur = lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2,
    );
  }

  /** `epoch` (PyTorch's form, may be fractional) jumps to that point of the restart cycle. */
  override step(epoch?: number): void {
    this.stepCount++;
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      checkNonNegative('CosineAnnealingWarmRestarts', 'epoch', e);
      if (e >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = e % this.t0;
        } else {
          const n = Math.floor(Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}
