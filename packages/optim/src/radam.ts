/** RAdam (PyTorch's update rule), composed from core ops. */
import { add, div, mul, sqrt, square, sub, type Tensor } from '@gradsight/core';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validate.js';

export interface RAdamOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
}

const DEFAULTS: RAdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 };

/**
 * PyTorch's RAdam (rectified Adam): plain bias-corrected momentum SGD while the variance
 * estimate's length ρₜ ≤ 5, then Adam scaled by the rectification term. State: `step`,
 * `expAvg`, `expAvgSq`.
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super('RAdam', params, DEFAULTS, options);
  }

  protected checkOptions(o: RAdamOptions): void {
    checkNonNegative('RAdam', 'lr', o.lr);
    checkBetas('RAdam', o.betas);
    checkNonNegative('RAdam', 'eps', o.eps);
    checkNonNegative('RAdam', 'weightDecay', o.weightDecay);
  }

  protected updateParam(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<RAdamOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.zerosState(p);
      state.expAvgSq = this.zerosState(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = g.betas;
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    const d = g.weightDecay !== 0 ? add(grad, mul(p, g.weightDecay)) : grad;
    const m = state.expAvg as Tensor;
    const v = state.expAvgSq as Tensor;
    m.assign(add(mul(m, beta1), mul(d, 1 - beta1)));
    v.assign(add(mul(v, beta2), mul(square(d), 1 - beta2)));
    const corrected = div(m, bc1);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = div(Math.sqrt(bc2), add(sqrt(v), g.eps));
      p.assign(sub(p, mul(mul(mul(corrected, g.lr), adaptive), rect)));
    } else {
      p.assign(sub(p, mul(corrected, g.lr)));
    }
  }
}
