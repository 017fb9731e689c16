/** Module forms of the losses (PyTorch's `nn.CrossEntropyLoss`, …): `loss.call(input, target)`. */
import type { Tensor } from '@gradsight/core';
import {
  type BceOptions,
  type BceWithLogitsOptions,
  bce,
  bceWithLogits,
  type CrossEntropyOptions,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  type NllLossOptions,
  nllLoss,
  type ReductionOptions,
} from './losses.js';
import { Module } from './module.js';

/** A loss function as a module: `forward(input, target)`. */
export class LossModule<O> extends Module {
  constructor(
    readonly typeName: string,
    private readonly fn: (input: Tensor, target: Tensor, options: O) => Tensor,
    readonly options: O,
  ) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return this.fn(input, target, this.options);
  }
}

export class CrossEntropyLoss extends LossModule<CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super('CrossEntropyLoss', crossEntropy, options);
  }
}
export class NLLLoss extends LossModule<NllLossOptions> {
  constructor(options: NllLossOptions = {}) {
    super('NLLLoss', nllLoss, options);
  }
}
export class MSELoss extends LossModule<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super('MSELoss', mseLoss, options);
  }
}
export class L1Loss extends LossModule<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super('L1Loss', l1Loss, options);
  }
}
export class HuberLoss extends LossModule<ReductionOptions & { delta?: number }> {
  constructor(options: ReductionOptions & { delta?: number } = {}) {
    super('HuberLoss', huberLoss, options);
  }
}
export class BCELoss extends LossModule<BceOptions> {
  constructor(options: BceOptions = {}) {
    super('BCELoss', bce, options);
  }
}
export class BCEWithLogitsLoss extends LossModule<BceWithLogitsOptions> {
  constructor(options: BceWithLogitsOptions = {}) {
    super('BCEWithLogitsLoss', bceWithLogits, options);
  }
}
