/** NAdam (PyTorch 1.13's update rule), composed from core ops. */
import { add, div, mul, sqrt, square, sub, type Tensor } from '@gradsight/core';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validate.js';

export interface NAdamOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  /** ψ in the momentum schedule `μₜ = β1·(1 − ½·0.96^(t·ψ))`. */
  momentumDecay: number;
}

const DEFAULTS: NAdamOptions = {
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  momentumDecay: 4e-3,
};

/**
 * PyTorch 1.13's NAdam (Adam with Nesterov momentum and Dozat's momentum schedule). State:
 * `step`, `muProduct`, `expAvg`, `expAvgSq`.
 *
 * Matches torch 1.13 exactly, including its `μ-product-next = Πμ·μₜ·μₜ₊₁` (torch ≥ 2.0 uses
 * `Πμ·μₜ₊₁`, pytorch/pytorch#92699), so trajectories differ slightly from newer torch.
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super('NAdam', params, DEFAULTS, options);
  }

  protected checkOptions(o: NAdamOptions): void {
    checkNonNegative('NAdam', 'lr', o.lr);
    checkBetas('NAdam', o.betas);
    checkNonNegative('NAdam', 'eps', o.eps);
    checkNonNegative('NAdam', 'weightDecay', o.weightDecay);
    checkNonNegative('NAdam', 'momentumDecay', o.momentumDecay);
  }

  protected updateParam(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<NAdamOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.muProduct = 1;
      state.expAvg = this.zerosState(p);
      state.expAvgSq = this.zerosState(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = g.betas;
    const bc2 = 1 - beta2 ** step;
    const d = g.weightDecay !== 0 ? add(grad, mul(p, g.weightDecay)) : grad;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
    const muProduct = (state.muProduct as number) * mu;
    state.muProduct = muProduct;
    const muProductNext = muProduct * mu * muNext;

    const m = state.expAvg as Tensor;
    const v = state.expAvgSq as Tensor;
    m.assign(add(mul(m, beta1), mul(d, 1 - beta1)));
    v.assign(add(mul(v, beta2), mul(square(d), 1 - beta2)));
    const denom = add(sqrt(div(v, bc2)), g.eps);
    const afterGrad = sub(p, mul(div(d, denom), (g.lr * (1 - mu)) / (1 - muProduct)));
    p.assign(sub(afterGrad, mul(div(m, denom), (g.lr * muNext) / (1 - muProductNext))));
  }
}
