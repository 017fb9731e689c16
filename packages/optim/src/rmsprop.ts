/** RMSprop (PyTorch's update rule), composed from core ops. */
import { add, div, mul, neg, sqrt, square, sub, type Tensor } from '@gradsight/core';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkBoolean, checkNonNegative } from './validate.js';

export interface RMSpropOptions {
  lr: number;
  /** Smoothing constant of the squared-gradient average. */
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Normalise by the estimated variance (subtracting the squared mean gradient). */
  centered: boolean;
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/**
 * PyTorch's RMSprop: `s = α·s + (1−α)·g²`; centered: `ḡ = α·ḡ + (1−α)·g`, `avg = √(s − ḡ²) + eps`,
 * else `avg = √s + eps`; with momentum `b = μ·b + g/avg`, `p −= lr·b`, else `p −= lr·g/avg`.
 * State: `step`, `squareAvg`, `gradAvg` (centered), `momentumBuffer` (momentum > 0).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, DEFAULTS, options);
  }

  protected checkOptions(o: RMSpropOptions): void {
    checkNonNegative('RMSprop', 'lr', o.lr);
    checkNonNegative('RMSprop', 'alpha', o.alpha);
    checkNonNegative('RMSprop', 'eps', o.eps);
    checkNonNegative('RMSprop', 'weightDecay', o.weightDecay);
    checkNonNegative('RMSprop', 'momentum', o.momentum);
    checkBoolean('RMSprop', 'centered', o.centered);
    checkBoolean('RMSprop', 'maximize', o.maximize);
  }

  protected updateParam(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<RMSpropOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.squareAvg = this.zerosState(p);
    }
    if (g.momentum > 0 && !state.momentumBuffer) state.momentumBuffer = this.zerosState(p);
    if (g.centered && !state.gradAvg) state.gradAvg = this.zerosState(p);
    state.step = (state.step as number) + 1;

    let d = g.maximize ? neg(grad) : grad;
    if (g.weightDecay !== 0) d = add(d, mul(p, g.weightDecay));
    const sq = state.squareAvg as Tensor;
    sq.assign(add(mul(sq, g.alpha), mul(square(d), 1 - g.alpha)));
    let avg: Tensor;
    if (g.centered) {
      const ga = state.gradAvg as Tensor;
      ga.assign(add(mul(ga, g.alpha), mul(d, 1 - g.alpha)));
      avg = sqrt(sub(sq, square(ga)));
    } else {
      avg = sqrt(sq);
    }
    avg = add(avg, g.eps);
    if (g.momentum > 0) {
      const buf = state.momentumBuffer as Tensor;
      buf.assign(add(mul(buf, g.momentum), div(d, avg)));
      p.assign(sub(p, mul(buf, g.lr)));
    } else {
      p.assign(sub(p, mul(div(d, avg), g.lr)));
    }
  }
}
