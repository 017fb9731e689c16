/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (PyTorch's SGD). */
import { neg, sgdUpdate, sgdUpdateComposed, type Tensor, ValueError } from '@gradsight/core';
import { forceComposed } from './fused.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkBoolean, checkNonNegative, checkNumber } from './validate.js';

export interface SGDOptions {
  lr: number;
  /** Heavy-ball momentum factor; 0 disables the buffer. */
  momentum: number;
  /** Damps the gradient's contribution to the momentum buffer (not applied on the first step). */
  dampening: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** Use the backend's fused `sgdUpdate` kernel: null = when present, true = required, false = never. */
  fused: boolean | null;
}

const DEFAULTS: Omit<SGDOptions, 'lr'> = {
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
  fused: null,
};

/**
 * PyTorch's SGD: `g += wd·p`; with momentum `b = μ·b + (1−τ)·g` (b = g on the first step) and
 * `g = nesterov ? g + μ·b : b`; then `p −= lr·g`. State: `momentumBuffer`.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super('SGD', params, { lr: Number.NaN, ...DEFAULTS }, options);
  }

  protected checkOptions(o: SGDOptions): void {
    checkNonNegative('SGD', 'lr', o.lr);
    checkNonNegative('SGD', 'momentum', o.momentum);
    checkNumber('SGD', 'dampening', o.dampening);
    checkNonNegative('SGD', 'weightDecay', o.weightDecay);
    checkBoolean('SGD', 'nesterov', o.nesterov);
    checkBoolean('SGD', 'maximize', o.maximize);
    if (o.fused !== null) checkBoolean('SGD', 'fused', o.fused);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError(
        `SGD: nesterov: true requires momentum > 0 and dampening 0, got momentum ${o.momentum} and dampening ${o.dampening}.`,
      );
    }
  }

  protected updateParam(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<SGDOptions>): void {
    const composed = forceComposed('SGD', g.fused, 'sgdUpdate'); // before any state changes
    const d = g.maximize ? neg(grad) : grad;
    let buf: Tensor | null = null;
    let firstStep = false;
    if (g.momentum !== 0) {
      buf = (state.momentumBuffer as Tensor | undefined) ?? null;
      if (!buf) {
        buf = this.zerosState(p);
        state.momentumBuffer = buf;
        firstStep = true;
      }
    }
    const attrs = {
      lr: g.lr,
      momentum: g.momentum,
      dampening: g.dampening,
      weightDecay: g.weightDecay,
      nesterov: g.nesterov,
      firstStep,
    };
    if (composed) sgdUpdateComposed(p, d, buf, attrs);
    else sgdUpdate(p, d, buf, attrs);
  }
}
