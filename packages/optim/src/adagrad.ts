/** Adagrad (PyTorch's update rule), composed from core ops. */
import { add, div, mul, neg, sqrt, square, sub, type Tensor } from '@gradsight/core';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkBoolean, checkNonNegative } from './validate.js';

export interface AdagradOptions {
  lr: number;
  /** The step size at step t is `lr / (1 + (t − 1)·lrDecay)`. */
  lrDecay: number;
  weightDecay: number;
  /** Starting value of the accumulated squared gradients. */
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

const DEFAULTS: AdagradOptions = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/**
 * PyTorch's Adagrad: `g += wd·p`, `Σ += g²`, `p −= lr/(1 + (t−1)·lrDecay) · g / (√Σ + eps)`.
 * State: `step`, `sum` (created at a parameter's first update, from the group's
 * `initialAccumulatorValue`).
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, DEFAULTS, options);
  }

  protected checkOptions(o: AdagradOptions): void {
    checkNonNegative('Adagrad', 'lr', o.lr);
    checkNonNegative('Adagrad', 'lrDecay', o.lrDecay);
    checkNonNegative('Adagrad', 'weightDecay', o.weightDecay);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative('Adagrad', 'eps', o.eps);
    checkBoolean('Adagrad', 'maximize', o.maximize);
  }

  protected updateParam(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdagradOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.sum = this.zerosState(p, g.initialAccumulatorValue);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    let d = g.maximize ? neg(grad) : grad;
    if (g.weightDecay !== 0) d = add(d, mul(p, g.weightDecay));
    const clr = g.lr / (1 + (step - 1) * g.lrDecay);
    const sum = state.sum as Tensor;
    sum.assign(add(sum, square(d)));
    p.assign(sub(p, mul(div(d, add(sqrt(sum), g.eps)), clr)));
  }
}
