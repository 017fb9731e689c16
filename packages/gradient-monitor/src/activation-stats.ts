/**
 * Per-step statistics of an activation module's output: mean, std, dead units (ReLU: a unit
 * that is 0 for every example of the batch, and over a window of recorded steps) and
 * saturated outputs (tanh: |a| > 0.97; sigmoid: a outside [0.03, 0.97]).
 */
import type { SaturationLimits } from './options.js';
import type { ActivationKind } from './types.js';

export class ActivationAccumulator {
  n = 0;
  sum = 0;
  sumSq = 0;
  saturated = 0;
  /** Per unit: 1 if the unit was > 0 for some example in this step (ReLU only). */
  alive: Uint8Array | null = null;
  calls = 0;

  constructor(readonly kind: ActivationKind) {}

  /** Adds one forward call's output; returns its Σx² (non-finite iff the output has NaN/Inf). */
  add(data: ArrayLike<number>, shape: readonly number[], sat: SaturationLimits): number {
    this.calls++;
    const size = data.length;
    let sum = 0;
    let sumSq = 0;
    let saturated = 0;
    if (this.kind === 'relu') {
      const batch = shape.length >= 2 ? shape[0]! : 1;
      const units = batch > 0 ? size / batch : 0;
      if (!this.alive || this.alive.length !== units) this.alive = new Uint8Array(units);
      const alive = this.alive;
      for (let b = 0, o = 0; b < batch; b++) {
        for (let j = 0; j < units; j++, o++) {
          const v = data[o]!;
          sum += v;
          sumSq += v * v;
          if (v > 0) alive[j] = 1;
        }
      }
    } else if (this.kind === 'tanh') {
      const lim = sat.tanh;
      for (let i = 0; i < size; i++) {
        const v = data[i]!;
        sum += v;
        sumSq += v * v;
        if (v > lim || v < -lim) saturated++;
      }
    } else if (this.kind === 'sigmoid') {
      const lo = sat.sigmoidLow;
      const hi = sat.sigmoidHigh;
      for (let i = 0; i < size; i++) {
        const v = data[i]!;
        sum += v;
        sumSq += v * v;
        if (v < lo || v > hi) saturated++;
      }
    } else {
      for (let i = 0; i < size; i++) {
        const v = data[i]!;
        sum += v;
        sumSq += v * v;
      }
    }
    this.n += size;
    this.sum += sum;
    this.sumSq += sumSq;
    this.saturated += saturated;
    return sumSq;
  }

  get mean(): number {
    return this.n > 0 ? this.sum / this.n : Number.NaN;
  }
  get std(): number {
    if (this.n === 0) return Number.NaN;
    const m = this.sum / this.n;
    return Math.sqrt(Math.max(0, this.sumSq / this.n - m * m));
  }
  /** Fraction of units never > 0 in this step (NaN for non-ReLU kinds). */
  get deadFraction(): number {
    if (!this.alive || this.alive.length === 0) return Number.NaN;
    let dead = 0;
    for (let j = 0; j < this.alive.length; j++) if (this.alive[j] === 0) dead++;
    return dead / this.alive.length;
  }
  get saturatedFraction(): number {
    if (this.kind !== 'tanh' && this.kind !== 'sigmoid') return Number.NaN;
    return this.n > 0 ? this.saturated / this.n : Number.NaN;
  }
}

/** Tracks, across recorded steps, which units were ever active within the current window. */
export class DeadWindow {
  private alive: Uint8Array | null = null;
  private steps = 0;
  /** Dead fraction over the last completed window (NaN until one completes). */
  last = Number.NaN;

  constructor(readonly size: number) {}

  add(stepAlive: Uint8Array | null): void {
    if (!stepAlive) return;
    if (!this.alive || this.alive.length !== stepAlive.length) {
      this.alive = new Uint8Array(stepAlive.length);
      this.steps = 0;
    }
    const a = this.alive;
    for (let j = 0; j < a.length; j++) a[j]! |= stepAlive[j]!;
    if (++this.steps >= this.size) {
      let dead = 0;
      for (let j = 0; j < a.length; j++) if (a[j] === 0) dead++;
      this.last = a.length > 0 ? dead / a.length : Number.NaN;
      a.fill(0);
      this.steps = 0;
    }
  }
}
