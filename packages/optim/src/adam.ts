/** Adam and AdamW (PyTorch's update rules), through core's fused-or-composed `adamUpdate`. */
import { adamUpdate, adamUpdateComposed, neg, type Tensor } from '@gradsight/core';
import { forceComposed } from './fused.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkBetas, checkBoolean, checkNonNegative } from './validate.js';

export interface AdamOptions {
  lr: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1). */
  betas: readonly [number, number];
  eps: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay `p ·= 1 − lr·wd`. */
  weightDecay: number;
  /** Normalise by the running maximum of the second moment (AMSGrad). */
  amsgrad: boolean;
  maximize: boolean;
  /** Use the backend's fused `adamUpdate` kernel: null = when present, true = required, false = never. */
  fused: boolean | null;
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  /** AdamW decays the weights directly instead of adding `wd·p` to the gradient. */
  protected abstract get decoupled(): boolean;

  protected checkOptions(o: AdamOptions): void {
    checkNonNegative(this.name, 'lr', o.lr);
    checkBetas(this.name, o.betas);
    checkNonNegative(this.name, 'eps', o.eps);
    checkNonNegative(this.name, 'weightDecay', o.weightDecay);
    checkBoolean(this.name, 'amsgrad', o.amsgrad);
    checkBoolean(this.name, 'maximize', o.maximize);
    if (o.fused !== null) checkBoolean(this.name, 'fused', o.fused);
  }

  protected updateParam(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdamOptions>): void {
    const composed = forceComposed(this.name, g.fused, 'adamUpdate'); // before any state changes
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.zerosState(p);
      state.expAvgSq = this.zerosState(p);
    }
    // created lazily too when amsgrad is switched on after the first step
    if (g.amsgrad && !state.maxExpAvgSq) state.maxExpAvgSq = this.zerosState(p);
    state.step = (state.step as number) + 1;
    const attrs = {
      lr: g.lr,
      beta1: g.betas[0],
      beta2: g.betas[1],
      eps: g.eps,
      weightDecay: g.weightDecay,
      decoupled: this.decoupled,
      step: state.step,
    };
    const d = g.maximize ? neg(grad) : grad;
    const m = state.expAvg as Tensor;
    const v = state.expAvgSq as Tensor;
    const vMax = g.amsgrad ? (state.maxExpAvgSq as Tensor) : null;
    if (composed) adamUpdateComposed(p, d, m, v, vMax, attrs);
    else adamUpdate(p, d, m, v, vMax, attrs);
  }
}

const ADAM_DEFAULTS: AdamOptions = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
  fused: null,
};

/**
 * PyTorch's Adam: `g += wd·p`, `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`,
 * `p −= lr/(1−β1ᵗ) · m / (√v̂/√(1−β2ᵗ) + eps)` with `v̂ = v` or, with AMSGrad, its running
 * maximum. State: `step`, `expAvg`, `expAvgSq`, `maxExpAvgSq`.
 */
export class Adam extends AdamBase {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, ADAM_DEFAULTS, options);
  }
  protected get decoupled(): boolean {
    return false;
  }
}

/** PyTorch's AdamW: Adam with decoupled weight decay `p ·= 1 − lr·wd` (default wd 0.01). */
export class AdamW extends AdamBase {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, { ...ADAM_DEFAULTS, weightDecay: 1e-2 }, options);
  }
  protected get decoupled(): boolean {
    return true;
  }
}
